"""Choices of the accounting app, and the allowed state moves of entries, periods and years."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountType(models.TextChoices):
    """The six classes of the Chinese chart (资产, 负债, 共同, 所有者权益, 成本, 损益 split in income/expense)."""

    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    COMMON = "common", _("Common")
    EQUITY = "equity", _("Equity")
    COST = "cost", _("Cost")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


# Types whose balance is normally on the debit side; the others are normally credit.
DEBIT_NATURE = {AccountType.ASSET, AccountType.COST, AccountType.EXPENSE, AccountType.COMMON}
# Types closed into profit at year end.
PROFIT_AND_LOSS = {AccountType.INCOME, AccountType.EXPENSE}


class AccountRole(models.TextChoices):
    """What an account is used for; control accounts are kept per partner and reconciled."""

    NONE = "", _("None")
    RECEIVABLE = "receivable", _("Receivable (control)")
    PAYABLE = "payable", _("Payable (control)")
    BANK = "bank", _("Bank")
    CASH = "cash", _("Cash")
    GRIR = "grir", _("Goods received not invoiced (GR/IR)")
    INVENTORY = "inventory", _("Inventory")
    TAX_INPUT = "tax_input", _("Input VAT")
    TAX_OUTPUT = "tax_output", _("Output VAT")
    CURRENT_PROFIT = "current_profit", _("Current year profit")
    RETAINED_EARNINGS = "retained_earnings", _("Retained earnings")
    EXCHANGE_GAIN = "exchange_gain", _("Exchange gain")
    EXCHANGE_LOSS = "exchange_loss", _("Exchange loss")
    ROUNDING = "rounding", _("Rounding differences")


class JournalKind(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASE = "purchase", _("Purchases")
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank")
    GENERAL = "general", _("General")
    STOCK = "stock", _("Stock")
    PAYROLL = "payroll", _("Payroll")


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")


ENTRY_TRANSITIONS = {
    "post": ({EntryState.DRAFT}, EntryState.POSTED),
}


class PeriodState(models.TextChoices):
    OPEN = "open", pgettext_lazy("period state", "Open")
    CLOSED = "closed", _("Closed")


PERIOD_TRANSITIONS = {
    "close": ({PeriodState.OPEN}, PeriodState.CLOSED),
    "reopen": ({PeriodState.CLOSED}, PeriodState.OPEN),
}


class TaxKind(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASE = "purchase", _("Purchase")


class ChartTemplate(models.TextChoices):
    CN_ENTERPRISE = "cn_enterprise", _("China: Accounting Standards for Business Enterprises (企业会计准则)")
    CN_SMALL = "cn_small", _("China: Accounting Standards for Small Enterprises (小企业会计准则)")
    IFRS = "ifrs", _("International (IFRS-style)")


class InvoiceKind(models.TextChoices):
    CUSTOMER_INVOICE = "customer_invoice", _("Customer invoice")
    CUSTOMER_CREDIT = "customer_credit", _("Customer credit note")
    SUPPLIER_INVOICE = "supplier_invoice", _("Supplier invoice")
    SUPPLIER_CREDIT = "supplier_credit", _("Supplier credit note")


CUSTOMER_KINDS = {InvoiceKind.CUSTOMER_INVOICE, InvoiceKind.CUSTOMER_CREDIT}
CREDIT_KINDS = {InvoiceKind.CUSTOMER_CREDIT, InvoiceKind.SUPPLIER_CREDIT}


class InvoiceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


# Moves made by actions; posted -> partially_paid -> paid (and back) follow the allocations instead.
INVOICE_TRANSITIONS = {
    "post": ({InvoiceState.DRAFT}, InvoiceState.POSTED),
    "cancel": ({InvoiceState.DRAFT, InvoiceState.POSTED}, InvoiceState.CANCELLED),
}


class PaymentKind(models.TextChoices):
    INBOUND = "inbound", _("Receipt")
    OUTBOUND = "outbound", _("Disbursement")


class PaymentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


PAYMENT_TRANSITIONS = {
    "post": ({PaymentState.DRAFT}, PaymentState.POSTED),
    "cancel": ({PaymentState.DRAFT, PaymentState.POSTED}, PaymentState.CANCELLED),
}


class TaxRounding(models.TextChoices):
    LINE = "line", _("Per line")
    DOCUMENT = "document", _("Per document")


class StatementState(models.TextChoices):
    OPEN = "open", pgettext_lazy("statement state", "Open")
    RECONCILED = "reconciled", _("Reconciled")


class StatementLineState(models.TextChoices):
    UNRECONCILED = "unreconciled", _("Unreconciled")
    RECONCILED = "reconciled", _("Reconciled")
    IGNORED = "ignored", _("Ignored")


class RevaluationState(models.TextChoices):
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")


class CashFlowItem(models.TextChoices):
    """What an account's cash flows are on the cash-flow statement (Account.cash_flow_category).

    `cash` marks cash and cash equivalents (with the cash and bank roles); an item names where cash
    paid or received against the account goes, inflow or outflow by the direction of the movement
    (e.g. `op_tax`: 支付的各项税费 when paid, 收到的税费返还 when refunded). The broad values
    operating/investing/financing of older charts still count, as that activity's other item.
    """

    AUTOMATIC = "", _("Automatic (from the parent account, role and type)")
    CASH = "cash", _("Cash and cash equivalents")
    OP_SALES = "op_sales", _("Operating: sales of goods and services")
    OP_PURCHASES = "op_purchases", _("Operating: purchases of goods and services")
    OP_EMPLOYEES = "op_employees", _("Operating: employees")
    OP_TAX = "op_tax", _("Operating: taxes paid or refunded")
    OP_OTHER = "op_other", _("Operating: other")
    INV_INVESTMENTS = "inv_investments", _("Investing: investments")
    INV_RETURNS = "inv_returns", _("Investing: interest and dividends received")
    INV_ASSETS = "inv_assets", _("Investing: fixed, intangible and other long-term assets")
    INV_SUBSIDIARIES = "inv_subsidiaries", _("Investing: subsidiaries and other business units")
    INV_OTHER = "inv_other", _("Investing: other")
    FIN_CAPITAL = "fin_capital", _("Financing: capital from owners")
    FIN_BORROWINGS = "fin_borrowings", _("Financing: borrowings")
    FIN_INTEREST = "fin_interest", _("Financing: interest paid")
    FIN_DIVIDENDS = "fin_dividends", _("Financing: dividends and profit distributed")
    FIN_OTHER = "fin_other", _("Financing: other")
    FX = "fx", _("Effect of exchange rate changes")
    OPERATING = "operating", _("Operating activities (other)")
    INVESTING = "investing", _("Investing activities (other)")
    FINANCING = "financing", _("Financing activities (other)")

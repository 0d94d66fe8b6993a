"""The accounting module's menu and its home cards (voucher numbering defaults live with core numbering)."""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register
from tessera.core.permissions import check


def draft_entries_card(request, company):
    """How many entries wait to be posted."""
    if company is None or not check(request.user, "accounting.view_journalentry", company):
        return None
    from .models import JournalEntry

    count = JournalEntry.objects.filter(company=company, state="draft").count()
    return {"title": _("Draft journal entries"), "value": count,
            "url": reverse("accounting:journalentry_list") + "?state=draft"}


def current_period_card(request, company):
    """Today's period and whether it is open."""
    if company is None or not check(request.user, "accounting.view_period", company):
        return None
    from .models import Period

    today = timezone.localdate()
    period = Period.objects.filter(company=company, start_on__lte=today, end_on__gte=today).first()
    if period is None:
        return {"title": _("Current period"), "value": None,
                "lines": [_("No period covers today: open the fiscal year.")],
                "url": reverse("accounting:fiscalyear_list")}
    return {"title": _("Current period"), "value": period.name, "lines": [period.get_state_display()],
            "url": reverse("accounting:fiscalyear_detail", args=[period.fiscal_year_id])}


def cash_card(request, company):
    """Bank and cash balance: posted totals of the bank and cash accounts (a few balance rows)."""
    if company is None or not check(request.user, "accounting.view_accountbalance", company):
        return None
    from .models import AccountBalance

    totals = AccountBalance.objects.filter(company=company, account__role__in=["bank", "cash"]).aggregate(
        debit=Sum("debit"), credit=Sum("credit"))
    balance = (totals["debit"] or Decimal("0")) - (totals["credit"] or Decimal("0"))
    return {"title": _("Bank and cash"),
            "value": f"{company.base_currency.code} {number_format(balance, 2, force_grouping=True)}",
            "url": reverse("accounting:account_list") + "?role=bank"}


def receivables_due_card(request, company):
    """What customers owe past the due date: the residual of posted customer invoices, at each
    invoice's rate in the company's currency (one aggregate query on the (company, due_on) index)."""
    if company is None or not check(request.user, "accounting.view_invoice", company):
        return None
    from django.db.models import DecimalField, ExpressionWrapper, F

    from .models import Invoice

    today = timezone.localdate()
    residual = ExpressionWrapper((F("total") - F("amount_paid")) * F("exchange_rate"),
                                 output_field=DecimalField(max_digits=30, decimal_places=10))
    due = Invoice.objects.filter(company=company, kind="customer_invoice", state__in=["posted", "partially_paid"],
                                 due_on__lt=today).aggregate(due=Sum(residual))["due"] or Decimal("0")
    return {"title": _("Receivables due"),
            "value": f"{company.base_currency.code} {number_format(due, 2, force_grouping=True)}",
            "url": reverse("accounting:invoice_list") + "?side=customer&overdue=true"}


register(Module(
    code="accounting", name=gettext_lazy("Accounting"), order=20,
    menu=[
        MenuEntry(gettext_lazy("Journal entries"), "accounting:journalentry_list", "accounting.view_journalentry"),
        MenuEntry(gettext_lazy("Customer invoices"), "accounting:invoice_list", "accounting.view_invoice",
                  query="side=customer"),
        MenuEntry(gettext_lazy("Supplier invoices"), "accounting:invoice_list", "accounting.view_invoice",
                  query="side=supplier"),
        MenuEntry(gettext_lazy("Payments"), "accounting:payment_list", "accounting.view_payment"),
        MenuEntry(gettext_lazy("Bank reconciliation"), "accounting:bank_reconcile_home",
                  "accounting.view_bankstatementline"),
        MenuEntry(gettext_lazy("Bank accounts"), "accounting:bankaccount_list", "accounting.view_bankaccount"),
        MenuEntry(gettext_lazy("Trial balance"), "accounting:report_trial_balance", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("General ledger"), "accounting:report_general_ledger", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Balance sheet"), "accounting:report_balance_sheet", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Profit and loss"), "accounting:report_profit_loss", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Cash-flow statement"), "accounting:report_cash_flow", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Cash position"), "accounting:report_cash_position", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Aged receivables"), "accounting:report_aged_receivables",
                  "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Aged payables"), "accounting:report_aged_payables", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Partner statement"), "accounting:report_partner_statement",
                  "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("VAT return"), "accounting:report_vat_return", "accounting.view_accountbalance"),
        MenuEntry(gettext_lazy("Exchange revaluation"), "accounting:revaluation_list", "accounting.view_revaluation"),
        MenuEntry(gettext_lazy("Chart of accounts"), "accounting:account_list", "accounting.view_account"),
        MenuEntry(gettext_lazy("Journals"), "accounting:journal_list", "accounting.view_journal"),
        MenuEntry(gettext_lazy("Taxes"), "accounting:tax_list", "accounting.view_tax"),
        MenuEntry(gettext_lazy("Cost centres"), "accounting:costcenter_list", "accounting.view_costcenter"),
        MenuEntry(gettext_lazy("Fiscal years"), "accounting:fiscalyear_list", "accounting.view_fiscalyear"),
        MenuEntry(gettext_lazy("Ledger verification"), "accounting:ledger_verify", "accounting.view_journalentry"),
    ],
    cards=[draft_entries_card, current_period_card, cash_card, receivables_due_card],
))

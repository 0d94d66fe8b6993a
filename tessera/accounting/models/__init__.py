"""Accounting models: the ledger (accounts, periods, journals, entries, balances, taxes) and the
documents that post into it (invoices, payments)."""

from .bank import BankAccount, BankMatch, BankStatement, BankStatementLine, Revaluation, RevaluationLine
from .documents import Invoice, InvoiceLine, Payment, PaymentAllocation
from .ledger import (
    MONEY,
    Account,
    AccountBalance,
    CostCenter,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalEntryLine,
    Period,
    PostedEntryImmutable,
    Tax,
)

__all__ = [
    "BankAccount", "BankMatch", "BankStatement", "BankStatementLine", "Revaluation", "RevaluationLine",
    "MONEY", "Account", "AccountBalance", "CostCenter", "FiscalYear", "Invoice", "InvoiceLine", "Journal",
    "JournalEntry", "JournalEntryLine", "Payment", "PaymentAllocation", "Period", "PostedEntryImmutable", "Tax",
]

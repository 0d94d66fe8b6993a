"""Accounting records in the audit trail, and the ledger's check-books checks (imported by `ready`).

AccountBalance is exempt: it is a running total kept by posting; the entries that move it are audited.
"""

from tessera.core import audit

from . import checks  # noqa: F401  (registers the ledger's check-books checks)
from .checks_bank import bank_matches  # noqa: F401  (registers the bank reconciliation's checks)
from .checks_revaluation import revaluations_match_entries  # noqa: F401  (registers the revaluations' check)
from .models import (
    Account,
    BankAccount,
    BankMatch,
    BankStatement,
    BankStatementLine,
    CostCenter,
    FiscalYear,
    Invoice,
    InvoiceLine,
    Journal,
    JournalEntry,
    JournalEntryLine,
    Payment,
    PaymentAllocation,
    Period,
    Revaluation,
    RevaluationLine,
    Tax,
)
from .services import invoices, payments  # noqa: F401  (the documents' numbering defaults)

for model in (Account, CostCenter, FiscalYear, Period, Journal, JournalEntry, JournalEntryLine, Tax,
              Invoice, InvoiceLine, Payment, PaymentAllocation, BankAccount, BankStatement, BankStatementLine,
              BankMatch, Revaluation, RevaluationLine):
    audit.register(model)

audit.exempt("accounting.AccountBalance", "a running total kept by posting; the posted entries are audited")

"""Accounting records in the audit trail, and the ledger's check-books checks (imported by `ready`).

AccountBalance is exempt: it is a running total kept by posting; the entries that move it are audited.
"""

from tessera.core import audit

from . import checks  # noqa: F401  (registers the ledger's check-books checks)
from .models import Account, CostCenter, FiscalYear, Journal, JournalEntry, JournalEntryLine, Period, Tax

for model in (Account, CostCenter, FiscalYear, Period, Journal, JournalEntry, JournalEntryLine, Tax):
    audit.register(model)

audit.exempt("accounting.AccountBalance", "a running total kept by posting; the posted entries are audited")

"""The ledger reports at /api/v1/accounting/reports/ (written in reports.py; routes listed here)."""

urlpatterns: list = []

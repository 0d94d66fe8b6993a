"""The ledger reports at /api/v1/accounting/reports/ (views in reports.py)."""

from django.urls import path

from .reports import BalanceSheetView, GeneralLedgerView, ProfitAndLossView, TrialBalanceView

urlpatterns = [
    path("trial-balance/", TrialBalanceView.as_view(), name="report_trial_balance"),
    path("general-ledger/", GeneralLedgerView.as_view(), name="report_general_ledger"),
    path("balance-sheet/", BalanceSheetView.as_view(), name="report_balance_sheet"),
    path("profit-loss/", ProfitAndLossView.as_view(), name="report_profit_loss"),
]

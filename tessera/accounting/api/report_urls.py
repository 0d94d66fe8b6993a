"""The ledger reports at /api/v1/accounting/reports/ (views in reports.py)."""

from django.urls import path

from .reports import (
    AgedPayablesView,
    AgedReceivablesView,
    BalanceSheetView,
    GeneralLedgerView,
    PartnerStatementView,
    ProfitAndLossView,
    TrialBalanceView,
    VatReturnView,
)
from .reports_cashflow import CashFlowEntriesView, CashFlowView, CashPositionView

urlpatterns = [
    path("trial-balance/", TrialBalanceView.as_view(), name="report_trial_balance"),
    path("general-ledger/", GeneralLedgerView.as_view(), name="report_general_ledger"),
    path("balance-sheet/", BalanceSheetView.as_view(), name="report_balance_sheet"),
    path("profit-loss/", ProfitAndLossView.as_view(), name="report_profit_loss"),
    path("aged-receivables/", AgedReceivablesView.as_view(), name="report_aged_receivables"),
    path("aged-payables/", AgedPayablesView.as_view(), name="report_aged_payables"),
    path("partner-statement/", PartnerStatementView.as_view(), name="report_partner_statement"),
    path("vat-return/", VatReturnView.as_view(), name="report_vat_return"),
    path("cash-flow/", CashFlowView.as_view(), name="report_cash_flow"),
    path("cash-flow/entries/", CashFlowEntriesView.as_view(), name="report_cash_flow_entries"),
    path("cash-position/", CashPositionView.as_view(), name="report_cash_position"),
]

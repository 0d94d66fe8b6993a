"""The report screens, mounted by accounting/urls.py at /accounting/reports/ (names in the
`accounting` namespace: accounting:report_trial_balance, ...)."""

from django.urls import path

from .views import reports, reports_cashflow

urlpatterns = [
    path("trial-balance/", reports.TrialBalanceView.as_view(), name="report_trial_balance"),
    path("general-ledger/", reports.GeneralLedgerView.as_view(), name="report_general_ledger"),
    path("balance-sheet/", reports.BalanceSheetView.as_view(), name="report_balance_sheet"),
    path("profit-loss/", reports.ProfitAndLossView.as_view(), name="report_profit_loss"),
    path("aged-receivables/", reports.AgedReceivablesView.as_view(), name="report_aged_receivables"),
    path("aged-payables/", reports.AgedPayablesView.as_view(), name="report_aged_payables"),
    path("partner-statement/", reports.PartnerStatementView.as_view(), name="report_partner_statement"),
    path("vat-return/", reports.VatReturnView.as_view(), name="report_vat_return"),
    path("cash-flow/", reports_cashflow.CashFlowView.as_view(), name="report_cash_flow"),
    path("cash-flow/entries/", reports_cashflow.CashFlowEntriesView.as_view(), name="report_cash_flow_entries"),
    path("cash-position/", reports_cashflow.CashPositionView.as_view(), name="report_cash_position"),
]

"""The web UI of accounting (mounted at /accounting/)."""

from django.urls import include, path

from tessera.core.views.generic import screen_urls as screens

from .views import entries, periods, setup

app_name = "accounting"

urlpatterns = [
    *screens("entries/", "journalentry", list_view=entries.EntryListView, detail=entries.EntryDetailView,
             create=entries.EntryCreateView, update=entries.EntryUpdateView, delete=entries.EntryDeleteView),
    path("entries/<int:pk>/post/", entries.EntryPostView.as_view(), name="journalentry_post"),
    path("entries/<int:pk>/reverse/", entries.EntryReverseView.as_view(), name="journalentry_reverse"),
    path("entries/<int:pk>/print/", entries.EntryPrintView.as_view(), name="journalentry_print"),
    path("verify/", entries.LedgerVerifyView.as_view(), name="ledger_verify"),
    *screens("accounts/", "account", list_view=setup.AccountListView, detail=setup.AccountDetailView,
             create=setup.AccountCreateView, update=setup.AccountUpdateView, delete=setup.AccountDeleteView),
    path("accounts/install/", setup.ChartInstallView.as_view(), name="chart_install"),
    *screens("journals/", "journal", list_view=setup.JournalListView, detail=setup.JournalDetailView,
             create=setup.JournalCreateView, update=setup.JournalUpdateView),
    *screens("taxes/", "tax", list_view=setup.TaxListView, detail=setup.TaxDetailView, create=setup.TaxCreateView,
             update=setup.TaxUpdateView),
    *screens("cost-centres/", "costcenter", list_view=setup.CostCenterListView, detail=setup.CostCenterDetailView,
             create=setup.CostCenterCreateView, update=setup.CostCenterUpdateView),
    *screens("fiscal-years/", "fiscalyear", list_view=periods.FiscalYearListView,
             detail=periods.FiscalYearDetailView, create=periods.FiscalYearCreateView),
    path("fiscal-years/<int:pk>/close/", periods.FiscalYearCloseView.as_view(), name="fiscalyear_close"),
    path("fiscal-years/<int:pk>/reopen/", periods.FiscalYearReopenView.as_view(), name="fiscalyear_reopen"),
    path("periods/<int:pk>/close/", periods.PeriodCloseView.as_view(), name="period_close"),
    path("periods/<int:pk>/reopen/", periods.PeriodReopenView.as_view(), name="period_reopen"),
    # The report screens (trial balance, general ledger, statements): report_urls.py.
    path("reports/", include("tessera.accounting.report_urls")),
]

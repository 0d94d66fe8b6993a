"""The web UI of accounting (mounted at /accounting/)."""

from django.urls import include, path

from tessera.core.views.generic import screen_urls as screens

from .views import entries, invoices, payments, periods, setup

app_name = "accounting"

urlpatterns = [
    *screens("entries/", "journalentry", list_view=entries.EntryListView, detail=entries.EntryDetailView,
             create=entries.EntryCreateView, update=entries.EntryUpdateView, delete=entries.EntryDeleteView),
    path("entries/<int:pk>/post/", entries.EntryPostView.as_view(), name="journalentry_post"),
    path("entries/<int:pk>/reverse/", entries.EntryReverseView.as_view(), name="journalentry_reverse"),
    path("entries/<int:pk>/print/", entries.EntryPrintView.as_view(), name="journalentry_print"),
    path("verify/", entries.LedgerVerifyView.as_view(), name="ledger_verify"),
    *screens("invoices/", "invoice", list_view=invoices.InvoiceListView, detail=invoices.InvoiceDetailView,
             create=invoices.InvoiceCreateView, update=invoices.InvoiceUpdateView, delete=invoices.InvoiceDeleteView),
    path("invoices/<int:pk>/post/", invoices.InvoicePostView.as_view(), name="invoice_post"),
    path("invoices/<int:pk>/cancel/", invoices.InvoiceCancelView.as_view(), name="invoice_cancel"),
    path("invoices/<int:pk>/credit-note/", invoices.InvoiceCreditNoteView.as_view(), name="invoice_credit_note"),
    path("invoices/<int:pk>/print/", invoices.InvoicePrintView.as_view(), name="invoice_print"),
    *screens("payments/", "payment", list_view=payments.PaymentListView, detail=payments.PaymentDetailView,
             create=payments.PaymentCreateView, update=payments.PaymentUpdateView, delete=payments.PaymentDeleteView),
    path("payments/<int:pk>/post/", payments.PaymentPostView.as_view(), name="payment_post"),
    path("payments/<int:pk>/cancel/", payments.PaymentCancelView.as_view(), name="payment_cancel"),
    path("payments/<int:pk>/allocate/", payments.PaymentAllocateView.as_view(), name="payment_allocate"),
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
    # Bank accounts, statements and reconciliation; exchange revaluation.
    path("bank/", include("tessera.accounting.bank_urls")),
    path("revaluations/", include("tessera.accounting.revaluation_urls")),
]

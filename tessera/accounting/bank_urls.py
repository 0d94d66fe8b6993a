"""The bank screens, mounted by accounting/urls.py at /accounting/bank/ (names in the `accounting`
namespace: accounting:bankaccount_list, accounting:bankaccount_reconcile, ...)."""

from django.urls import path

from tessera.core.views.generic import screen_urls as screens

from .views import bank, bank_reconcile

urlpatterns = [
    *screens("accounts/", "bankaccount", list_view=bank.BankAccountListView, detail=bank.BankAccountDetailView,
             create=bank.BankAccountCreateView, update=bank.BankAccountUpdateView, delete=bank.BankAccountDeleteView),
    path("accounts/<int:pk>/import/", bank.StatementImportView.as_view(), name="bankaccount_import"),
    path("reconcile/<int:pk>/", bank_reconcile.ReconcileView.as_view(), name="bankaccount_reconcile"),
    path("reconcile/<int:pk>/statement/", bank_reconcile.ReconciliationReportView.as_view(),
         name="bankaccount_reconciliation"),
    *screens("statements/", "bankstatement", list_view=bank.StatementListView, detail=bank.StatementDetailView,
             delete=bank.StatementDeleteView),
    path("statements/<int:pk>/auto-match/", bank.StatementAutoMatchView.as_view(), name="bankstatement_auto_match"),
    path("reconcile/", bank_reconcile.ReconcileHomeView.as_view(), name="bank_reconcile_home"),
    path("lines/<int:pk>/", bank_reconcile.LineDetailView.as_view(), name="bankstatementline_detail"),
    path("lines/<int:pk>/match/", bank_reconcile.LineMatchView.as_view(), name="bankstatementline_match"),
    path("lines/<int:pk>/create-entry/", bank_reconcile.LineCreateEntryView.as_view(),
         name="bankstatementline_create_entry"),
    path("lines/<int:pk>/create-payment/", bank_reconcile.LineCreatePaymentView.as_view(),
         name="bankstatementline_create_payment"),
    path("lines/<int:pk>/ignore/", bank_reconcile.LineIgnoreView.as_view(), name="bankstatementline_ignore"),
    path("lines/<int:pk>/unignore/", bank_reconcile.LineUnignoreView.as_view(), name="bankstatementline_unignore"),
    path("lines/<int:pk>/unmatch/", bank_reconcile.LineUnmatchView.as_view(), name="bankstatementline_unmatch"),
]

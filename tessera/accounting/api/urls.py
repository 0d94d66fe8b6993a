"""Mounted at /api/v1/accounting/: ledger set-up, journal entries, invoices, payments and (report_urls) the reports."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .entries import EntryViewSet
from .invoices import InvoiceViewSet
from .payments import PaymentViewSet
from .setup import (
    AccountViewSet,
    CostCenterViewSet,
    FiscalYearViewSet,
    JournalViewSet,
    PeriodViewSet,
    TaxViewSet,
)

router = SimpleRouter()
router.register("accounts", AccountViewSet, basename="account")
router.register("journals", JournalViewSet, basename="journal")
router.register("taxes", TaxViewSet, basename="tax")
router.register("cost-centers", CostCenterViewSet, basename="costcenter")
router.register("fiscal-years", FiscalYearViewSet, basename="fiscalyear")
router.register("periods", PeriodViewSet, basename="period")
router.register("entries", EntryViewSet, basename="entry")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")

urlpatterns = [
    path("reports/", include("tessera.accounting.api.report_urls")),
    path("", include("tessera.accounting.api.bank_urls")),  # bank-accounts/, bank-statements/, ...
    path("", include("tessera.accounting.api.revaluation_urls")),  # revaluations/
    *router.urls,
]

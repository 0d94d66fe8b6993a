"""The web UI of partners (mounted at /partners/)."""

from tessera.core.views.generic import screen_urls as screens

from . import views

app_name = "partners"

urlpatterns = [
    *screens("payment-terms/", "paymentterm", list_view=views.PaymentTermListView, detail=views.PaymentTermDetailView,
             create=views.PaymentTermCreateView, update=views.PaymentTermUpdateView),
    *screens("", "partner", list_view=views.PartnerListView, detail=views.PartnerDetailView,
             create=views.PartnerCreateView, update=views.PartnerUpdateView),
]

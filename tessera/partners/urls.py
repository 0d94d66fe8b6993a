"""The web UI of partners (mounted at /partners/)."""

from tessera.core.views.generic import screen_urls as screens
from tessera.core.views.lines import line_urls

from . import views

app_name = "partners"

urlpatterns = [
    *screens("payment-terms/", "paymentterm", list_view=views.PaymentTermListView, detail=views.PaymentTermDetailView,
             create=views.PaymentTermCreateView, update=views.PaymentTermUpdateView),
    *screens("tags/", "partnertag", list_view=views.PartnerTagListView, detail=views.PartnerTagDetailView,
             create=views.PartnerTagCreateView, update=views.PartnerTagUpdateView, delete=views.PartnerTagDeleteView),
    *line_urls("<int:parent_pk>/addresses/", views.AddressLinesView, "partner_addresses"),
    *line_urls("<int:parent_pk>/contacts/", views.ContactLinesView, "partner_contacts"),
    *line_urls("<int:parent_pk>/bank-accounts/", views.BankAccountLinesView, "partner_bank_accounts"),
    *screens("", "partner", list_view=views.PartnerListView, detail=views.PartnerDetailView,
             create=views.PartnerCreateView, update=views.PartnerUpdateView),
]

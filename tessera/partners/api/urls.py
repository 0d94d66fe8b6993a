"""Mounted at /api/v1/partners/: the partner collection is the root, payment terms and tags beside it,
each partner's addresses, contacts and bank accounts below it."""

from rest_framework.routers import SimpleRouter

from .views import (
    PartnerAddressViewSet,
    PartnerBankAccountViewSet,
    PartnerContactViewSet,
    PartnerTagViewSet,
    PartnerViewSet,
    PaymentTermViewSet,
)

router = SimpleRouter()
# Payment terms and tags first: their URLs must be tried before the partner item route `<id>/`.
router.register("payment-terms", PaymentTermViewSet, basename="paymentterm")
router.register("tags", PartnerTagViewSet, basename="partnertag")
router.register(r"(?P<partner_pk>\d+)/addresses", PartnerAddressViewSet, basename="partneraddress")
router.register(r"(?P<partner_pk>\d+)/contacts", PartnerContactViewSet, basename="partnercontact")
router.register(r"(?P<partner_pk>\d+)/bank-accounts", PartnerBankAccountViewSet, basename="partnerbankaccount")
router.register("", PartnerViewSet, basename="partner")

urlpatterns = router.urls

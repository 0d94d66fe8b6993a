"""Mounted at /api/v1/partners/: the partner collection is the root, payment terms beside it."""

from rest_framework.routers import SimpleRouter

from .views import PartnerViewSet, PaymentTermViewSet

router = SimpleRouter()
# Payment terms first: their URLs must be tried before the partner item route `<id>/`.
router.register("payment-terms", PaymentTermViewSet, basename="paymentterm")
router.register("", PartnerViewSet, basename="partner")

urlpatterns = router.urls

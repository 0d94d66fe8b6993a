"""Mounted at /api/v1/approvals/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import DelegationViewSet, DocumentTypesView, InboxViewSet, RequestViewSet, RuleViewSet

router = SimpleRouter()
router.register("rules", RuleViewSet, basename="rule")
router.register("requests", RequestViewSet, basename="request")
router.register("inbox", InboxViewSet, basename="inbox")
router.register("delegations", DelegationViewSet, basename="delegation")

urlpatterns = [
    path("document-types/", DocumentTypesView.as_view(), name="document-types"),
    *router.urls,
]

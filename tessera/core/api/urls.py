"""The REST API under /api/v1/ (API.md): core endpoints, each module's API, schema and docs.

A module's API lives in `tessera/<app>/api/urls.py` and is mounted at `/api/v1/<app>/` when the app
is installed, so adding a module needs no edit here. Routers are SimpleRouters: no browsable API
root and no format suffixes, so every URL below is an endpoint that requires authentication.
"""

from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .views.access import RoleViewSet, UserViewSet
from .views.auth import ApiTokenViewSet, MeView, TokenLoginView
from .views.collaboration import (
    NotificationPreferenceViewSet,
    NotificationViewSet,
    WebhookDeliveryViewSet,
    WebhookViewSet,
)
from .views.logs import AuditEntryViewSet, DomainEventViewSet, JobViewSet
from .views.setup import CompanyViewSet, CurrencyViewSet, ExchangeRateViewSet, SequenceViewSet

app_name = "api"

core = SimpleRouter()
core.register("companies", CompanyViewSet, basename="company")
core.register("currencies", CurrencyViewSet, basename="currency")
core.register("exchange-rates", ExchangeRateViewSet, basename="exchangerate")
core.register("users", UserViewSet, basename="user")
core.register("roles", RoleViewSet, basename="role")
core.register("sequences", SequenceViewSet, basename="sequence")
core.register("tokens", ApiTokenViewSet, basename="token")
core.register("audit", AuditEntryViewSet, basename="auditentry")
core.register("events", DomainEventViewSet, basename="domainevent")
core.register("jobs", JobViewSet, basename="job")
core.register("notifications", NotificationViewSet, basename="notification")
core.register("notification-preferences", NotificationPreferenceViewSet, basename="notificationpreference")
core.register("webhooks/deliveries", WebhookDeliveryViewSet, basename="webhookdelivery")  # before webhooks/{id}
core.register("webhooks", WebhookViewSet, basename="webhooksubscription")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="token-login"),
    path("core/me/", MeView.as_view(), name="me"),
    path("core/", include((core.urls, "core"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]


def _module_apis() -> list:
    """`<app>/` for every installed Tessera app (other than core) that has an `api/urls.py`."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tessera.") or config.label == "core":
            continue
        module = f"{config.name}.api.urls"
        if find_spec(f"{config.name}.api") is not None and find_spec(module) is not None:
            found.append(path(f"{config.label}/", include((module, config.label))))
    return found


urlpatterns += _module_apis()

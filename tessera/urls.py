"""Top-level URLs: the web UI, the REST API under /api/v1/, health and metrics."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("", include("tessera.core.ops_urls")),
    path("", include("tessera.core.auth_urls")),
    path("", include("tessera.core.urls")),
    path("approvals/", include("tessera.approvals.urls")),
    path("partners/", include("tessera.partners.urls")),
    path("products/", include("tessera.products.urls")),
    path("accounting/", include("tessera.accounting.urls")),
    path("inventory/", include("tessera.inventory.urls")),
    path("purchasing/", include("tessera.purchasing.urls")),
    path("api/v1/", include("tessera.core.api.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Errors answer in the API's JSON shape under /api/ and as pages elsewhere.
handler400 = "tessera.core.handlers.bad_request"
handler403 = "tessera.core.handlers.permission_denied"
handler404 = "tessera.core.handlers.not_found"
handler500 = "tessera.core.handlers.server_error"

"""Top-level URLs: the web UI, the REST API under /api/v1/, health and metrics."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("", include("tessera.core.urls")),
    path("api/v1/", include("tessera.core.api.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

"""Operations URLs at the site root: /health/ and /metrics (no login)."""

from django.urls import path

from . import ops

urlpatterns = [
    path("health/", ops.health, name="health"),
    path("metrics", ops.metrics_view, name="metrics"),
]

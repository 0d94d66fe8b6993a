"""Operations endpoints: `/health/` for load balancers and `/metrics` for Prometheus. No login.

/metrics asks for `Authorization: Bearer <METRICS_TOKEN>` when the METRICS_TOKEN environment
variable (or setting) is set.
"""

import hmac
import os
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import metrics

BROKER_TIMEOUT_SECONDS = 2


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key = f"tessera-health-{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    found = cache.get(key)
    cache.delete(key)
    return "ok" if found == "1" else "error"


def _check_broker() -> str:
    from tessera.celery import app

    if app.conf.task_always_eager:
        return "eager"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
@require_GET
def health(request):
    """{"status": "ok"|"error", "checks": {"database": ..., "cache": ..., "broker": ok|eager|error}}."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # any failure of a dependency is reported, not raised
            results[name] = "error"
    healthy = all(value in {"ok", "eager"} for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503)


def _metrics_token() -> str:
    return getattr(settings, "METRICS_TOKEN", None) or os.environ.get("METRICS_TOKEN", "")


@never_cache
@require_GET
def metrics_view(request):
    """The Prometheus exposition of tessera.core.metrics."""
    token = _metrics_token()
    if token:
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)

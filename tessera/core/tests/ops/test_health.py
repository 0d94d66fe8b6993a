"""/health/: database, cache and broker status; 200 when healthy, 503 otherwise; no login."""

import socket

import pytest

from tessera.celery import app


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def real_broker(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def use(url):
        monkeypatch.setitem(app.conf, "broker_url", url)

    return use


@pytest.mark.django_db
def test_health_answers_ok_without_login_and_broker_eager(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "eager"}}


@pytest.mark.django_db
def test_health_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "error", "broker": "eager"}


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_unreachable(client, real_broker):
    real_broker("redis://127.0.0.1:1/0")

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "error"


@pytest.mark.django_db
@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_health_reports_a_reachable_broker_ok(client, real_broker):
    real_broker("redis://127.0.0.1:6379/15")

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"

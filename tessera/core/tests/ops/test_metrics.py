"""/metrics: Prometheus text of requests, latencies and query counts by view; optional bearer token."""

import pytest
from prometheus_client import REGISTRY


def _sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db
def test_requests_are_counted_by_view_method_and_status(client):
    before = _sample("tessera_http_requests_total", view="health", method="GET", status="200")

    client.get("/health/")

    assert _sample("tessera_http_requests_total", view="health", method="GET", status="200") == before + 1


@pytest.mark.django_db
def test_latency_and_database_queries_are_recorded_by_view(client):
    latency_before = _sample("tessera_http_request_duration_seconds_count", view="health", method="GET")
    queries_before = _sample("tessera_db_queries_total", view="health")

    client.get("/health/")

    assert _sample("tessera_http_request_duration_seconds_count", view="health", method="GET") == latency_before + 1
    assert _sample("tessera_db_queries_total", view="health") >= queries_before + 1  # the SELECT 1 at least


@pytest.mark.django_db
def test_unknown_paths_are_counted_under_one_label(client):
    before = _sample("tessera_http_requests_total", view="<unresolved>", method="GET", status="404")

    client.get("/no-such-page-here/", secure=True)  # https: no redirect to it first

    assert _sample("tessera_http_requests_total", view="<unresolved>", method="GET", status="404") == before + 1


@pytest.mark.django_db
def test_metrics_are_served_in_prometheus_text_format(client):
    client.get("/health/")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert 'tessera_http_requests_total{method="GET",status="200",view="health"}' in response.content.decode()


@pytest.mark.django_db
def test_metrics_need_the_bearer_token_when_one_is_set(client, settings):
    settings.METRICS_TOKEN = "scrape-secret"

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200

"""Prometheus metrics (prometheus_client): requests, latency and database queries by view.

Under gunicorn every worker process counts its own requests: `tessera serve` sets
PROMETHEUS_MULTIPROC_DIR so that /metrics adds up all workers' numbers.
"""

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

REQUESTS = Counter("tessera_http_requests_total", "HTTP requests", ["view", "method", "status"])
LATENCY = Histogram(
    "tessera_http_request_duration_seconds", "Time to answer a request", ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Histogram(
    "tessera_db_queries_per_request", "Database queries a request ran", ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500),
)
QUERY_TOTAL = Counter("tessera_db_queries_total", "Database queries run by requests", ["view"])


def observe_request(*, view: str, method: str, status: int, seconds: float, queries: int) -> None:
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view, method=method).observe(seconds)
    QUERIES.labels(view=view).observe(queries)
    QUERY_TOTAL.labels(view=view).inc(queries)


def render() -> tuple[bytes, str]:
    """The exposition text and its content type (all worker processes' numbers in multi-process mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST

"""gunicorn settings used by `tessera serve`: metrics summed over worker processes, logs to stderr."""

import os

accesslog = None  # Tessera logs each request itself (JSON, with its request id)
errorlog = "-"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    # A dead worker's live gauges must not be summed any more (prometheus_client multi-process mode).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

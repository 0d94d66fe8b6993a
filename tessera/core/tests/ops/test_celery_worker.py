"""A real Celery worker (subprocess) on the broker in CELERY_BROKER_URL runs a job from the test database.

Runs only with `pytest --run-celery-worker` (.ci/run passes it when Redis is reachable).
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tessera.core.models import Job
from tessera.core.services.jobs import job_enqueue

pytestmark = pytest.mark.celery_worker
WAIT_SECONDS = 60


def _database_url() -> str:
    """The test database (not the configured one) as a DATABASE_URL for the worker."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the test database is in memory; a worker process cannot reach it")
        return f"sqlite:///{name}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        pytest.skip("CELERY_BROKER_URL is not set: no broker for a worker")
    from tessera.celery import app

    app.conf.task_always_eager = False
    env = {**os.environ, "CELERY_BROKER_URL": broker, "DATABASE_URL": _database_url(),
           "TESSERA_DATA_DIR": str(settings.DATA_DIR), "MEDIA_ROOT": str(tmp_path)}
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below, after the worker stops
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tessera", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=Path(settings.BASE_DIR).parent, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    yield process, tmp_path / "worker.log"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def test_a_worker_runs_an_enqueued_job(worker, admin_user, company, settings, tmp_path):
    process, log = worker
    settings.MEDIA_ROOT = tmp_path

    job = job_enqueue(actor=admin_user, kind="core.export_audit", params={"format": "csv"}, company=company)

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        job.refresh_from_db()
        if job.state in {"succeeded", "failed"}:
            break
        time.sleep(0.25)
    job.refresh_from_db()
    assert job.state == "succeeded", f"job {job.state} {job.error!r}; worker log:\n{log.read_text()[-3000:]}"
    assert Path(job.result["path"]).is_file()
    assert job.result["rows"] >= 1
    assert Job.objects.get(pk=job.pk).progress == 100

"""Background jobs: enqueue a Job, report its progress, run it exactly once.

A job kind is a function registered with `tessera.core.tasks.job_task`; one Celery task
(`tasks.run_job`) runs every kind by calling `job_run`. With no broker Celery runs eagerly, so the
job runs in-process right after the enqueuing transaction commits.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .. import context, events
from ..errors import DomainError, ValidationFailed
from ..models import Company, Job
from ..models.jobs import JobState
from ..permissions import require

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    """What a job kind runs, and the permission its user needs (checked on enqueue and again on run)."""

    code: str
    function: Callable[[Job, Callable[[int, str], None]], dict]
    permission: str
    label: str


KINDS: dict[str, JobKind] = {}
_discovered = False


def job_kind_register(kind: JobKind) -> JobKind:
    KINDS[kind.code] = kind
    return kind


def job_kind_get(code: str) -> JobKind | None:
    """The registered kind `code`; every app's tasks.py is imported first (that is where kinds live)."""
    global _discovered
    if code not in KINDS and not _discovered:
        autodiscover_modules("tasks")
        _discovered = True
    return KINDS.get(code)


def job_enqueue(*, actor, kind: str, params: dict | None = None, company: Company | None = None) -> Job:
    """Create a queued Job and send it to the workers once the transaction commits.

    Raises ValidationFailed (unknown kind) and PermissionDenied (the kind's permission in `company`).
    """
    definition = job_kind_get(kind)
    if definition is None:
        raise ValidationFailed(fields={"kind": [_("Unknown job kind: %(kind)s.") % {"kind": kind}]})
    require(actor, definition.permission, company)
    with transaction.atomic():
        job = Job.objects.create(
            company=company, user=actor if getattr(actor, "is_authenticated", False) else None,
            kind=kind, params=params or {},
        )
        transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> None:
    from ..tasks import run_job

    try:
        if run_job.app.conf.task_always_eager:
            run_job.apply(args=(job_id,))  # in-process, without touching a broker connection
        else:
            run_job.delay(job_id)
    except Exception as error:  # the broker is down: the job must not stay queued for ever
        logger.exception("Could not send job %s to the workers", job_id)
        _finish(job_id, JobState.FAILED, error=_("The job queue could not be reached: %(error)s") % {"error": error})


def job_progress(job_id: int, percent: int, message: str = "") -> None:
    """Record how far a running job is. Call it between the job's own transactions so others see it."""
    percent = max(0, min(100, int(percent)))
    with transaction.atomic():
        Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(progress=percent, message=message[:255])


def _claim(job_id: int) -> bool:
    """queued -> running, atomically: a job already running or finished is never run again."""
    with transaction.atomic():
        return bool(
            Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
                state=JobState.RUNNING, started_at=timezone.now(), progress=0
            )
        )


def _finish(job_id: int, state: str, *, result: dict | None = None, error: str = "") -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return
        job.state = state
        job.result = result or {}
        job.error = str(error)
        job.finished_at = timezone.now()
        if state == JobState.SUCCEEDED:
            job.progress = 100
        job.save(update_fields=["state", "result", "error", "finished_at", "progress"])
        events.emit(
            f"core.job.{state}", company=job.company, obj=job, payload={"kind": job.kind, "user": job.user_id}
        )


def job_run(*, job_id: int) -> str | None:
    """Run a queued job: mark it running, call its kind, then mark it succeeded (with the kind's result)
    or failed (with the error). Returns the final state, or None when the job was not run (unknown,
    already running or finished). The work runs as the job's user, channel "system".
    """
    if not _claim(job_id):
        logger.info("Job %s is not queued; not run again", job_id)
        return None
    job = Job.objects.select_related("company", "user").get(pk=job_id)
    definition = job_kind_get(job.kind)
    try:
        if definition is None:
            raise ValidationFailed(_("Unknown job kind: %(kind)s.") % {"kind": job.kind})
        with context.acting(user=job.user, channel="system", company=job.company):
            require(job.user, definition.permission, job.company)
            result = definition.function(job, lambda percent, message="": job_progress(job.pk, percent, message))
    except DomainError as error:
        _finish(job_id, JobState.FAILED, error=str(error.message))
        return JobState.FAILED
    except Exception as error:  # any failure is recorded on the job, for its user to see
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        _finish(job_id, JobState.FAILED, error=f"{type(error).__name__}: {error}")
        return JobState.FAILED
    _finish(job_id, JobState.SUCCEEDED, result=result or {})
    return JobState.SUCCEEDED

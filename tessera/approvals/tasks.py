"""Scheduled work of approvals: escalate the steps undecided for too long.

`escalate_due` is the Celery task the beat schedule runs daily (settings CELERY_BEAT_SCHEDULE
"approvals-escalate"); the job kind `approvals.escalate` runs the same from the UI or API, with progress
and a result; `tessera approvals-escalate [--date YYYY-MM-DD]` from cron.
"""

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tessera.core import context
from tessera.core.tasks import job_task

from .services.escalation import approval_escalate_due


def today():
    return timezone.localdate()


@shared_task(name="tessera.approvals.escalate_due", ignore_result=True)
def escalate_due() -> int:
    """Escalate every due step of every company (idempotent: a step escalates once)."""
    with context.acting(channel="system"):
        return len(approval_escalate_due(today=today()))


@job_task("approvals.escalate", permission="approvals.change_approvalrequest", label=_("Escalate overdue approvals"))
def escalate_job(job, progress) -> dict:
    return {"escalated": len(approval_escalate_due(today=today()))}

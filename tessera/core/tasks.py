"""Celery tasks of core: the one task that runs every background job, and core's own job kinds.

Apps declare job kinds in their own tasks.py:

    @job_task("inventory.revalue", permission="inventory.change_stockvaluation", label=_("Revalue stock"))
    def revalue(job, progress):
        ...                      # call services; progress(40, "Half way") between transactions
        return {"moved": 12}     # stored as the job's result

and start them with `services.jobs.job_enqueue(actor=..., kind="inventory.revalue", params={...})`.
"""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from .services.exports import audit_trail_export
from .services.jobs import JobKind, job_kind_register, job_run


def job_task(code: str, *, permission: str, label=""):
    """Register the decorated function `(job, progress) -> dict` as the job kind `code`.

    The job runs with its user's permissions; `permission` is checked when it is enqueued and again
    when it starts.
    """

    def decorator(function):
        job_kind_register(JobKind(code=code, function=function, permission=permission, label=label or code))
        return function

    return decorator


@shared_task(name="tessera.core.run_job", ignore_result=True)
def run_job(job_id: int) -> str | None:
    """Run Job `job_id` once (a job that is running or finished is left alone, so redelivery is safe)."""
    return job_run(job_id=job_id)


@job_task("core.export_audit", permission="core.view_auditentry", label=_("Export the audit trail"))
def export_audit(job, progress) -> dict:
    """params: format (csv|xlsx), date_from, date_to (YYYY-MM-DD, optional)."""
    params = job.params
    company_code = job.company.code if job.company else "all"
    return audit_trail_export(
        actor=job.user, company=job.company, file_format=params.get("format", "csv"),
        date_from=params.get("date_from"), date_to=params.get("date_to"),
        name=f"audit-{company_code}-job{job.pk}", progress=progress,
    )


# --- Collaboration: the event log's consumers and webhook deliveries ------------------------------

@shared_task(name="tessera.core.dispatch_events", ignore_result=True)
def dispatch_events() -> dict:
    """Notifications and webhook deliveries for every event not yet handled (after each commit that wrote
    events, and periodically to catch up)."""
    from .services.dispatch import events_dispatch

    return events_dispatch()


@shared_task(name="tessera.core.deliver_webhook", ignore_result=True, bind=True)
def deliver_webhook(self, delivery_id: int) -> str | None:
    """One attempt of a webhook delivery; a failed one is retried by this task after its backoff."""
    from django.utils import timezone

    from .models.webhooks import DeliveryState
    from .services.webhooks import webhook_deliver

    delivery = webhook_deliver(delivery_id=delivery_id)
    if delivery is None:
        return None
    if delivery.state == DeliveryState.PENDING and delivery.next_attempt_at and not self.app.conf.task_always_eager:
        countdown = max(1, int((delivery.next_attempt_at - timezone.now()).total_seconds()))
        self.apply_async(args=(delivery_id,), countdown=countdown)
    return delivery.state


@shared_task(name="tessera.core.webhooks_deliver_due", ignore_result=True)
def webhooks_deliver_due() -> int:
    """Periodic catch-up: every pending delivery whose next attempt is due."""
    from .services.webhooks import webhook_deliver_due

    return webhook_deliver_due()

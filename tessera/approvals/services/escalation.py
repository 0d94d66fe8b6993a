"""Escalation: a step still undecided N days after it started gets more approvers — the approvers of
the request's next level, or the users of a named role. Run daily by the scheduler (Celery beat entry
`approvals-escalate`, the job kind `approvals.escalate`, or `tessera approvals-escalate`).

Each step escalates once. The requester and the document's owner are never added (segregation of
duties). Escalating is idempotent: running the job twice on one day changes nothing the second time.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from tessera.core import audit
from tessera.core.models.audit import AuditAction

from ..choices import EscalateTo, RequestState, StepState
from ..models import ApprovalRequest, ApprovalRequestStep
from .requests import _emit, lock_request, own_party, role_users

logger = logging.getLogger(__name__)


def _due(step: ApprovalRequestStep, today: datetime.date) -> bool:
    started_on = timezone.localdate(step.started_at)
    return started_on + datetime.timedelta(days=step.escalate_after_days) <= today


def _targets(request: ApprovalRequest, step: ApprovalRequestStep) -> set[int]:
    if step.escalate_to == EscalateTo.ROLE and step.escalate_role_id:
        return set(role_users(step.escalate_role, request.company).values_list("pk", flat=True))
    if step.escalate_to == EscalateTo.NEXT_LEVEL:
        following = request.steps.filter(level__gt=step.level).order_by("level").first()
        if following is None:
            return set()
        return {pk for later in request.steps.filter(level=following.level)
                for pk in later.approvers.values_list("pk", flat=True)}
    return set()


def step_escalate(*, step: ApprovalRequestStep, today: datetime.date) -> list[int] | None:
    """Escalate one step if it is due: lock its request, add the targets as approvers, record it.
    Returns the ids added ([] when nobody new could be added), or None when the step was not due."""
    with transaction.atomic():
        request = lock_request(step.request)
        step = ApprovalRequestStep.objects.select_related("escalate_role").get(pk=step.pk)
        if (request.state != RequestState.PENDING or step.state != StepState.PENDING or step.escalated_at
                or not step.escalate_after_days or not step.escalate_to or step.started_at is None
                or not _due(step, today)):
            return None
        current = set(step.approvers.values_list("pk", flat=True))
        added = sorted(_targets(request, step) - current - own_party(request))
        if added:
            step.approvers.add(*added)
        else:
            logger.warning("Approval request %s: step %s is due for escalation but nobody can be added",
                           request.pk, step.pk)
        step.escalated_at = timezone.now()
        step.save(update_fields=["escalated_at"])
        audit.write_entry(request, AuditAction.UPDATE, {"escalated": [step.name, added]})
        _emit(request, "escalated", step=step.pk, approvers=added)
    return added


def approval_escalate_due(*, today: datetime.date | None = None) -> list[ApprovalRequest]:
    """Escalate every step, of every company, whose escalation is due on `today` (default: today).
    Returns the requests that were escalated."""
    today = today or timezone.localdate()
    candidates = (ApprovalRequestStep.objects
                  .filter(state=StepState.PENDING, request__state=RequestState.PENDING, escalated_at__isnull=True,
                          escalate_after_days__isnull=False, started_at__isnull=False)
                  .exclude(escalate_to="").select_related("request").order_by("request_id", "pk"))
    escalated: dict[int, ApprovalRequest] = {}
    for step in candidates:
        if not _due(step, today):
            continue
        if step_escalate(step=step, today=today) is not None:
            escalated[step.request_id] = step.request
    return list(escalated.values())

"""Delegation while away (on behalf of, never for one's own document, only within its dates) and
escalation after N days (to a role or the next level, once, by the job and the command)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tessera.approvals.models import ApprovalDecision, Delegation
from tessera.approvals.services import (
    approval_approve,
    approval_escalate_due,
    approval_submit,
    delegation_create,
    delegation_update,
)
from tessera.approvals.services.requests import awaiting
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import DomainEvent

from ..factories import RuleFactory, StepFactory, role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def deputy(make_user):
    return make_user("purchaser", username="deputy")


def away(actor, delegate, *, user=None, days=(0, 7)):
    return delegation_create(actor=actor, company=actor.profile.default_company, data={
        "user": user or actor, "delegate": delegate, "starts_on": TODAY() + datetime.timedelta(days=days[0]),
        "ends_on": TODAY() + datetime.timedelta(days=days[1]), "reason": "Holiday"})


# --- delegation --------------------------------------------------------------------------------------------

def test_a_delegate_decides_on_behalf_of_the_absent_approver(rule, people, make_request, deputy):
    away(people.pm1, deputy)
    request = approval_submit(actor=people.purchaser, document=make_request())

    assert list(awaiting(deputy, request.company)) == [request]
    approval_approve(actor=deputy, request=request, comment="For pm1")

    decision = ApprovalDecision.objects.get()
    assert (decision.approver, decision.on_behalf_of, decision.verdict) == (deputy, people.pm1, "approve")
    request.refresh_from_db()
    assert request.state == "approved"


def test_an_approver_represented_by_their_delegate_cannot_decide_again(company, people, make_request, deputy):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, role=role("purchasing_manager"), min_approvals=2)
    away(people.pm1, deputy)
    request = approval_submit(actor=people.purchaser, document=make_request())
    approval_approve(actor=deputy, request=request)

    with pytest.raises(Exception) as raised:
        approval_approve(actor=people.pm1, request=request)

    assert raised.value.code == "already_decided"
    approval_approve(actor=people.pm2, request=request)
    request.refresh_from_db()
    assert request.state == "approved"


def test_a_delegate_never_decides_their_own_document(rule, people, make_request):
    away(people.pm1, people.purchaser)  # the purchaser stands in for pm1 ...
    request = approval_submit(actor=people.purchaser, document=make_request())  # ... and raised the request

    with pytest.raises(PermissionDenied) as raised:
        approval_approve(actor=people.purchaser, request=request)

    assert "segregation of duties" in str(raised.value.message)
    assert list(awaiting(people.purchaser, request.company)) == []
    assert ApprovalDecision.objects.count() == 0


def test_a_delegation_outside_its_dates_gives_nothing(rule, people, make_request, deputy):
    away(people.pm1, deputy, days=(1, 5))
    request = approval_submit(actor=people.purchaser, document=make_request())

    with pytest.raises(PermissionDenied):
        approval_approve(actor=deputy, request=request)


def test_an_ended_delegation_gives_nothing(rule, people, make_request, deputy):
    delegation = away(people.pm1, deputy)
    delegation_update(actor=people.pm1, delegation=delegation, data={"is_active": False})
    request = approval_submit(actor=people.purchaser, document=make_request())

    with pytest.raises(PermissionDenied):
        approval_approve(actor=deputy, request=request)


def test_delegating_to_oneself_or_backwards_dates_are_refused(people):
    with pytest.raises(ValidationFailed) as raised:
        away(people.pm1, people.pm1)
    assert raised.value.fields["delegate"] == ["Delegate to someone else."]

    with pytest.raises(ValidationFailed) as raised:
        away(people.pm1, people.pm2, days=(5, 1))
    assert raised.value.fields == {"non_field_errors": ["The last day comes on or after the first."]}
    assert Delegation.objects.count() == 0


def test_only_rule_managers_set_up_delegations_for_someone_else(people, deputy):
    with pytest.raises(PermissionDenied):
        away(deputy, people.purchaser, user=people.pm1)

    delegation = away(people.admin, deputy, user=people.pm1)

    assert (delegation.user, delegation.delegate) == (people.pm1, deputy)


# --- escalation --------------------------------------------------------------------------------------------

def escalating_rule(company, **step):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, level=1, approver_type="user", role=None, escalate_after_days=3, **step)
    StepFactory(rule=rule, level=2, role=role("accounting_manager"))
    return rule


def test_a_step_undecided_for_n_days_escalates_to_the_role(company, people, make_request):
    escalating_rule(company, user=people.pm1, escalate_to="role", escalate_role=role("purchasing_manager"))
    request = approval_submit(actor=people.purchaser, document=make_request())

    assert approval_escalate_due(today=TODAY() + datetime.timedelta(days=2)) == []
    assert approval_escalate_due(today=TODAY() + datetime.timedelta(days=3)) == [request]

    step = request.steps.get(level=1)
    assert {user.username for user in step.approvers.all()} == {"pm1", "pm2"}
    assert step.escalated_at is not None
    event = DomainEvent.objects.get(name="approvals.request.escalated")
    assert event.payload["approvers"] == [people.pm2.pk]
    approval_approve(actor=people.pm2, request=request)
    request.refresh_from_db()
    assert request.current_level == 2


def test_escalation_happens_once(company, people, make_request):
    escalating_rule(company, user=people.pm1, escalate_to="role", escalate_role=role("purchasing_manager"))
    approval_submit(actor=people.purchaser, document=make_request())
    later = TODAY() + datetime.timedelta(days=10)

    approval_escalate_due(today=later)

    assert approval_escalate_due(today=later) == []
    assert DomainEvent.objects.filter(name="approvals.request.escalated").count() == 1


def test_escalation_to_the_next_level_adds_its_approvers(company, people, make_request):
    escalating_rule(company, user=people.pm1, escalate_to="next_level")
    request = approval_submit(actor=people.purchaser, document=make_request())

    approval_escalate_due(today=TODAY() + datetime.timedelta(days=3))

    assert {u.username for u in request.steps.get(level=1).approvers.all()} == {"pm1", "fm1"}


def test_escalation_never_adds_the_requester(company, people, make_request, make_user):
    escalating_rule(company, user=people.pm1, escalate_to="role", escalate_role=role("purchasing_manager"))
    requester = make_user("purchasing_manager", username="pm_requester")
    request = approval_submit(actor=requester, document=make_request(user=requester))

    approval_escalate_due(today=TODAY() + datetime.timedelta(days=3))

    assert {u.username for u in request.steps.get(level=1).approvers.all()} == {"pm1", "pm2"}


def test_decided_requests_do_not_escalate(company, people, make_request):
    escalating_rule(company, user=people.pm1, escalate_to="role", escalate_role=role("purchasing_manager"))
    request = approval_submit(actor=people.purchaser, document=make_request())
    approval_approve(actor=people.pm1, request=request)

    assert approval_escalate_due(today=TODAY() + datetime.timedelta(days=30)) == []


def test_the_command_escalates_what_is_due(company, people, make_request, capsys):
    escalating_rule(company, user=people.pm1, escalate_to="role", escalate_role=role("purchasing_manager"))
    approval_submit(actor=people.purchaser, document=make_request())

    call_command("approvals_escalate", date=(TODAY() + datetime.timedelta(days=3)).isoformat())

    assert "1" in capsys.readouterr().out
    assert DomainEvent.objects.filter(name="approvals.request.escalated").count() == 1


def test_the_job_kind_escalates_what_is_due(company, people, make_request):
    from tessera.core.services.jobs import job_enqueue

    escalating_rule(company, user=people.pm1, escalate_to="role", escalate_role=role("purchasing_manager"))
    approval_submit(actor=people.purchaser, document=make_request())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tessera.approvals.tasks.today", lambda: TODAY() + datetime.timedelta(days=3))
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            job = job_enqueue(actor=people.admin, kind="approvals.escalate", company=company)

    job.refresh_from_db()
    assert (job.state, job.result) == ("succeeded", {"escalated": 1})


def test_the_beat_schedule_runs_the_escalation(company, people, make_request):
    from django.conf import settings

    from tessera.celery import app

    escalating_rule(company, user=people.pm1, escalate_to="role", escalate_role=role("purchasing_manager"))
    approval_submit(actor=people.purchaser, document=make_request())
    entry = settings.CELERY_BEAT_SCHEDULE["approvals-escalate"]
    app.loader.import_default_modules()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tessera.approvals.tasks.today", lambda: TODAY() + datetime.timedelta(days=3))
        escalated = app.tasks[entry["task"]].apply().get()

    assert escalated == 1


def test_the_delegate_inbox_drops_a_request_once_the_absent_approver_decided_it(company, people, make_request,
                                                                                deputy):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, approver_type="user", role=None, user=people.pm1)
    StepFactory(rule=rule, approver_type="user", role=None, user=people.pm2)
    away(people.pm1, deputy)
    request = approval_submit(actor=people.purchaser, document=make_request())
    assert list(awaiting(deputy, request.company)) == [request]

    approval_approve(actor=people.pm1, request=request)  # back early, decides themselves

    assert list(awaiting(deputy, request.company)) == []
    assert list(awaiting(people.pm2, request.company)) == [request]

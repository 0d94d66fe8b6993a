"""Submitting, approving, rejecting and withdrawing: sequential levels, minimum approvals, the check
posting services call, segregation of duties, and the events and audit entries each move writes."""

from decimal import Decimal

import pytest

from tessera.approvals.models import ApprovalDecision, ApprovalRequest
from tessera.approvals.services import (
    approval_approve,
    approval_check,
    approval_reject,
    approval_submit,
    approval_withdraw,
)
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry, DomainEvent

from ..factories import RuleFactory, StepFactory, role

pytestmark = pytest.mark.django_db


def states(request):
    request.refresh_from_db()
    return request.state, request.current_level, [(s.level, s.state) for s in request.steps.order_by("level", "pk")]


# --- submit -----------------------------------------------------------------------------------------------

def test_submit_snapshots_the_steps_for_the_amount_and_their_approvers(rule, people, make_request):
    document = make_request("250000.00")

    request = approval_submit(actor=people.purchaser, document=document)

    assert (request.state, request.amount, request.currency.code, request.rule_name) == (
        "pending", Decimal("250000.00"), "CNY", "Purchases")
    assert request.summary == "Laptops 250000.00"
    assert request.document_ref == f"core.job:{document.pk}"
    steps = list(request.steps.order_by("level"))
    assert [(s.level, s.state, s.min_approvals) for s in steps] == [(1, "pending", 1), (2, "waiting", 1)]
    assert {u.username for u in steps[0].approvers.all()} == {"pm1", "pm2"}
    assert {u.username for u in steps[1].approvers.all()} == {"fm1"}


def test_submit_under_the_first_threshold_is_refused_as_not_required(rule, people, make_request):
    with pytest.raises(Exception) as raised:
        approval_submit(actor=people.purchaser, document=make_request("50000.00"))

    assert raised.value.code == "approval_not_required"
    assert ApprovalRequest.objects.count() == 0


def test_submit_emits_the_event_with_the_approvers(rule, people, make_request):
    request = approval_submit(actor=people.purchaser, document=make_request("60000.00"))

    event = DomainEvent.objects.get(name="approvals.request.submitted")
    assert event.payload["request"] == request.pk
    assert sorted(event.payload["approvers"]) == sorted([people.pm1.pk, people.pm2.pk])
    assert event.payload["document"] == request.document_ref
    assert event.payload["requested_by"] == people.purchaser.pk


def test_a_second_submission_while_pending_is_refused(rule, people, make_request):
    document = make_request()
    approval_submit(actor=people.purchaser, document=document)

    with pytest.raises(Exception) as raised:
        approval_submit(actor=people.purchaser, document=document)

    assert raised.value.code == "approval_pending"
    assert ApprovalRequest.objects.count() == 1


def test_a_document_past_draft_cannot_be_submitted(rule, people, make_request):
    document = make_request()
    document.state = "succeeded"
    document.save()

    with pytest.raises(InvalidState):
        approval_submit(actor=people.purchaser, document=document)


def test_the_requester_is_not_counted_among_the_approvers(company, people, make_request, make_user):
    manager = make_user("purchasing_manager", username="pm_requester")
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, role=role("purchasing_manager"), min_approvals=3)

    with pytest.raises(Exception) as raised:  # pm1, pm2 and the requester hold the role: two can approve
        approval_submit(actor=manager, document=make_request(user=manager))

    assert raised.value.code == "approvers_missing"
    assert "needs 3 approval(s), but only 2 person(s)" in str(raised.value.message)
    assert ApprovalRequest.objects.count() == 0


def test_someone_without_the_submit_permission_cannot_submit(rule, people, make_request, make_user):
    outsider = make_user(username="nobody")

    with pytest.raises(PermissionDenied):
        approval_submit(actor=outsider, document=make_request())


# --- sequential levels ---------------------------------------------------------------------------------

def test_levels_are_decided_in_order_and_the_last_approval_approves(rule, people, make_request):
    request = approval_submit(actor=people.purchaser, document=make_request("250000.00"))

    with pytest.raises(PermissionDenied):  # the finance manager's turn comes after the purchasing manager's
        approval_approve(actor=people.fm, request=request)
    approval_approve(actor=people.pm1, request=request, comment="Budgeted")
    assert states(request) == ("pending", 2, [(1, "approved"), (2, "pending")])
    approval_approve(actor=people.fm, request=request)

    assert states(request) == ("approved", 2, [(1, "approved"), (2, "approved")])
    assert [(d.approver.username, d.verdict, d.comment) for d in request.decisions.order_by("pk")] == [
        ("pm1", "approve", "Budgeted"), ("fm1", "approve", "")]
    assert list(DomainEvent.objects.filter(name__startswith="approvals.").order_by("pk").values_list(
        "name", flat=True)) == ["approvals.request.submitted", "approvals.request.advanced",
                                "approvals.request.approved"]
    advanced = DomainEvent.objects.get(name="approvals.request.advanced")
    assert advanced.payload["approvers"] == [people.fm.pk]
    assert AuditEntry.objects.filter(object_id=str(request.pk), action="transition",
                                     changes__state=["pending", "approved"]).exists()


def test_minimum_approvals_need_that_many_different_approvers(company, people, make_request):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, role=role("purchasing_manager"), min_approvals=2)
    request = approval_submit(actor=people.purchaser, document=make_request())

    approval_approve(actor=people.pm1, request=request)
    assert states(request) == ("pending", 1, [(1, "pending")])
    with pytest.raises(Exception) as raised:
        approval_approve(actor=people.pm1, request=request)
    assert raised.value.code == "already_decided"
    approval_approve(actor=people.pm2, request=request)

    assert states(request)[0] == "approved"
    assert ApprovalDecision.objects.filter(request=request).count() == 2


def test_parallel_steps_of_one_level_all_need_their_approvals(company, people, make_request):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, level=1, role=role("purchasing_manager"))
    StepFactory(rule=rule, level=1, role=role("accounting_manager"))
    request = approval_submit(actor=people.purchaser, document=make_request())

    approval_approve(actor=people.fm, request=request)
    assert states(request) == ("pending", 1, [(1, "pending"), (1, "approved")])
    with pytest.raises(Exception) as raised:  # the finance step is done; the purchasing one waits for others
        approval_approve(actor=people.fm, request=request)
    assert raised.value.code == "already_decided"
    approval_approve(actor=people.pm2, request=request)

    assert states(request) == ("approved", 1, [(1, "approved"), (1, "approved")])


def test_a_named_user_step(company, people, make_request):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, approver_type="user", role=None, user=people.pm2)
    request = approval_submit(actor=people.purchaser, document=make_request())

    with pytest.raises(PermissionDenied):
        approval_approve(actor=people.pm1, request=request)
    approval_approve(actor=people.pm2, request=request)

    assert states(request)[0] == "approved"


# --- reject and withdraw ---------------------------------------------------------------------------------

def test_reject_needs_a_comment_and_writes_nothing_without_one(rule, people, make_request):
    request = approval_submit(actor=people.purchaser, document=make_request())

    with pytest.raises(ValidationFailed) as raised:
        approval_reject(actor=people.pm1, request=request, comment="  ")

    assert raised.value.fields == {"comment": ["Say why you reject it: the requester reads this."]}
    assert states(request) == ("pending", 1, [(1, "pending"), ])
    assert ApprovalDecision.objects.count() == 0


def test_one_rejection_rejects_the_request(rule, people, make_request):
    request = approval_submit(actor=people.purchaser, document=make_request("250000.00"))

    approval_reject(actor=people.pm2, request=request, comment="Too expensive")

    assert states(request) == ("rejected", 1, [(1, "rejected"), (2, "closed")])
    event = DomainEvent.objects.get(name="approvals.request.rejected")
    assert (event.payload["requested_by"], event.payload["comment"]) == (people.purchaser.pk, "Too expensive")
    with pytest.raises(InvalidState):
        approval_approve(actor=people.pm1, request=request)


def test_the_requester_withdraws_and_nobody_can_decide_afterwards(rule, people, make_request):
    request = approval_submit(actor=people.purchaser, document=make_request("250000.00"))

    approval_withdraw(actor=people.purchaser, request=request)

    assert states(request) == ("withdrawn", 1, [(1, "closed"), (2, "closed")])
    assert DomainEvent.objects.filter(name="approvals.request.withdrawn").count() == 1
    with pytest.raises(InvalidState):
        approval_approve(actor=people.pm1, request=request)
    with pytest.raises(InvalidState):
        approval_withdraw(actor=people.purchaser, request=request)


def test_only_the_requester_withdraws(rule, people, make_request):
    request = approval_submit(actor=people.purchaser, document=make_request())

    with pytest.raises(PermissionDenied):
        approval_withdraw(actor=people.pm1, request=request)

    assert states(request)[0] == "pending"


def test_a_withdrawn_or_rejected_document_can_be_submitted_again(rule, people, make_request):
    document = make_request()
    approval_withdraw(actor=people.purchaser, request=approval_submit(actor=people.purchaser, document=document))

    again = approval_submit(actor=people.purchaser, document=document)

    assert again.state == "pending"
    assert ApprovalRequest.objects.filter(object_id=str(document.pk)).count() == 2


# --- segregation of duties -------------------------------------------------------------------------------

def test_nobody_approves_their_own_document(company, people, make_request):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, role=role("purchasing_manager"))
    document = make_request(user=people.pm1)  # pm1 raised it; the purchaser submits it
    request = approval_submit(actor=people.purchaser, document=document)

    with pytest.raises(PermissionDenied) as raised:
        approval_approve(actor=people.pm1, request=request)

    assert "segregation of duties" in str(raised.value.message)
    assert ApprovalDecision.objects.count() == 0
    assert people.pm1.pk not in request.steps.get().approvers.values_list("pk", flat=True)


def test_the_submitter_cannot_decide_either(company, people, make_request):
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, role=role("purchasing_manager"))
    request = approval_submit(actor=people.pm1, document=make_request())  # pm1 submits the purchaser's request

    with pytest.raises(PermissionDenied):
        approval_reject(actor=people.pm1, request=request, comment="no")
    approval_approve(actor=people.pm2, request=request)

    assert states(request)[0] == "approved"


def test_someone_of_another_company_cannot_decide(rule, people, make_request, make_user, other_company):
    stranger = make_user("purchasing_manager", username="pm_other", companies=[other_company])
    request = approval_submit(actor=people.purchaser, document=make_request())

    with pytest.raises(PermissionDenied):
        approval_approve(actor=stranger, request=request)


# --- the check ---------------------------------------------------------------------------------------------

def test_check_refuses_until_approved_then_passes(rule, people, make_request):
    document = make_request("60000.00")
    with pytest.raises(Exception) as raised:
        approval_check(document)
    assert (raised.value.code, raised.value.status) == ("approval_required", 409)
    request = approval_submit(actor=people.purchaser, document=document)
    with pytest.raises(Exception) as raised:
        approval_check(document)
    assert "waits for approval" in str(raised.value.message)

    approval_approve(actor=people.pm1, request=request)

    assert approval_check(document) is None


def test_check_passes_documents_no_rule_applies_to(rule, people, make_request):
    assert approval_check(make_request("100.00")) is None


def test_an_approval_stops_covering_a_changed_document(rule, people, make_request):
    document = make_request("60000.00")
    approval_approve(actor=people.pm1, request=approval_submit(actor=people.purchaser, document=document))

    document.params = {**document.params, "amount": "70000.00"}
    document.save()

    with pytest.raises(Exception) as raised:
        approval_check(document)
    assert raised.value.code == "approval_required"
    assert "has changed since" in str(raised.value.message)
    approval_submit(actor=people.purchaser, document=document)  # a new request for what it is now


def test_a_document_already_approved_as_it_is_is_not_submitted_again(rule, people, make_request):
    document = make_request()
    approval_approve(actor=people.pm1, request=approval_submit(actor=people.purchaser, document=document))

    with pytest.raises(Exception) as raised:
        approval_submit(actor=people.purchaser, document=document)

    assert raised.value.code == "already_approved"


def test_check_passes_when_the_company_has_switched_approvals_off(company, rule, people, make_request):
    from tessera.core.models import CompanyModule

    CompanyModule.objects.filter(company=company, module="approvals").update(is_active=False)

    assert approval_check(make_request("60000.00")) is None

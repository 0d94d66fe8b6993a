"""Approvals in core's collaboration registries: notifications raised from the approval events (the
approvers of the level whose turn it is, the requester on the decision) and the timeline of a document."""

import pytest

from tessera.approvals.services import approval_approve, approval_reject, approval_submit
from tessera.core.models import DomainEvent
from tessera.core.services.notifications import notify_event
from tessera.core.timeline import timeline_for

pytestmark = pytest.mark.django_db


def notified(name):
    event = DomainEvent.objects.filter(name=name).latest("pk")
    return sorted((n.user.username, n.kind, n.title, n.url) for n in notify_event(event))


def test_submission_tells_the_first_level_and_the_next_level_when_its_turn_comes(rule, people, make_request):
    request = approval_submit(actor=people.purchaser, document=make_request("250000.00"))

    assert notified("approvals.request.submitted") == [
        ("pm1", "approvals.awaiting", "Waiting for your approval: Laptops 250000.00", "/approvals/inbox/"),
        ("pm2", "approvals.awaiting", "Waiting for your approval: Laptops 250000.00", "/approvals/inbox/")]
    approval_approve(actor=people.pm1, request=request)
    assert [row[0] for row in notified("approvals.request.advanced")] == ["fm1"]


def test_the_requester_hears_of_the_decision(rule, people, make_request):
    approved = approval_submit(actor=people.purchaser, document=make_request("60000.00"))
    approval_approve(actor=people.pm1, request=approved)
    assert notified("approvals.request.approved") == [
        ("pat", "approvals.decided", "Approved: Laptops 60000.00", f"/approvals/requests/{approved.pk}/")]

    rejected = approval_submit(actor=people.purchaser, document=make_request("70000.00"))
    approval_reject(actor=people.pm2, request=rejected, comment="Over budget")
    event = DomainEvent.objects.filter(name="approvals.request.rejected").latest("pk")
    [notification] = notify_event(event)
    assert (notification.user, notification.title, notification.body) == (
        people.purchaser, "Rejected: Laptops 70000.00", "Over budget")


def test_the_timeline_of_a_document_shows_submission_decisions_and_outcome(rule, people, make_request):
    document = make_request("60000.00")
    request = approval_submit(actor=people.purchaser, document=document)
    approval_approve(actor=people.pm2, request=request, comment="Fine")

    items = [(item.kind, item.title, item.body) for item in timeline_for(document, people.purchaser)
             if item.kind == "approval"]

    assert sorted(items) == sorted([
        ("approval", "Submitted for approval (rule “Purchases”)", "Laptops 60000.00"),
        ("approval", "Approved", "Fine"),
        ("approval", "Approval complete", ""),
    ])

"""The approval panel of a registered document's page: what it says and offers to whom."""

import pytest
from django.test import RequestFactory

from tessera.approvals.services import approval_approve, approval_reject, approval_submit

pytestmark = pytest.mark.django_db


def panel(user, document):
    from tessera.approvals.views.panel import approval_panel, panel_context

    request = RequestFactory().get("/purchase-requests/1/")
    request.user = user
    return panel_context(request, document), approval_panel(request, document)


def test_a_document_no_rule_applies_to_has_no_panel(people, rule, make_request):
    assert panel(people.purchaser, make_request("100.00")) == (None, None)


def test_a_document_that_needs_approval_offers_submit(people, rule, make_request):
    context, html = panel(people.purchaser, make_request("60000.00"))

    assert (context["status"], context["can_submit"]) == ("required", True)
    assert 'data-testid="submit-approval"' in html and "Purchases" in html


def test_pending_shows_who_decides_and_offers_the_decision_to_them_only(people, rule, make_request):
    document = make_request("60000.00")
    approval_submit(actor=people.purchaser, document=document)

    approver, _html = panel(people.pm1, document)
    requester, html = panel(people.purchaser, document)

    assert (approver["status"], approver["can_decide"], approver["can_withdraw"]) == ("pending", True, False)
    assert (requester["can_decide"], requester["can_withdraw"]) == (False, True)
    assert requester["approver_names"] == "pm1, pm2"
    assert 'data-testid="withdraw-approval"' in html and 'data-testid="approval-history"' in html


def test_approved_and_rejected(people, rule, make_request):
    approved = make_request("60000.00")
    approval_approve(actor=people.pm1, request=approval_submit(actor=people.purchaser, document=approved))
    rejected = make_request("70000.00")
    approval_reject(actor=people.pm1, request=approval_submit(actor=people.purchaser, document=rejected),
                    comment="No budget")

    assert panel(people.purchaser, approved)[0]["status"] == "approved"
    context, html = panel(people.purchaser, rejected)
    assert (context["status"], context["can_submit"]) == ("rejected", True)
    assert "No budget" in html

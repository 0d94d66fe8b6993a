"""Submitting an order from the approvals panel or the approvals API moves the order as its own button does
(the document type registers `submit`): no order left in draft while its request waits."""

import pytest
from django.urls import reverse

from tessera.approvals.models import ApprovalRequest
from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.purchasing.choices import OrderState

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_order(p, make_order, order_rule):
    return make_order(lines=[{"product": p.widget.pk, "quantity": "100", "unit_price": "60"}])


def test_the_panels_submit_button_submits_the_order(p, big_order, client_for):  # noqa: F811
    page = client_for(p.purchaser).post(reverse("approvals:submit"), {
        "document": f"purchasing.purchaseorder:{big_order.pk}",
        "next": reverse("purchasing:order_detail", args=[big_order.pk])})

    assert page.status_code == 302
    big_order.refresh_from_db()
    assert big_order.state == OrderState.SUBMITTED
    assert ApprovalRequest.objects.filter(object_id=str(big_order.pk), state="pending").count() == 1


def test_the_approvals_api_submits_the_order_and_a_small_one_needs_no_approval(p, make_order, big_order,
                                                                               api_client_for):
    api = api_client_for(p.purchaser)

    response = api.post("/api/v1/approvals/requests/", {"document": f"purchasing.purchaseorder:{big_order.pk}"},
                        format="json")
    assert response.status_code == 201
    big_order.refresh_from_db()
    assert big_order.state == OrderState.SUBMITTED

    small = make_order()  # 600.00: under the rule
    response = api.post("/api/v1/approvals/requests/", {"document": f"purchasing.purchaseorder:{small.pk}"},
                        format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "approval_not_required")
    small.refresh_from_db()
    assert small.state == OrderState.DRAFT

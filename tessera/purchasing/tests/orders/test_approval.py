"""Orders under an approval rule: confirm is refused until approved; approve/reject through the order."""

from decimal import Decimal

import pytest

from tessera.approvals.errors import ApprovalRequired
from tessera.approvals.models import ApprovalRequest
from tessera.approvals.services import approval_approve
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.inventory.models import StockMove
from tessera.purchasing.choices import OrderState
from tessera.purchasing.services.orders import (
    order_approve,
    order_cancel,
    order_confirm,
    order_reject,
    order_submit,
    order_update,
)

pytestmark = pytest.mark.django_db

BIG = [{"product": "widget", "quantity": "100", "unit_price": "60"}]  # 6,000 + 13% VAT


@pytest.fixture
def big_order(p, make_order, order_rule):
    return make_order(lines=[{"product": p.widget.pk, "quantity": "100", "unit_price": "60"}])


def test_confirming_without_approval_is_409_approval_required(p, big_order):
    with pytest.raises(ApprovalRequired) as error:
        order_confirm(actor=p.purchaser, order=big_order)

    assert error.value.code == "approval_required"
    big_order.refresh_from_db()
    assert (big_order.state, big_order.number, StockMove.objects.count()) == (OrderState.DRAFT, None, 0)


def test_submit_approve_confirm(p, big_order):
    order = order_submit(actor=p.purchaser, order=big_order)
    assert order.state == OrderState.SUBMITTED
    request = ApprovalRequest.objects.get(object_id=str(order.pk))
    assert (request.document_type, request.amount, request.state) == (
        "purchasing.purchaseorder", Decimal("6780.00"), "pending")

    order = order_approve(actor=p.manager, order=order, comment="ok")
    assert order.state == OrderState.APPROVED

    order = order_confirm(actor=p.purchaser, order=order)
    assert (order.state, order.number) == (OrderState.CONFIRMED, "PO-2026-00001")
    move = StockMove.objects.get(reference=order.number)
    assert (move.quantity, move.uom, move.product_quantity, move.location, move.location_dest, move.unit_cost) == (
        Decimal("100"), p.box, Decimal("1200"), p.supplier_location, p.stock, Decimal("5.000000"))


def test_a_decision_in_the_approvals_inbox_moves_the_order_too(p, big_order):
    order = order_submit(actor=p.purchaser, order=big_order)

    approval_approve(actor=p.manager, request=ApprovalRequest.objects.get(object_id=str(order.pk)))

    order.refresh_from_db()
    assert order.state == OrderState.APPROVED


def test_reject_sends_it_back_to_draft_with_the_reason(p, big_order):
    order = order_submit(actor=p.purchaser, order=big_order)

    order = order_reject(actor=p.manager, order=order, comment="Too expensive")

    assert order.state == OrderState.DRAFT
    assert ApprovalRequest.objects.get(object_id=str(order.pk)).state == "rejected"
    with pytest.raises(ApprovalRequired):
        order_confirm(actor=p.purchaser, order=order)


def test_reject_needs_a_comment(p, big_order):
    order = order_submit(actor=p.purchaser, order=big_order)

    with pytest.raises(ValidationFailed):
        order_reject(actor=p.manager, order=order, comment="")

    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


def test_the_buyer_does_not_approve_their_own_order(p, big_order, make_user):
    order = order_submit(actor=p.purchaser, order=big_order)

    with pytest.raises(PermissionDenied):
        order_approve(actor=p.purchaser, order=order)

    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


def test_someone_who_is_no_approver_cannot_approve(p, big_order):
    order = order_submit(actor=p.purchaser, order=big_order)

    with pytest.raises(PermissionDenied):
        order_approve(actor=p.accountant, order=order)

    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


@pytest.mark.parametrize("state", [OrderState.DRAFT, OrderState.APPROVED, OrderState.CONFIRMED])
def test_approve_or_reject_outside_submitted_is_409(p, big_order, state):
    big_order.__class__.objects.filter(pk=big_order.pk).update(state=state)

    with pytest.raises(InvalidState):
        order_approve(actor=p.manager, order=big_order)
    with pytest.raises(InvalidState):
        order_reject(actor=p.manager, order=big_order, comment="no")


def test_an_approved_order_changed_afterwards_needs_approval_again(p, big_order):
    order = order_approve(actor=p.manager, order=order_submit(actor=p.purchaser, order=big_order))
    line = order.lines.get()

    order = order_update(actor=p.purchaser, order=order, data={}, lines=[{"id": line.pk, "quantity": "120"}])

    assert order.state == OrderState.DRAFT
    with pytest.raises(ApprovalRequired):
        order_confirm(actor=p.purchaser, order=order)


def test_cancelling_a_submitted_order_withdraws_its_request(p, big_order):
    order = order_submit(actor=p.purchaser, order=big_order)

    order = order_cancel(actor=p.manager, order=order)

    assert order.state == OrderState.CANCELLED
    assert ApprovalRequest.objects.get(object_id=str(order.pk)).state == "withdrawn"


def test_a_small_order_is_not_caught_by_the_rule(p, make_order, order_rule):
    order = order_submit(actor=p.purchaser, order=make_order())

    assert order.state == OrderState.APPROVED
    assert not ApprovalRequest.objects.exists()


def test_the_approval_amount_is_in_company_currency_and_fields_are_registered(p, make_order):
    from tessera.approvals.evaluation import DocumentValues
    from tessera.approvals.registry import document_type_of
    from tessera.purchasing.registrations.orders import order_amount

    order = make_order(partner=p.s2.pk, lines=[{"product": p.widget.pk, "quantity": "10", "unit_price": "100",
                                                "discount": "5", "taxes": []}])
    definition = document_type_of(order)

    assert order_amount(order) == Decimal("6745.00")  # USD 950 x 7.1
    assert set(definition.fields) == {"partner", "warehouse", "product_category", "discount", "currency"}
    values = DocumentValues(definition, order)
    assert values.amount == Decimal("6745.00")

"""Each order transition: the happy path, every forbidden source state, and no permission."""

from decimal import Decimal

import pytest

from tessera.core.errors import InvalidState, PermissionDenied
from tessera.inventory.models import StockMove
from tessera.purchasing.choices import ORDER_TRANSITIONS, OrderState
from tessera.purchasing.models import PurchaseOrder
from tessera.purchasing.services.orders import (
    order_cancel,
    order_close,
    order_confirm,
    order_submit,
)

pytestmark = pytest.mark.django_db

SERVICES = {"submit": order_submit, "confirm": order_confirm, "cancel": order_cancel, "close": order_close}


def _forbidden(transition):
    return [(transition, state) for state in OrderState if state not in ORDER_TRANSITIONS[transition]]


def test_submit_without_a_rule_approves_at_once(p, make_order):
    order = order_submit(actor=p.purchaser, order=make_order())

    assert order.state == OrderState.APPROVED


def test_confirm_from_draft_when_no_rule_applies(p, make_order):
    order = order_confirm(actor=p.purchaser, order=make_order())

    assert (order.state, order.number, order.confirmed_at is not None) == (OrderState.CONFIRMED, "PO-2026-00001",
                                                                          True)


def test_numbers_follow_each_other(p, make_order):
    numbers = [order_confirm(actor=p.purchaser, order=make_order()).number for _index in range(2)]

    assert numbers == ["PO-2026-00001", "PO-2026-00002"]


def test_cancel_a_confirmed_order_cancels_its_moves(p, make_order):
    order = order_confirm(actor=p.manager, order=make_order())

    order = order_cancel(actor=p.manager, order=order)

    assert order.state == OrderState.CANCELLED
    assert list(StockMove.objects.filter(reference=order.number).values_list("state", flat=True)) == ["cancelled"]


def test_cancel_is_refused_once_something_was_received(p, make_order):
    order = order_confirm(actor=p.manager, order=make_order())
    order.lines.update(quantity_received=Decimal("1"))

    with pytest.raises(InvalidState):
        order_cancel(actor=p.manager, order=order)

    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED
    assert StockMove.objects.get(reference=order.number).state == "assigned"


def test_close_short_closes_the_rest(p, make_order):
    order = order_confirm(actor=p.manager, order=make_order())
    PurchaseOrder.objects.filter(pk=order.pk).update(state=OrderState.PARTIALLY_RECEIVED)

    order = order_close(actor=p.manager, order=order)

    assert order.state == OrderState.CLOSED
    assert StockMove.objects.get(reference=order.number).state == "cancelled"


@pytest.mark.parametrize(("transition", "state"), _forbidden("submit") + _forbidden("confirm")
                         + _forbidden("cancel") + _forbidden("close"))
def test_a_forbidden_source_state_is_409_and_changes_nothing(p, make_order, transition, state):
    order = make_order()
    PurchaseOrder.objects.filter(pk=order.pk).update(state=state)

    with pytest.raises(InvalidState):
        SERVICES[transition](actor=p.manager, order=order)

    order.refresh_from_db()
    assert (order.state, order.number, StockMove.objects.count()) == (state, None, 0)


@pytest.mark.parametrize(("transition", "state", "user"), [
    ("submit", OrderState.DRAFT, "employee"), ("confirm", OrderState.DRAFT, "clerk"),
    ("cancel", OrderState.DRAFT, "purchaser"), ("close", OrderState.RECEIVED, "purchaser"),
])
def test_without_the_permission_nothing_changes(p, make_order, transition, state, user):
    order = make_order()
    PurchaseOrder.objects.filter(pk=order.pk).update(state=state)

    with pytest.raises(PermissionDenied):
        SERVICES[transition](actor=getattr(p, user), order=order)

    order.refresh_from_db()
    assert order.state == state

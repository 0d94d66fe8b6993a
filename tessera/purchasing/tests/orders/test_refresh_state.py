"""order_refresh_state: the order follows its lines' received / billed quantities and its bills' payment."""

from decimal import Decimal

import pytest
from django.db import transaction

from tessera.accounting.models import Invoice
from tessera.accounting.services.invoices import invoice_create
from tessera.purchasing.choices import OrderState
from tessera.purchasing.models import BillLine, PurchaseOrder
from tessera.purchasing.services.orders import lock_order, order_confirm, order_refresh_state
from tessera.purchasing.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(p, make_order):
    return order_confirm(actor=p.purchaser, order=make_order(lines=[
        {"product": p.widget.pk, "quantity": "10", "unit_price": "60"},
        {"product": p.cleaning.pk, "quantity": "1", "unit_price": "100"}]))


def set_lines(order, **quantities):
    """quantities: widget=(received, billed, returned), cleaning=(...)"""
    for line in order.lines.select_related("product"):
        received, billed, returned = quantities.get(line.product.name_en.lower(), (0, 0, 0))
        line.quantity_received, line.quantity_billed, line.quantity_returned = (Decimal(received), Decimal(billed),
                                                                               Decimal(returned))
        line.save()


def refresh(order):
    with transaction.atomic():
        return order_refresh_state(lock_order(order))


@pytest.mark.parametrize(("quantities", "state"), [
    ({}, OrderState.CONFIRMED),
    ({"widget": (4, 0, 0)}, OrderState.PARTIALLY_RECEIVED),
    ({"widget": (10, 0, 0)}, OrderState.PARTIALLY_RECEIVED),  # the service line is not received yet
    ({"widget": (10, 0, 0), "cleaning": (1, 0, 0)}, OrderState.RECEIVED),
    ({"widget": (11, 0, 0), "cleaning": (1, 0, 0)}, OrderState.RECEIVED),  # over-receipt
    ({"widget": (10, 8, 0), "cleaning": (1, 1, 0)}, OrderState.RECEIVED),
    ({"widget": (10, 10, 0), "cleaning": (1, 1, 0)}, OrderState.BILLED),
    ({"widget": (10, 8, 2), "cleaning": (1, 1, 0)}, OrderState.BILLED),  # returned 2, billed the net 8
    ({"widget": (10, 10, 0), "cleaning": (0, 0, 0)}, OrderState.PARTIALLY_RECEIVED),
])
def test_the_state_follows_the_lines(p, confirmed, quantities, state):
    set_lines(confirmed, **quantities)

    order = refresh(confirmed)

    assert order.state == state
    assert PurchaseOrder.objects.get(pk=order.pk).state == state
    assert (order.received_at is not None) == (state in (OrderState.RECEIVED, OrderState.BILLED))


def test_it_goes_back_when_a_receipt_is_undone(p, confirmed):
    set_lines(confirmed, widget=(10, 0, 0), cleaning=(1, 0, 0))
    refresh(confirmed)
    set_lines(confirmed, widget=(6, 0, 0), cleaning=(1, 0, 0))

    assert refresh(confirmed).state == OrderState.PARTIALLY_RECEIVED


@pytest.mark.corrupts_books
def test_billed_and_every_bill_paid_closes_it(p, confirmed):
    set_lines(confirmed, widget=(10, 10, 0), cleaning=(1, 1, 0))
    bill = invoice_create(actor=p.accountant, company=p.company, data={
        "kind": "supplier_invoice", "partner": p.s1.pk, "date": TODAY}, lines=[
        {"description": "widgets", "account": p.account("grir").pk, "quantity": "10", "unit_price": "60"}])
    BillLine.objects.create(company=p.company, invoice=bill, invoice_line=bill.lines.get(),
                            order_line=confirmed.lines.get(product=p.widget))
    Invoice.objects.filter(pk=bill.pk).update(state="posted")
    assert refresh(confirmed).state == OrderState.BILLED

    Invoice.objects.filter(pk=bill.pk).update(state="paid")

    assert refresh(confirmed).state == OrderState.CLOSED


@pytest.mark.parametrize("state", [OrderState.CANCELLED, OrderState.CLOSED, OrderState.DRAFT])
def test_cancelled_closed_and_draft_orders_do_not_move(p, confirmed, state):
    PurchaseOrder.objects.filter(pk=confirmed.pk).update(state=state)
    set_lines(confirmed, widget=(10, 0, 0), cleaning=(1, 0, 0))

    assert refresh(confirmed).state == state

"""The order backbone: create with defaults, confirm numbers it and creates the incoming moves."""

from decimal import Decimal

import pytest

from tessera.inventory.models import StockMove
from tessera.purchasing.choices import OrderState
from tessera.purchasing.services.orders import lock_order, order_confirm, order_refresh_state

pytestmark = pytest.mark.django_db


def test_create_defaults_and_totals(p, make_order):
    order = make_order()

    line = order.lines.get()
    assert (order.state, order.currency, order.payment_term, order.buyer) == (
        OrderState.DRAFT, p.company.base_currency, p.s1.payment_term, p.purchaser)
    assert (line.uom, line.unit_price, list(line.taxes.all())) == (p.box, Decimal("60"), [p.vat13])
    assert (line.subtotal, line.total_tax, line.total) == (Decimal("600.00"), Decimal("78.00"), Decimal("678.00"))
    assert (order.total_untaxed, order.total_tax, order.total) == (
        Decimal("600.00"), Decimal("78.00"), Decimal("678.00"))


def test_confirm_numbers_and_creates_incoming_moves(p, make_order):
    order = make_order(lines=[{"product": p.widget.pk, "quantity": "10", "unit_price": "60"},
                              {"product": p.cleaning.pk, "quantity": "1", "unit_price": "100"}])

    order = order_confirm(actor=p.purchaser, order=order)

    assert (order.state, order.number) == (OrderState.CONFIRMED, "PO-2026-00001")
    move = StockMove.objects.get(reference=order.number)
    widget_line = order.lines.get(product=p.widget)
    assert (move.product, move.quantity, move.uom, move.product_quantity) == (p.widget, Decimal("10"), p.box,
                                                                               Decimal("120"))
    assert (move.location, move.location_dest, move.partner, move.state) == (
        p.supplier_location, p.stock, p.s1, "assigned")
    assert (move.unit_cost, move.source) == (Decimal("5.000000"), f"purchasing.purchaseorderline:{widget_line.pk}")


def test_refresh_state_follows_received_quantities(p, make_order):
    order = order_confirm(actor=p.purchaser, order=make_order())
    line = order.lines.get()
    line.quantity_received = Decimal("4")
    line.save()

    from django.db import transaction

    with transaction.atomic():
        order = order_refresh_state(lock_order(order))

    assert order.state == OrderState.PARTIALLY_RECEIVED

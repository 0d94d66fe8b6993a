"""order_receive: stock, values and GR/IR after full, partial, over-receipts, lots and serial numbers,
foreign currency; refusals write nothing."""

from decimal import Decimal

import pytest

from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.inventory.models import Lot, StockMove
from tessera.purchasing.models import Receipt, ReceiptLine
from tessera.purchasing.services.orders import order_cancel
from tessera.purchasing.services.receipts import order_receive

from ..conftest import TODAY, D, dec
from .factories import confirmed_order, line_of, on_hand, set_tolerance, widget_order

pytestmark = pytest.mark.django_db


def receive(p, order, *lines, actor=None, date=TODAY):
    return order_receive(actor=actor or p.clerk, order=order, date=date,
                         lines=[{"line": line.pk, **data} for line, data in lines])


def test_full_receipt_books_stock_and_grir(p):
    order = widget_order(p)
    line = line_of(order, p.widget)

    receipt = receive(p, order, (line, {"quantity": "10"}), date=D(2026, 3, 5))

    assert receipt.number == "GRN-2026-00001"
    assert on_hand(p, p.widget) == dec(120)
    assert p.balance("1405") == dec("1200.00")
    assert p.balance("220202") == dec("-1200.00")
    receipt_line = receipt.lines.get()
    assert (receipt_line.quantity, receipt_line.value) == (dec(10), dec("1200.00"))
    assert receipt_line.move.state == "done" and receipt_line.move.date == D(2026, 3, 5)
    assert receipt_line.move.unit_cost == dec(10)
    line.refresh_from_db()
    order.refresh_from_db()
    assert line.quantity_received == dec(10)
    assert order.state == "received"


def test_partial_receipt_leaves_a_backorder_then_the_rest(p):
    order = widget_order(p)
    line = line_of(order, p.widget)

    receive(p, order, (line, {"quantity": "4"}))

    assert on_hand(p, p.widget) == dec(48)
    assert p.balance("1405") == dec("480.00")
    assert p.balance("220202") == dec("-480.00")
    order.refresh_from_db()
    assert order.state == "partially_received"
    backorder = StockMove.objects.get(source=f"purchasing.purchaseorderline:{line.pk}", state="assigned")
    assert (backorder.quantity, backorder.uom, backorder.product_quantity) == (dec(6), p.box, dec(72))

    second = receive(p, order, (line, {"quantity": "6"}))

    assert second.number == "GRN-2026-00002"
    assert on_hand(p, p.widget) == dec(120)
    assert p.balance("1405") == dec("1200.00")
    assert p.balance("220202") == dec("-1200.00")
    order.refresh_from_db()
    assert order.state == "received"
    assert not StockMove.objects.filter(source=f"purchasing.purchaseorderline:{line.pk}").exclude(
        state="done").exists()


def test_over_receipt_within_the_tolerance(p):
    set_tolerance(p, "10")
    order = widget_order(p)
    line = line_of(order, p.widget)

    receive(p, order, (line, {"quantity": "11"}))

    assert on_hand(p, p.widget) == dec(132)
    assert p.balance("1405") == dec("1320.00")
    assert p.balance("220202") == dec("-1320.00")
    line.refresh_from_db()
    assert line.quantity_received == dec(11)


def test_over_receipt_beyond_the_tolerance_is_refused_and_writes_nothing(p):
    set_tolerance(p, "10")
    order = widget_order(p)
    line = line_of(order, p.widget)

    with pytest.raises(ValidationFailed) as caught:
        receive(p, order, (line, {"quantity": "12"}))

    assert list(caught.value.fields) == ["lines.0.quantity"]
    assert on_hand(p, p.widget) == 0
    assert p.balance("1405") == 0
    assert not Receipt.objects.exists()
    line.refresh_from_db()
    assert line.quantity_received == 0


def test_receiving_after_everything_arrived_needs_the_tolerance(p):
    set_tolerance(p, "20")
    order = widget_order(p)
    line = line_of(order, p.widget)
    receive(p, order, (line, {"quantity": "10"}))

    receive(p, order, (line, {"quantity": "2"}))

    assert on_hand(p, p.widget) == dec(144)
    assert p.balance("220202") == dec("-1440.00")
    with pytest.raises(ValidationFailed):
        receive(p, order, (line, {"quantity": "1"}))


def test_lots_are_received_with_their_quantities(p):
    order = confirmed_order(p, {"product": p.tea, "quantity": "10", "unit_price": "50"})
    line = line_of(order, p.tea)

    receive(p, order, (line, {"quantity": "10", "lots": [
        {"lot_name": "T-1", "quantity": "4", "expiry_on": "2027-01-31"}, {"lot_name": "T-2", "quantity": "6"}]}))

    assert on_hand(p, p.tea, "T-1") == dec(4)
    assert on_hand(p, p.tea, "T-2") == dec(6)
    assert Lot.objects.get(name="T-1").expiry_on == D(2027, 1, 31)
    assert p.balance("1405") == dec("500.00")


def test_lots_must_add_up_to_the_quantity(p):
    order = confirmed_order(p, {"product": p.tea, "quantity": "10", "unit_price": "50"})
    line = line_of(order, p.tea)

    with pytest.raises(ValidationFailed) as caught:
        receive(p, order, (line, {"quantity": "10", "lots": [{"lot_name": "T-1", "quantity": "4"}]}))
    assert list(caught.value.fields) == ["lines.0.lots"]
    with pytest.raises(ValidationFailed) as caught:
        receive(p, order, (line, {"quantity": "10"}))
    assert list(caught.value.fields) == ["lines.0.lots"]
    assert on_hand(p, p.tea) == 0 and not Lot.objects.exists()


def test_serial_numbers_one_unit_each(p):
    order = confirmed_order(p, {"product": p.phone, "quantity": "3", "unit_price": "1000"})
    line = line_of(order, p.phone)

    receive(p, order, (line, {"quantity": "2", "lots": [{"lot_name": "SN-1"}, {"lot_name": "SN-2"}]}))

    assert on_hand(p, p.phone, "SN-1") == dec(1)
    assert on_hand(p, p.phone, "SN-2") == dec(1)
    assert p.balance("1405") == dec("2000.00")


def test_a_serial_number_given_twice_is_refused(p):
    order = confirmed_order(p, {"product": p.phone, "quantity": "3", "unit_price": "1000"})
    line = line_of(order, p.phone)

    with pytest.raises(ValidationFailed) as caught:
        receive(p, order, (line, {"quantity": "2", "lots": [{"lot_name": "SN-1"}, {"lot_name": "SN-1"}]}))

    assert "lines.0.lots.1.lot_name" in caught.value.fields
    assert on_hand(p, p.phone) == 0


def test_a_serial_number_in_stock_already_is_refused(p):
    order = confirmed_order(p, {"product": p.phone, "quantity": "3", "unit_price": "1000"})
    line = line_of(order, p.phone)
    receive(p, order, (line, {"quantity": "1", "lots": [{"lot_name": "SN-1"}]}))

    with pytest.raises(ValidationFailed) as caught:
        receive(p, order, (line, {"quantity": "1", "lots": [{"lot_name": "SN-1"}]}))

    assert list(caught.value.fields) == ["lines.0.lots.0.lot_name"]
    assert on_hand(p, p.phone) == dec(1)
    assert p.balance("1405") == dec("1000.00")
    assert Receipt.objects.count() == 1


def test_receiving_a_cancelled_order_is_refused(p):
    order = widget_order(p)
    order_cancel(actor=p.manager, order=order)

    with pytest.raises(InvalidState):
        receive(p, order, (line_of(order, p.widget), {"quantity": "1"}))

    assert not Receipt.objects.exists() and on_hand(p, p.widget) == 0


def test_a_foreign_currency_order_is_valued_in_cny(p):
    order = confirmed_order(p, {"product": p.widget, "quantity": "10", "unit_price": "12"}, partner=p.s2)
    assert order.currency == p.usd

    receipt = receive(p, order, (line_of(order, p.widget), {"quantity": "10"}))

    assert on_hand(p, p.widget) == dec(120)
    assert receipt.lines.get().value == dec("852.00")  # 120 USD at 7.1
    assert p.balance("1405") == dec("852.00")
    assert p.balance("220202") == dec("-852.00")


def test_service_lines_are_received_without_stock(p):
    order = confirmed_order(p, {"product": p.cleaning, "quantity": "1", "unit_price": "300"},
                            {"product": p.widget, "quantity": "1", "unit_price": "120"})

    receive(p, order, (line_of(order, p.cleaning), {"quantity": "1"}))

    line = ReceiptLine.objects.get()
    assert (line.move, line.value) == (None, Decimal("0"))
    assert p.balance("220202") == 0
    order.refresh_from_db()
    assert order.state == "partially_received"


def test_a_line_of_another_order_is_refused(p):
    order, other = widget_order(p), widget_order(p)

    with pytest.raises(ValidationFailed) as caught:
        receive(p, order, (line_of(other, p.widget), {"quantity": "1"}))

    assert list(caught.value.fields) == ["lines.0.line"]


def test_receiving_needs_the_permission(p):
    order = widget_order(p)

    with pytest.raises(PermissionDenied):
        receive(p, order, (line_of(order, p.widget), {"quantity": "1"}), actor=p.employee)
    with pytest.raises(PermissionDenied):
        receive(p, order, (line_of(order, p.widget), {"quantity": "1"}), actor=p.accountant)

    assert not Receipt.objects.exists()

"""Stock moves: create, confirm with reservation (first expiry, then first in), unreserve, done with lots
and serials, negative stock, cancel, unit conversion, backorders."""

from decimal import Decimal

import pytest

from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import AuditEntry, DomainEvent
from tessera.inventory.models import StockMove, StockMoveLine, StockQuant
from tessera.inventory.selectors import product_available, product_on_hand
from tessera.inventory.services import (
    InsufficientStock,
    lot_get_or_create,
    move_cancel,
    move_confirm,
    move_create,
    move_done,
    move_reserve,
    move_unreserve,
)

from ..conftest import TODAY, D, dec, outgoing, receive


def quant(stock, product, location, lot=None):
    return StockQuant.objects.get(product=product, location=location, lot=lot)


def open_lines(move):
    return [(line.location.name, line.lot.name if line.lot else None, line.quantity)
            for line in move.lines.filter(is_done=False).select_related("location", "lot").order_by("pk")]


# --- create ----------------------------------------------------------------------------------------


def test_create_converts_boxes_to_pieces(stock):
    move = outgoing(stock, stock.widget, 2, uom=stock.box)
    assert (move.state, move.quantity, move.product_quantity) == ("draft", Decimal("2"), Decimal("12") * 2)


def test_create_refuses_an_inexact_conversion_and_view_locations(stock):
    with pytest.raises(ValidationFailed) as error:
        move_create(actor=stock.clerk, company=stock.company, data={
            "product": stock.widget, "quantity": Decimal("1.5"), "uom": stock.box,
            "location": stock.warehouse.view_location, "location_dest": stock.customer})
    assert set(error.value.fields) == {"quantity", "location"}
    assert not StockMove.objects.exists()


def test_create_refuses_floats_same_locations_and_another_products_lot(stock):
    other_lot = lot_get_or_create(company=stock.company, product=stock.tea, name="T1")
    with pytest.raises(ValidationFailed) as error:
        move_create(actor=stock.clerk, company=stock.company, data={
            "product": stock.widget, "quantity": 1.0, "location": stock.stock, "location_dest": stock.stock,
            "lot": other_lot})
    assert set(error.value.fields) == {"quantity", "location_dest", "lot"}


def test_create_refuses_unknown_fields(stock):
    with pytest.raises(ValidationFailed) as error:
        move_create(actor=stock.clerk, company=stock.company, data={"state": "done"})
    assert error.value.fields == {"state": ["This field cannot be set."]}


# --- receive and done ------------------------------------------------------------------------------


def test_receipt_in_boxes_adds_pieces_to_the_quant(stock):
    move = receive(stock, stock.widget, 3, uom=stock.box)
    assert move.state == "done" and move.done_by == stock.clerk and move.done_at is not None
    assert quant(stock, stock.widget, stock.stock).quantity == Decimal("36")
    assert quant(stock, stock.widget, stock.stock).in_date == TODAY
    line = move.lines.get()
    assert (line.is_done, line.quantity, line.date, line.location, line.location_dest) == (
        True, Decimal("36"), TODAY, stock.supplier, stock.stock)
    assert AuditEntry.objects.filter(object_id=str(move.pk), action="transition",
                                     content_type__model="stockmove").get().changes == {
        "state": ["draft", "done"]}
    assert DomainEvent.objects.filter(name="inventory.move.done", object_id=str(move.pk)).count() == 1


def test_receipt_of_a_lot_creates_it_with_its_expiry(stock):
    move = receive(stock, stock.tea, "2.500", lot_name="L-1", expiry_on=D(2026, 9, 1))
    line = move.lines.get()
    assert (line.lot.name, line.lot.expiry_on, line.quantity) == ("L-1", D(2026, 9, 1), Decimal("2.500"))
    assert quant(stock, stock.tea, stock.stock, line.lot).quantity == Decimal("2.500")


def test_tracked_product_needs_a_lot(stock):
    move = move_create(actor=stock.clerk, company=stock.company, data={
        "product": stock.tea, "quantity": dec(1), "location": stock.supplier, "location_dest": stock.stock})
    with pytest.raises(ValidationFailed) as error:
        move_done(actor=stock.clerk, move=move)
    assert list(error.value.fields) == ["lines.0.lot"]
    move.refresh_from_db()
    assert move.state == "draft" and not StockQuant.objects.exists()


def test_serial_numbers_are_one_unit_each_and_never_twice_in_stock(stock):
    receive(stock, stock.phone, 2, lines=[{"quantity": dec(1), "lot_name": "SN1"}, {"quantity": dec(1),
                                                                                     "lot_name": "SN2"}])
    assert product_on_hand(stock.company, stock.phone) == Decimal("2")
    again = move_create(actor=stock.clerk, company=stock.company, data={
        "product": stock.phone, "quantity": dec(1), "location": stock.supplier, "location_dest": stock.shelf_a})
    with pytest.raises(ValidationFailed) as error:
        move_done(actor=stock.clerk, move=again, lines=[{"quantity": dec(1), "lot_name": "SN1"}])
    assert error.value.fields == {"lines.0.lot": ["Serial number SN1 is in stock already."]}
    with pytest.raises(ValidationFailed) as error:
        move_done(actor=stock.clerk, move=again, lines=[{"quantity": dec(1), "lot_name": "SN9"},
                                                         {"quantity": dec(1), "lot_name": "SN9"}])
    assert "lines.1.lot" in error.value.fields
    two = move_create(actor=stock.clerk, company=stock.company, data={
        "product": stock.phone, "quantity": dec(2), "location": stock.supplier, "location_dest": stock.shelf_a})
    with pytest.raises(ValidationFailed) as error:
        move_done(actor=stock.clerk, move=two, lines=[{"quantity": dec(2), "lot_name": "SN3"}])
    assert list(error.value.fields) == ["lines.0.quantity"]
    assert product_on_hand(stock.company, stock.phone) == Decimal("2")


def test_a_delivered_serial_can_come_back(stock):
    receive(stock, stock.phone, 1, lot_name="SN1")
    move = outgoing(stock, stock.phone, 1)
    move_done(actor=stock.clerk, move=move)
    assert product_on_hand(stock.company, stock.phone) == 0
    receive(stock, stock.phone, 1, lot_name="SN1")
    assert product_on_hand(stock.company, stock.phone) == 1


# --- reservation -----------------------------------------------------------------------------------


def test_confirm_reserves_first_expiry_first_out(stock):
    receive(stock, stock.tea, 5, lot_name="LATE", expiry_on=D(2026, 12, 1), location=stock.shelf_a)
    receive(stock, stock.tea, 3, lot_name="EARLY", expiry_on=D(2026, 6, 1), location=stock.shelf_b)
    receive(stock, stock.tea, 4, lot_name="NONE", location=stock.shelf_a)
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.tea, 6))
    assert move.state == "assigned" and move.reserved_quantity == Decimal("6")
    assert open_lines(move) == [("B", "EARLY", Decimal("3")), ("A", "LATE", Decimal("3"))]
    lot_late = StockQuant.objects.get(lot__name="LATE")
    assert (lot_late.quantity, lot_late.reserved, lot_late.available) == (Decimal("5"), Decimal("3"), Decimal("2"))
    assert product_available(stock.company, stock.tea, stock.warehouse) == Decimal("6")


def test_confirm_reserves_first_in_first_out_without_expiry(stock):
    receive(stock, stock.widget, 4, location=stock.shelf_b, date=D(2026, 2, 10))
    receive(stock, stock.widget, 4, location=stock.shelf_a, date=D(2026, 2, 20))
    receive(stock, stock.widget, 4, location=stock.stock, date=D(2026, 1, 5))
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 10))
    assert open_lines(move) == [("Stock", None, Decimal("4")), ("B", None, Decimal("4")), ("A", None, Decimal("2"))]


def test_partial_reservation_waits_for_the_rest(stock):
    receive(stock, stock.widget, 3)
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 5))
    assert (move.state, move.reserved_quantity) == ("confirmed", Decimal("3"))
    receive(stock, stock.widget, 10)
    move = move_reserve(actor=stock.clerk, move=move)
    assert (move.state, move.reserved_quantity) == ("assigned", Decimal("5"))
    assert open_lines(move) == [("Stock", None, Decimal("5"))]
    assert quant(stock, stock.widget, stock.stock).reserved == Decimal("5")


def test_reserve_all_refuses_and_writes_nothing(stock):
    receive(stock, stock.widget, 3)
    move = outgoing(stock, stock.widget, 5)
    with pytest.raises(InsufficientStock) as error:
        move_confirm(actor=stock.clerk, move=move, reserve="all")
    assert error.value.code == "insufficient_stock" and error.value.status == 409
    move.refresh_from_db()
    assert (move.state, move.reserved_quantity) == ("draft", Decimal("0"))
    assert quant(stock, stock.widget, stock.stock).reserved == 0 and not StockMoveLine.objects.filter(
        is_done=False).exists()


def test_reservation_does_not_take_what_others_reserved(stock):
    receive(stock, stock.widget, 5)
    first = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 4))
    second = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 4))
    assert (first.reserved_quantity, second.reserved_quantity) == (Decimal("4"), Decimal("1"))
    assert product_available(stock.company, stock.widget) == 0


def test_unreserve_releases_and_waits(stock):
    receive(stock, stock.widget, 5)
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 4))
    move = move_unreserve(actor=stock.clerk, move=move)
    assert (move.state, move.reserved_quantity, open_lines(move)) == ("confirmed", 0, [])
    assert quant(stock, stock.widget, stock.stock).reserved == 0
    with pytest.raises(InvalidState):
        move_unreserve(actor=stock.clerk, move=move)


def test_cancel_releases_the_reservation(stock):
    receive(stock, stock.widget, 5)
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 4))
    move = move_cancel(actor=stock.clerk, move=move)
    assert (move.state, move.reserved_quantity) == ("cancelled", 0)
    assert product_available(stock.company, stock.widget) == Decimal("5")
    for service in (move_cancel, move_done, move_reserve):
        with pytest.raises(InvalidState):
            service(actor=stock.clerk, move=move)


def test_a_done_move_is_never_cancelled(stock):
    move = receive(stock, stock.widget, 5)
    with pytest.raises(InvalidState):
        move_cancel(actor=stock.clerk, move=move)
    with pytest.raises(InvalidState):
        move_confirm(actor=stock.clerk, move=move)
    assert StockMove.objects.get(pk=move.pk).state == "done"


def test_incoming_moves_need_no_reservation(stock):
    move = move_create(actor=stock.clerk, company=stock.company, data={
        "product": stock.widget, "quantity": dec(5), "location": stock.supplier, "location_dest": stock.stock})
    move = move_confirm(actor=stock.clerk, move=move)
    assert (move.state, move.reserved_quantity) == ("assigned", 0)


# --- delivering ------------------------------------------------------------------------------------


def test_done_takes_the_reserved_lines(stock):
    receive(stock, stock.tea, 2, lot_name="OLD", expiry_on=D(2026, 5, 1), location=stock.shelf_a)
    receive(stock, stock.tea, 2, lot_name="NEW", expiry_on=D(2026, 8, 1), location=stock.shelf_b)
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.tea, 3))
    move = move_done(actor=stock.clerk, move=move)
    assert [(line.location.name, line.lot.name, line.quantity) for line in move.lines.order_by("pk")] == [
        ("A", "OLD", Decimal("2")), ("B", "NEW", Decimal("1"))]
    assert StockQuant.objects.get(lot__name="NEW").quantity == Decimal("1")
    assert StockQuant.objects.get(lot__name="OLD").quantity == 0
    assert StockQuant.objects.get(lot__name="NEW").reserved == 0


def test_done_with_other_lots_than_reserved(stock):
    receive(stock, stock.tea, 2, lot_name="OLD", expiry_on=D(2026, 5, 1))
    receive(stock, stock.tea, 2, lot_name="NEW", expiry_on=D(2026, 8, 1))
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.tea, 2))
    new = StockQuant.objects.get(lot__name="NEW").lot
    move_done(actor=stock.clerk, move=move, lines=[{"quantity": dec(2), "lot": new.pk}])
    assert [(q.lot.name, q.quantity, q.reserved) for q in StockQuant.objects.order_by("lot__name")] == [
        ("NEW", 0, 0), ("OLD", Decimal("2"), 0)]


def test_negative_stock_is_refused_by_default(stock):
    receive(stock, stock.widget, 2)
    move = outgoing(stock, stock.widget, 3)
    with pytest.raises(InsufficientStock) as error:
        move_done(actor=stock.clerk, move=move)
    assert error.value.code == "insufficient_stock"
    assert quant(stock, stock.widget, stock.stock).quantity == 2
    move.refresh_from_db()
    assert (move.state, move.reserved_quantity) == ("draft", 0)
    assert not StockMoveLine.objects.filter(move=move).exists()


def test_negative_stock_allowed_by_the_warehouse_setting(stock):
    stock.warehouse.allow_negative_stock = True
    stock.warehouse.save()
    receive(stock, stock.widget, 2)
    move_done(actor=stock.clerk, move=outgoing(stock, stock.widget, 3))
    assert quant(stock, stock.widget, stock.stock).quantity == Decimal("-1")


def test_others_reservations_are_protected(stock):
    receive(stock, stock.widget, 5)
    move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 4))
    with pytest.raises(InsufficientStock):
        move_done(actor=stock.clerk, move=outgoing(stock, stock.widget, 2))
    assert product_available(stock.company, stock.widget) == 1


def test_consumables_may_go_negative(stock):
    move_done(actor=stock.clerk, move=outgoing(stock, stock.carton, 3))
    assert quant(stock, stock.carton, stock.stock).quantity == Decimal("-3")


def test_partial_done_leaves_a_reserved_backorder(stock):
    receive(stock, stock.widget, 24)
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 2, uom=stock.box))
    move = move_done(actor=stock.clerk, move=move, lines=[{"quantity": dec(12)}])
    assert (move.quantity, move.uom, move.product_quantity, move.state) == (Decimal("1"), stock.box, Decimal("12"),
                                                                           "done")
    backorder = StockMove.objects.exclude(pk=move.pk).get(reference="OUT")
    assert (backorder.quantity, backorder.uom, backorder.product_quantity, backorder.state,
            backorder.reserved_quantity) == (Decimal("1"), stock.box, Decimal("12"), "assigned", Decimal("12"))
    assert quant(stock, stock.widget, stock.stock).quantity == 12
    assert quant(stock, stock.widget, stock.stock).reserved == 12


def test_partial_done_in_pieces_of_a_box_move_switches_to_pieces(stock):
    receive(stock, stock.widget, 24)
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 1, uom=stock.box))
    move = move_done(actor=stock.clerk, move=move, lines=[{"quantity": dec(5)}])
    assert (move.quantity, move.uom) == (Decimal("5"), stock.pcs)
    backorder = StockMove.objects.exclude(pk=move.pk).get(reference="OUT")
    assert (backorder.quantity, backorder.uom, backorder.product_quantity) == (Decimal("7"), stock.pcs, Decimal("7"))


def test_lines_above_the_move_are_refused(stock):
    receive(stock, stock.widget, 24)
    move = outgoing(stock, stock.widget, 2)
    with pytest.raises(ValidationFailed) as error:
        move_done(actor=stock.clerk, move=move, lines=[{"quantity": dec(3)}])
    assert list(error.value.fields) == ["lines"]


def test_line_locations_must_be_within_the_moves(stock):
    receive(stock, stock.widget, 5, location=stock.shelf_a)
    move = outgoing(stock, stock.widget, 2, location=stock.shelf_b)
    with pytest.raises(ValidationFailed) as error:
        move_done(actor=stock.clerk, move=move, lines=[{"quantity": dec(2), "location": stock.shelf_a.pk}])
    assert list(error.value.fields) == ["lines.0.location"]


def test_internal_move_keeps_the_age_of_the_stock(stock):
    receive(stock, stock.widget, 5, location=stock.shelf_a, date=D(2026, 1, 3))
    move = move_create(actor=stock.clerk, company=stock.company, data={
        "product": stock.widget, "quantity": dec(5), "location": stock.shelf_a, "location_dest": stock.shelf_b})
    move_done(actor=stock.clerk, move=move)
    assert quant(stock, stock.widget, stock.shelf_b).in_date == D(2026, 1, 3)
    assert product_on_hand(stock.company, stock.widget, stock.warehouse) == 5

"""Stock counts: the snapshot, counting (lines and barcode scans), posting the differences against on hand at
posting (moves to/from the inventory-loss location, valued to the gain/loss account), cancel, permissions."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from tessera.accounting.models import JournalEntryLine
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.inventory.models import Adjustment, AdjustmentLine, StockMove
from tessera.inventory.selectors import product_on_hand
from tessera.inventory.services import move_done
from tessera.inventory.services.adjustments import (
    adjustment_cancel,
    adjustment_count,
    adjustment_create,
    adjustment_post,
    adjustment_scan,
)
from tessera.inventory.services.moves import InsufficientStock, move_confirm

from ..conftest import TODAY, dec, outgoing, receive


def balance(account):
    totals = JournalEntryLine.objects.filter(account=account, is_posted=True).aggregate(d=Sum("debit"),
                                                                                         c=Sum("credit"))
    return (totals["d"] or Decimal("0")) - (totals["c"] or Decimal("0"))


@pytest.fixture
def counted(stock):
    """10 widgets on shelf A, 5 in WH/Stock, 2 kg of tea lot T1 on shelf B; a count of WH/Stock started."""
    receive(stock, stock.widget, 10, location=stock.shelf_a)
    receive(stock, stock.widget, 5)
    receive(stock, stock.tea, "2.5", location=stock.shelf_b, lot_name="T1")
    return adjustment_create(actor=stock.clerk, company=stock.company,
                             data={"location": stock.stock, "date": TODAY, "description": "March count"})


def lines_of(adjustment):
    return [(line.location.name, line.product.sku, line.lot.name if line.lot else None, line.expected_quantity,
             line.counted_quantity)
            for line in adjustment.lines.select_related("location", "product", "lot").order_by("location__full_name",
                                                                                               "product__sku")]


def test_create_snapshots_the_stock_of_the_location_and_below(stock, counted):
    assert (counted.state, counted.number, counted.warehouse, counted.location) == ("draft", None, stock.warehouse,
                                                                                    stock.stock)
    assert lines_of(counted) == [("Stock", "W-1", None, dec("5"), None), ("A", "W-1", None, dec("10"), None),
                                 ("B", "TEA", "T1", dec("2.5"), None)]


def test_create_refuses_a_virtual_location_and_needs_permission(stock, make_user):
    with pytest.raises(ValidationFailed) as error:
        adjustment_create(actor=stock.clerk, company=stock.company, data={"location": stock.loss})
    assert set(error.value.fields) == {"location"}
    with pytest.raises(PermissionDenied):
        adjustment_create(actor=make_user("sales_manager", username="s1"), company=stock.company,
                          data={"location": stock.stock})
    assert not Adjustment.objects.exists()


def test_post_moves_the_differences_and_values_them(stock, books, counted):
    _ledger, accounts = books
    by_key = {(line.location.name, line.product.sku): line for line in counted.lines.select_related("location",
                                                                                                   "product")}
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
        {"line": by_key[("A", "W-1")].pk, "counted_quantity": "8"},
        {"line": by_key[("Stock", "W-1")].pk, "counted_quantity": "7"},
        {"line": by_key[("B", "TEA")].pk, "counted_quantity": "2.5"}])
    posted = adjustment_post(actor=stock.clerk, adjustment=counted)
    assert (posted.state, posted.number) == ("posted", "INV-2026-00001")
    moves = sorted((m.location.full_name, m.location_dest.full_name, m.product_quantity, m.value, m.state)
                   for m in StockMove.objects.filter(source=f"inventory.adjustment:{posted.pk}"))
    assert moves == [("Virtual/Inventory loss", "WH/Stock", dec("2"), dec("20.00"), "done"),
                     ("WH/Stock/A", "Virtual/Inventory loss", dec("2"), dec("20.00"), "done")]
    assert product_on_hand(stock.company, stock.widget, location=stock.shelf_a) == dec("8")
    assert product_on_hand(stock.company, stock.widget, warehouse=stock.warehouse) == dec("15")
    assert balance(accounts["1901"]) == dec("0.00")  # +20 gain, -20 loss at 10.00
    assert balance(accounts["1405"]) == dec("175.00")  # 15 widgets and 2.5 kg of tea at 10.00
    assert AdjustmentLine.objects.filter(adjustment=posted, move__isnull=False).count() == 2


def test_post_a_loss_credits_inventory_and_debits_gain_loss(stock, books, counted):
    _ledger, accounts = books
    line = counted.lines.get(location=stock.shelf_a)
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[{"line": line.pk, "counted_quantity": "7"}])
    adjustment_post(actor=stock.clerk, adjustment=counted)
    assert (balance(accounts["1901"]), balance(accounts["1405"])) == (dec("30.00"), dec("145.00"))


def test_post_uses_on_hand_at_posting_when_stock_moved_during_the_count(stock, counted):
    line = counted.lines.get(location=stock.shelf_a)
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[{"line": line.pk, "counted_quantity": "4"}])
    move_done(actor=stock.clerk, move=outgoing(stock, stock.widget, 3, location=stock.shelf_a))  # 7 left now
    adjustment_post(actor=stock.clerk, adjustment=counted)
    move = StockMove.objects.get(source=f"inventory.adjustment:{counted.pk}")
    assert (move.location, move.product_quantity) == (stock.shelf_a, dec("3"))
    assert product_on_hand(stock.company, stock.widget, location=stock.shelf_a) == dec("4")
    line.refresh_from_db()
    assert (line.expected_quantity, line.counted_quantity, line.difference) == (dec("10"), dec("4"), dec("-6"))


def test_found_stock_gets_a_new_line_and_is_gained(stock, counted):
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
        {"product": stock.widget.pk, "location": stock.shelf_b.pk, "counted_quantity": "2"}])
    line = counted.lines.get(location=stock.shelf_b, product=stock.widget)
    assert (line.expected_quantity, line.counted_quantity) == (dec("0"), dec("2"))
    adjustment_post(actor=stock.clerk, adjustment=counted)
    assert product_on_hand(stock.company, stock.widget, location=stock.shelf_b) == dec("2")
    with pytest.raises(ValidationFailed):
        adjustment_count(actor=stock.clerk, adjustment=Adjustment.objects.create(
            company=stock.company, warehouse=stock.warehouse, location=stock.stock, date=TODAY),
            lines=[{"product": stock.carton.pk, "counted_quantity": "1"}])  # consumables are not counted


def test_uncounted_lines_change_nothing_and_a_count_is_needed(stock, counted):
    with pytest.raises(ValidationFailed) as error:
        adjustment_post(actor=stock.clerk, adjustment=counted)
    assert set(error.value.fields) == {"lines"}
    counted.refresh_from_db()
    assert (counted.state, counted.number) == ("draft", None)
    line = counted.lines.get(location=stock.stock)
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[{"line": line.pk, "counted_quantity": "5"}])
    adjustment_post(actor=stock.clerk, adjustment=counted)
    assert not StockMove.objects.filter(source=f"inventory.adjustment:{counted.pk}").exists()


def test_scan_adds_one_per_read_and_a_new_line_for_found_products(stock, counted):
    stock.widget.barcode = "6901234567892"
    stock.widget.save()
    for _read in range(3):
        line = adjustment_scan(actor=stock.clerk, adjustment=counted, code="6901234567892")
    assert (line.location, line.counted_quantity) == (stock.stock, dec("3"))
    line = adjustment_scan(actor=stock.clerk, adjustment=counted, code="W-1", location=stock.shelf_a.pk)
    assert (line.location, line.counted_quantity) == (stock.shelf_a, dec("1"))
    line = adjustment_scan(actor=stock.clerk, adjustment=counted, code="T1")
    assert (line.lot.name, line.counted_quantity) == ("T1", dec("1.000"))
    with pytest.raises(ValidationFailed) as error:
        adjustment_scan(actor=stock.clerk, adjustment=counted, code="NOPE")
    assert set(error.value.fields) == {"code"}
    with pytest.raises(ValidationFailed):
        adjustment_scan(actor=stock.clerk, adjustment=counted, code="TEA")  # tracked: scan the lot, not the product


def test_count_refuses_bad_quantities_and_writes_nothing(stock, counted):
    line = counted.lines.get(location=stock.shelf_a)
    with pytest.raises(ValidationFailed) as error:
        adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
            {"line": line.pk, "counted_quantity": "1.5"}, {"line": 0, "counted_quantity": "1"},
            {"product": stock.widget.pk, "location": stock.loss.pk, "counted_quantity": "1"},
            {"line": line.pk, "counted_quantity": "-1"}])
    assert set(error.value.fields) == {"lines.0.counted_quantity", "lines.1.line", "lines.2.location",
                                       "lines.3.counted_quantity"}
    line.refresh_from_db()
    counted.refresh_from_db()
    assert (line.counted_quantity, counted.version) == (None, 1)


def test_count_refuses_a_stale_version(stock, counted):
    with pytest.raises(InvalidState):
        adjustment_count(actor=stock.clerk, adjustment=counted, lines=[], version=7)


def test_a_loss_of_reserved_stock_is_refused_and_nothing_is_written(stock, counted):
    move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 15))  # reserves all 15 widgets
    line = counted.lines.get(location=stock.stock)
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[{"line": line.pk, "counted_quantity": "1"}])
    with pytest.raises(InsufficientStock):
        adjustment_post(actor=stock.clerk, adjustment=counted)
    counted.refresh_from_db()
    assert (counted.state, counted.number) == ("draft", None)
    assert not StockMove.objects.filter(source=f"inventory.adjustment:{counted.pk}").exists()


def test_cancel_and_forbidden_states(stock, counted, make_user):
    with pytest.raises(PermissionDenied):
        adjustment_post(actor=make_user("sales_manager", username="s2"), adjustment=counted)
    cancelled = adjustment_cancel(actor=stock.clerk, adjustment=counted)
    assert cancelled.state == "cancelled"
    for service in (adjustment_post, adjustment_cancel):
        with pytest.raises(InvalidState):
            service(actor=stock.clerk, adjustment=counted)
    with pytest.raises(InvalidState):
        adjustment_count(actor=stock.clerk, adjustment=counted, lines=[])

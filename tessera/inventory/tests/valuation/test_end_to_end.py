"""Valuation through the stock engine: `move_done` values each move in its transaction; a valuation refusal
(a receipt without its price, a closed period) leaves the stock untouched; the valuation by warehouse splits
the value by what each warehouse holds."""

import pytest

from tessera.accounting.models import Period
from tessera.accounting.services.errors import PeriodClosed
from tessera.accounting.services.periods import period_close
from tessera.core.errors import ValidationFailed
from tessera.inventory.choices import LocationUsage, MoveState
from tessera.inventory.models import StockMove, StockQuant, ValuationLayer
from tessera.inventory.reports import valuation
from tessera.inventory.services import move_create, move_done, virtual_location, warehouse_create

from .conftest import DAY, D, dec


@pytest.fixture
def sites(valued):
    """Warehouses WA and WB (WB lets deliveries go out before the stock is recorded)."""
    first = warehouse_create(actor=valued.actor, company=valued.company, data={"code": "WA", "name": "East"})
    second = warehouse_create(actor=valued.actor, company=valued.company,
                              data={"code": "WB", "name": "West", "allow_negative_stock": True})
    return first, second


def _done(valued, product, quantity, source, destination, *, date=DAY, unit_cost=None, partner=None):
    data = {"product": product, "quantity": dec(quantity), "location": source, "location_dest": destination,
            "date": date, "reference": "E2E", "partner": partner}
    if unit_cost is not None:
        data["unit_cost"] = dec(unit_cost)
    move = move_create(actor=valued.actor, company=valued.company, data=data)
    return move_done(actor=valued.actor, move=move)


def test_moves_done_through_the_stock_engine_are_valued_and_split_by_warehouse(valued, sites):
    east, west = sites
    supplier = virtual_location(company=valued.company, usage=LocationUsage.SUPPLIER)
    customer = virtual_location(company=valued.company, usage=LocationUsage.CUSTOMER)
    _done(valued, valued.average, 10, supplier, east.stock_location, unit_cost="5.00", partner=valued.vendor)
    _done(valued, valued.average, 10, supplier, west.stock_location, unit_cost="6.00", partner=valued.vendor)

    delivery = _done(valued, valued.average, 8, east.stock_location, customer, date=D(2026, 3, 3),
                     partner=valued.buyer)

    # The move move_done returns shows its value and entry (no reload needed).
    assert (delivery.state, delivery.value, delivery.unit_cost) == (MoveState.DONE, dec("44.00"), dec("5.500000"))
    assert delivery.entry.lines.count() == 2
    report = valuation(valued.company, D(2026, 3, 31), group="warehouse")
    assert [(row["warehouse_name"], row["value"]) for row in report.rows] == [
        ("WA East", dec("11.00")), ("WB West", dec("55.00"))]
    assert report.totals["value"] == report.ledger_balance == dec("66.00")
    only_west = valuation(valued.company, D(2026, 3, 31), warehouse=west)
    assert [(row["sku"], row["quantity"], row["value"]) for row in only_west.rows] == [
        ("AVG", dec("10"), dec("55.00"))]
    assert valued.balances() == (dec("66.00"), dec("-110.00"), dec("44.00"), 0)


def test_negative_stock_allowed_by_the_warehouse_is_valued_and_settled(valued, sites):
    _east, west = sites
    supplier = virtual_location(company=valued.company, usage=LocationUsage.SUPPLIER)
    customer = virtual_location(company=valued.company, usage=LocationUsage.CUSTOMER)

    delivery = _done(valued, valued.fifo, 3, west.stock_location, customer, partner=valued.buyer)
    _done(valued, valued.fifo, 5, supplier, west.stock_location, date=D(2026, 3, 4), unit_cost="7.00",
          partner=valued.vendor)

    delivery.refresh_from_db()
    assert delivery.value == dec("21.00")
    assert valued.balances() == (dec("14.00"), dec("-35.00"), dec("21.00"), 0)


def test_a_receipt_without_its_price_is_refused_and_nothing_moves(valued, sites):
    east, _west = sites
    supplier = virtual_location(company=valued.company, usage=LocationUsage.SUPPLIER)
    move = move_create(actor=valued.actor, company=valued.company, data={
        "product": valued.average, "quantity": dec("4"), "location": supplier,
        "location_dest": east.stock_location, "date": D(2026, 3, 2)})

    with pytest.raises(ValidationFailed) as error:
        move_done(actor=valued.actor, move=move)

    assert list(error.value.fields) == ["unit_cost"]
    move.refresh_from_db()
    assert move.state == MoveState.DRAFT
    assert not StockQuant.objects.filter(product=valued.average).exists()
    assert not ValuationLayer.objects.exists()


def test_a_move_dated_in_a_closed_period_is_refused_and_nothing_moves(valued, sites):
    east, _west = sites
    supplier = virtual_location(company=valued.company, usage=LocationUsage.SUPPLIER)
    period_close(actor=valued.actor, period=Period.objects.get(company=valued.company, name="2026-02"))
    move = move_create(actor=valued.actor, company=valued.company, data={
        "product": valued.average, "quantity": dec("4"), "location": supplier, "unit_cost": dec("5"),
        "location_dest": east.stock_location, "date": D(2026, 2, 20)})

    with pytest.raises(PeriodClosed):
        move_done(actor=valued.actor, move=move)

    assert StockMove.objects.get(pk=move.pk).state == MoveState.DRAFT
    assert not StockQuant.objects.filter(product=valued.average).exists()
    assert not ValuationLayer.objects.exists()

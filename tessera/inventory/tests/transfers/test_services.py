"""Transfers through transit: confirm reserves at the source, ship moves to transit (no entry: both valued),
done brings the same lots in; done from confirmed does both; cancel releases; forbidden states, permissions."""

from decimal import Decimal

import pytest

from tessera.accounting.models import JournalEntry
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.inventory.choices import LocationUsage
from tessera.inventory.models import StockQuant, Transfer
from tessera.inventory.selectors import product_on_hand
from tessera.inventory.services import virtual_location
from tessera.inventory.services.moves import InsufficientStock
from tessera.inventory.services.transfers import (
    transfer_cancel,
    transfer_confirm,
    transfer_create,
    transfer_done,
    transfer_ship,
    transfer_update,
)

from ..conftest import TODAY, dec, receive
from ..factories import WarehouseFactory


@pytest.fixture
def second(stock):
    return WarehouseFactory(company=stock.company, code="BJ", name="Beijing")


@pytest.fixture
def draft(stock, second):
    receive(stock, stock.widget, 10)
    receive(stock, stock.tea, "3", lot_name="T1")
    return transfer_create(actor=stock.clerk, company=stock.company, data={
        "location": stock.stock, "location_dest": second.stock_location, "date": TODAY}, lines=[
        {"product": stock.widget.pk, "quantity": "4"}, {"product": stock.tea.pk, "quantity": "1.5"}])


def on_hand(stock, product, location):
    return product_on_hand(stock.company, product, location=location)


def test_confirm_ship_done(stock, second, draft):
    transit = virtual_location(company=stock.company, usage=LocationUsage.TRANSIT)
    entries = JournalEntry.objects.count()
    confirmed = transfer_confirm(actor=stock.clerk, transfer=draft)
    assert (confirmed.state, confirmed.number) == ("confirmed", "TRF-2026-00001")
    assert StockQuant.objects.get(product=stock.widget, location=stock.stock).reserved == dec("4")
    shipped = transfer_ship(actor=stock.clerk, transfer=draft)
    assert shipped.state == "in_transit" and shipped.shipped_at is not None
    assert (on_hand(stock, stock.widget, stock.stock), on_hand(stock, stock.widget, transit)) == (dec("6"), dec("4"))
    done = transfer_done(actor=stock.clerk, transfer=draft)
    assert done.state == "done" and done.done_at is not None
    assert (on_hand(stock, stock.widget, transit), on_hand(stock, stock.widget, second.stock_location)) == (
        dec("0"), dec("4"))
    assert StockQuant.objects.get(product=stock.tea, location=second.stock_location).lot.name == "T1"
    assert on_hand(stock, stock.tea, second.stock_location) == dec("1.5")
    assert JournalEntry.objects.count() == entries  # transit is valued stock: no entry


def test_done_from_confirmed_does_both(stock, second, draft):
    transfer_confirm(actor=stock.clerk, transfer=draft)
    transfer_done(actor=stock.clerk, transfer=draft)
    assert on_hand(stock, stock.widget, second.stock_location) == dec("4")
    assert sorted(line.move_out.state + "/" + line.move_in.state for line in draft.lines.all()) == [
        "done/done", "done/done"]


def test_cancel_releases_the_reservation(stock, draft):
    transfer_confirm(actor=stock.clerk, transfer=draft)
    transfer_cancel(actor=stock.clerk, transfer=draft)
    assert StockQuant.objects.get(product=stock.widget, location=stock.stock).reserved == dec("0")
    assert [line.move_out.state for line in draft.lines.all()] == ["cancelled", "cancelled"]


def test_forbidden_states(stock, draft):
    with pytest.raises(InvalidState):
        transfer_ship(actor=stock.clerk, transfer=draft)
    transfer_confirm(actor=stock.clerk, transfer=draft)
    transfer_ship(actor=stock.clerk, transfer=draft)
    for service in (transfer_confirm, transfer_ship, transfer_cancel):
        with pytest.raises(InvalidState):
            service(actor=stock.clerk, transfer=draft)
    with pytest.raises(InvalidState):
        transfer_update(actor=stock.clerk, transfer=draft, data={"description": "x"})


def test_shipping_more_than_on_hand_is_refused(stock, second):
    receive(stock, stock.widget, 2)
    transfer = transfer_create(actor=stock.clerk, company=stock.company, data={
        "location": stock.stock, "location_dest": second.stock_location}, lines=[
        {"product": stock.widget.pk, "quantity": "5"}])
    transfer_confirm(actor=stock.clerk, transfer=transfer)
    with pytest.raises(InsufficientStock):
        transfer_ship(actor=stock.clerk, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.state == "confirmed" and on_hand(stock, stock.widget, stock.stock) == dec("2")


def test_create_validates_and_needs_permission(stock, make_user):
    with pytest.raises(ValidationFailed) as error:
        transfer_create(actor=stock.clerk, company=stock.company, data={
            "location": stock.stock, "location_dest": stock.stock}, lines=[
            {"product": stock.carton.pk, "quantity": "1"}, {"product": stock.widget.pk, "quantity": "0.5"}])
    assert set(error.value.fields) == {"location_dest"}
    with pytest.raises(ValidationFailed) as error:
        transfer_create(actor=stock.clerk, company=stock.company, data={
            "location": stock.stock, "location_dest": stock.shelf_a}, lines=[
            {"product": stock.carton.pk, "quantity": "1"}, {"product": stock.widget.pk, "quantity": "0.5"}])
    assert set(error.value.fields) == {"lines.0.product", "lines.1.quantity"}
    with pytest.raises(PermissionDenied):
        transfer_create(actor=make_user("sales_manager", username="s3"), company=stock.company, data={
            "location": stock.stock, "location_dest": stock.shelf_a}, lines=[
            {"product": stock.widget.pk, "quantity": Decimal("1")}])
    assert not Transfer.objects.exists()

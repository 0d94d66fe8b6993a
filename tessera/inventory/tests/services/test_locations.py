"""Warehouses, locations and virtual locations: paths kept for the subtree, no cycles, no stock in view
locations, no deletion of used locations, permissions; lots."""

import pytest

from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.inventory.choices import LocationUsage
from tessera.inventory.models import Location, Lot, Warehouse
from tessera.inventory.services import (
    location_create,
    location_delete,
    location_update,
    lot_create,
    lot_get_or_create,
    lot_update,
    virtual_location,
    warehouse_create,
    warehouse_set_active,
    warehouse_update,
)

from ..conftest import receive


def test_warehouse_create_makes_root_and_stock(stock):
    warehouse = warehouse_create(actor=stock.clerk, company=stock.company, data={"code": "sh", "name": "上海总仓"})
    assert (warehouse.code, warehouse.view_location.usage, warehouse.stock_location.full_name,
            warehouse.stock_location.warehouse) == ("SH", "view", "SH/Stock", warehouse)


def test_warehouse_code_change_renames_its_tree(stock):
    warehouse_update(actor=stock.clerk, warehouse=stock.warehouse, data={"code": "MAIN"})
    assert sorted(Location.objects.filter(warehouse=stock.warehouse).values_list("full_name", flat=True)) == [
        "MAIN", "MAIN/Stock", "MAIN/Stock/A", "MAIN/Stock/B"]


def test_warehouse_needs_permission(stock, make_user):
    with pytest.raises(PermissionDenied):
        warehouse_create(actor=make_user("salesperson", username="s1"), company=stock.company,
                         data={"code": "X", "name": "X"})
    assert not Warehouse.objects.filter(code="X").exists()


def test_renaming_and_moving_keeps_the_full_names_of_the_subtree(stock):
    bin_ = location_create(actor=stock.clerk, company=stock.company, data={"name": "01", "parent": stock.shelf_a})
    location_update(actor=stock.clerk, location=stock.shelf_a, data={"name": "A-Zone"})
    assert Location.objects.get(pk=bin_.pk).full_name == "WH/Stock/A-Zone/01"
    location_update(actor=stock.clerk, location=stock.shelf_a, data={"parent": stock.shelf_b})
    assert Location.objects.get(pk=bin_.pk).full_name == "WH/Stock/B/A-Zone/01"


def test_no_cycles(stock):
    with pytest.raises(ValidationFailed) as error:
        location_update(actor=stock.clerk, location=stock.stock, data={"parent": stock.shelf_a})
    assert list(error.value.fields) == ["parent"]
    assert Location.objects.get(pk=stock.stock.pk).full_name == "WH/Stock"


def test_names_are_unique_per_parent_and_have_no_slash(stock):
    with pytest.raises(ValidationFailed) as error:
        location_create(actor=stock.clerk, company=stock.company, data={"name": "A", "parent": stock.stock})
    assert list(error.value.fields) == ["name"]
    with pytest.raises(ValidationFailed):
        location_create(actor=stock.clerk, company=stock.company, data={"name": "A/B", "parent": stock.stock})


def test_barcodes_are_unique(stock):
    location_update(actor=stock.clerk, location=stock.shelf_a, data={"barcode": "X1"})
    with pytest.raises(ValidationFailed) as error:
        location_update(actor=stock.clerk, location=stock.shelf_b, data={"barcode": "X1"})
    assert list(error.value.fields) == ["barcode"]


def test_a_location_with_moves_is_not_deleted_nor_archived_while_stocked(stock):
    receive(stock, stock.widget, 2, location=stock.shelf_a)
    with pytest.raises(InvalidState):
        location_delete(actor=stock.clerk, location=stock.shelf_a)
    with pytest.raises(InvalidState):
        location_update(actor=stock.clerk, location=stock.shelf_a, data={"is_active": False})
    with pytest.raises(InvalidState):
        warehouse_set_active(actor=stock.clerk, warehouse=stock.warehouse, is_active=False)
    with pytest.raises(ValidationFailed):
        location_update(actor=stock.clerk, location=stock.shelf_a, data={"usage": LocationUsage.VIEW})
    assert Location.objects.get(pk=stock.shelf_a.pk).is_active


def test_unused_location_is_deleted(stock):
    location_delete(actor=stock.clerk, location=stock.shelf_b)
    assert not Location.objects.filter(pk=stock.shelf_b.pk).exists()
    with pytest.raises(InvalidState):
        location_delete(actor=stock.clerk, location=stock.stock)


def test_empty_warehouse_is_archived_with_its_locations(stock):
    warehouse_set_active(actor=stock.clerk, warehouse=stock.warehouse, is_active=False)
    assert not Location.objects.filter(warehouse=stock.warehouse, is_active=True).exists()
    with pytest.raises(InvalidState):
        warehouse_set_active(actor=stock.clerk, warehouse=stock.warehouse, is_active=False)


def test_virtual_locations_are_one_per_usage(stock):
    assert virtual_location(company=stock.company, usage="supplier") == stock.supplier
    transit = virtual_location(company=stock.company, usage="transit")
    assert (transit.full_name, transit.usage, transit.warehouse) == ("Virtual/Transit", "transit", None)
    assert Location.objects.filter(company=stock.company, usage="transit").count() == 1


def test_lots(stock):
    lot = lot_get_or_create(company=stock.company, product=stock.tea, name="T1")
    assert lot_get_or_create(company=stock.company, product=stock.tea, name="T1") == lot
    with pytest.raises(ValidationFailed):
        lot_get_or_create(company=stock.company, product=stock.widget, name="W1")
    with pytest.raises(ValidationFailed) as error:
        lot_create(actor=stock.clerk, company=stock.company, data={"product": stock.tea, "name": "T1"})
    assert list(error.value.fields) == ["name"]
    lot_update(actor=stock.clerk, lot=lot, data={"notes": "Spring harvest"})
    assert Lot.objects.get(pk=lot.pk).notes == "Spring harvest"

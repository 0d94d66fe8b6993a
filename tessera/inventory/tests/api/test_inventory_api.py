"""The inventory API: warehouses, locations, lots (+ trace), stock rows, the read-only ledger; 400/403/404/405/409."""

import pytest

from tessera.core.tests.factories import CompanyFactory, activate
from tessera.inventory.models import Location, Lot, StockMove, Warehouse
from tessera.inventory.services import move_confirm

from ..conftest import D, outgoing, receive
from ..factories import WarehouseFactory

API = "/api/v1/inventory/"


@pytest.fixture
def api(api_client_for, stock):
    return api_client_for(stock.clerk)


@pytest.fixture
def filled(stock):
    receive(stock, stock.widget, 12, location=stock.shelf_a)
    receive(stock, stock.widget, 3, location=stock.shelf_b)
    receive(stock, stock.tea, "2.250", lot_name="L-1", expiry_on=D(2026, 9, 1))
    return move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 5))


def test_stock_rows_per_product_and_warehouse(api, stock, filled):
    response = api.get(API + "stock/", {"product": stock.widget.pk})
    assert response.status_code == 200
    assert response.json()["results"] == [{
        "product": stock.widget.pk, "warehouse": stock.warehouse.pk, "location": None, "lot": None,
        "on_hand": "15.0000", "reserved": "5.0000", "available": "10.0000", "value": "150.00"}]


def test_stock_rows_by_location_and_lot(api, stock, filled):
    response = api.get(API + "stock/", {"warehouse": stock.warehouse.pk, "group_by": "product,location,lot"})
    rows = {(row["product"], row["location"], row["lot"]): (row["on_hand"], row["reserved"], row["value"])
            for row in response.json()["results"]}
    assert rows == {
        (stock.widget.pk, stock.shelf_a.pk, None): ("12.0000", "5.0000", "120.00"),
        (stock.widget.pk, stock.shelf_b.pk, None): ("3.0000", "0.0000", "30.00"),
        (stock.tea.pk, stock.stock.pk, _lot_pk("L-1")): ("2.2500", "0.0000", "22.50"),
    }
    assert response.json()["count"] == 3 and response.json()["totals"] == {"value": "172.50"}


def _lot_pk(name):
    return Lot.objects.get(name=name).pk


def test_stock_refuses_bad_filters(api, stock):
    response = api.get(API + "stock/", {"group_by": "colour"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"
    assert "group_by" in response.json()["error"]["fields"]
    other = WarehouseFactory(company=CompanyFactory(code="OTH"), code="OT")
    response = api.get(API + "stock/", {"warehouse": other.pk})
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["warehouse"]


def test_moves_are_read_only(api, stock, filled):
    assert api.post(API + "moves/", {}, format="json").status_code == 405
    assert api.patch(API + f"moves/{filled.pk}/", {}, format="json").status_code == 405
    assert api.delete(API + f"moves/{filled.pk}/").status_code == 405
    assert StockMove.objects.count() == 4


def test_moves_ledger_filters(api, stock, filled):
    response = api.get(API + "moves/", {"product": stock.widget.pk, "state": "assigned"})
    [move] = response.json()["results"]
    assert (move["id"], move["quantity"], move["reserved_quantity"], move["state"]) == (
        filled.pk, "5.0000", "5.0000", "assigned")
    assert [(line["location"], line["quantity"], line["is_done"]) for line in move["lines"]] == [
        (stock.shelf_a.pk, "5.0000", False)]
    response = api.get(API + "moves/", {"location": stock.shelf_b.pk})
    assert response.json()["count"] == 1
    response = api.get(API + "moves/", {"date_from": "2026-03-03"})
    assert response.json()["count"] == 0


def test_warehouse_create_makes_its_locations(api, stock):
    response = api.post(API + "warehouses/", {"code": "bj", "name": "北京仓"}, format="json")
    assert response.status_code == 201
    warehouse = Warehouse.objects.get(pk=response.json()["id"])
    assert (warehouse.code, warehouse.view_location.full_name, warehouse.stock_location.full_name) == (
        "BJ", "BJ", "BJ/Stock")
    again = api.post(API + "warehouses/", {"code": "BJ", "name": "Again"}, format="json")
    assert again.status_code == 400 and list(again.json()["error"]["fields"]) == ["code"]
    assert Warehouse.objects.filter(code="BJ").count() == 1


def test_warehouse_archive_refused_with_stock(api, stock, filled):
    response = api.post(API + f"warehouses/{stock.warehouse.pk}/archive/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"
    assert Warehouse.objects.get(pk=stock.warehouse.pk).is_active


def test_location_crud(api, stock):
    response = api.post(API + "locations/", {"name": "C", "parent": stock.stock.pk, "barcode": "LOC-C"},
                        format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["full_name"], body["warehouse"], body["usage"]) == ("WH/Stock/C", stock.warehouse.pk, "internal")
    response = api.patch(API + f"locations/{body['id']}/", {"name": "C1"}, format="json")
    assert response.json()["full_name"] == "WH/Stock/C1"
    assert api.get(API + "locations/", {"barcode": "LOC-C"}).json()["results"][0]["id"] == body["id"]
    assert api.delete(API + f"locations/{body['id']}/").status_code == 204


def test_location_with_moves_cannot_be_deleted(api, stock, filled):
    response = api.delete(API + f"locations/{stock.shelf_a.pk}/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"
    assert Location.objects.filter(pk=stock.shelf_a.pk).exists()


def test_internal_location_needs_a_warehouse(api, stock):
    response = api.post(API + "locations/", {"name": "Loose"}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["parent"]


def test_locations_filter_by_usage_and_warehouse(api, stock):
    names = [row["full_name"] for row in api.get(API + "locations/", {"usage": "supplier"}).json()["results"]]
    assert names == ["Partners/Suppliers"]
    names = [row["full_name"] for row in api.get(API + "locations/",
                                                 {"warehouse": stock.warehouse.pk}).json()["results"]]
    assert names == ["WH", "WH/Stock", "WH/Stock/A", "WH/Stock/B"]


def test_lot_trace(api, stock, filled):
    lot = _lot_pk("L-1")
    response = api.get(API + f"lots/{lot}/trace/")
    assert response.status_code == 200
    assert [(row["location_name"], row["location_dest_name"], row["quantity"], row["reference"])
            for row in response.json()] == [("Partners/Suppliers", "WH/Stock", "2.2500", "IN")]


def test_lot_create_needs_a_tracked_product(api, stock):
    response = api.post(API + "lots/", {"product": stock.widget.pk, "name": "X"}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["product"]
    response = api.post(API + "lots/", {"product": stock.tea.pk, "name": "T-9", "expiry_on": "2027-01-31"},
                        format="json")
    assert response.status_code == 201 and response.json()["expiry_on"] == "2027-01-31"


def test_a_role_without_inventory_view_is_refused(api_client_for, make_user, stock):
    client = api_client_for(make_user("hr_officer", username="hr1"))
    for path in ("stock/", "moves/", "warehouses/", "locations/", "lots/"):
        response = client.get(API + path)
        assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_a_reader_cannot_write(api_client_for, make_user, stock):
    client = api_client_for(make_user("salesperson", username="sally1"))
    assert client.get(API + "stock/").status_code == 200
    response = client.post(API + "warehouses/", {"code": "X", "name": "X"}, format="json")
    assert response.status_code == 403 and not Warehouse.objects.filter(code="X").exists()


def test_another_companys_records_are_not_found(api, stock):
    other = CompanyFactory(code="OTH", name="Other")
    activate(other, "inventory")
    warehouse = WarehouseFactory(company=other, code="OT")
    assert api.get(API + f"warehouses/{warehouse.pk}/").status_code == 404
    assert api.get(API + f"locations/{warehouse.stock_location_id}/").status_code == 404
    assert api.patch(API + f"locations/{warehouse.stock_location_id}/", {"name": "Z"}, format="json") \
        .status_code == 404

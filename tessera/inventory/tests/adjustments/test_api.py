"""`inventory/adjustments/`: start a count, enter and scan counts, post (moves and number), cancel; 400/403/409."""

import pytest

from tessera.inventory.models import Adjustment, StockMove
from tessera.inventory.services import move_confirm

from ..conftest import outgoing, receive

API = "/api/v1/inventory/adjustments/"


@pytest.fixture
def api(api_client_for, stock):
    return api_client_for(stock.clerk)


@pytest.fixture
def started(api, stock):
    receive(stock, stock.widget, 10, location=stock.shelf_a)
    response = api.post(API, {"location": stock.stock.pk, "date": "2026-03-02", "description": "Q1"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_prefills_the_lines(started, stock):
    assert (started["state"], started["number"], started["warehouse"], started["version"]) == (
        "draft", None, stock.warehouse.pk, 1)
    assert [(line["location_name"], line["product_sku"], line["expected_quantity"], line["counted_quantity"])
            for line in started["lines"]] == [("WH/Stock/A", "W-1", "10.0000", None)]


def test_count_scan_and_post(api, stock, started):
    line = started["lines"][0]["id"]
    response = api.patch(f"{API}{started['id']}/", {"lines": [{"line": line, "counted_quantity": "7"}],
                                                     "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["lines"][0]["counted_quantity"], response.json()["lines"][0]["difference"],
            response.json()["version"]) == ("7.0000", "-3.0000", 2)
    response = api.post(f"{API}{started['id']}/scan/", {"code": "W-1"}, format="json")
    assert (response.status_code, response.json()["counted_quantity"]) == (200, "8.0000")
    response = api.post(f"{API}{started['id']}/post/", format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["number"]) == ("posted", "INV-2026-00001")
    move = StockMove.objects.get(source=f"inventory.adjustment:{started['id']}")
    assert (move.location, move.location_dest, str(move.product_quantity), str(move.value)) == (
        stock.shelf_a, stock.loss, "2.0000", "20.00")
    assert response.json()["lines"][0]["move"] == move.pk
    again = api.post(f"{API}{started['id']}/post/", format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert StockMove.objects.filter(source=f"inventory.adjustment:{started['id']}").count() == 1


def test_bad_input_is_400_and_writes_nothing(api, stock, started):
    response = api.post(API, {"location": stock.customer.pk}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "validation_error")
    assert list(response.json()["error"]["fields"]) == ["location"]
    response = api.patch(f"{API}{started['id']}/", {"lines": [{"line": started["lines"][0]["id"],
                                                               "counted_quantity": 3}]}, format="json")
    assert response.status_code == 400
    response = api.patch(f"{API}{started['id']}/", {"lines": [{"line": started["lines"][0]["id"],
                                                               "counted_quantity": "1.5"}]}, format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["lines.0.counted_quantity"])
    response = api.post(f"{API}{started['id']}/post/", format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["lines"])
    assert Adjustment.objects.count() == 1 and Adjustment.objects.get().version == 1


def test_conflicts_are_409(api, stock, started):
    response = api.patch(f"{API}{started['id']}/", {"lines": [], "version": 9}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")
    move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 10))
    api.patch(f"{API}{started['id']}/", {"lines": [{"line": started["lines"][0]["id"], "counted_quantity": "4"}]},
              format="json")
    response = api.post(f"{API}{started['id']}/post/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "insufficient_stock")
    assert api.post(f"{API}{started['id']}/cancel/", format="json").json()["state"] == "cancelled"
    for name in ("post", "cancel"):
        response = api.post(f"{API}{started['id']}/{name}/", format="json")
        assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")


def test_no_permission_is_403(api_client_for, make_user, stock, started):
    reader = api_client_for(make_user("sales_manager", username="reader1"))
    assert reader.get(f"{API}{started['id']}/").status_code == 200
    for response in (reader.post(f"{API}{started['id']}/post/", format="json"),
                     reader.post(f"{API}{started['id']}/cancel/", format="json"),
                     reader.post(API, {"location": stock.stock.pk}, format="json")):
        assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    assert Adjustment.objects.get().state == "draft"

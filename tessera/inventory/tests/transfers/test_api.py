"""`inventory/transfers/`: create with lines, confirm, ship, done, cancel; 400/403/409."""

import pytest

from tessera.inventory.models import Transfer

from ..conftest import receive
from ..factories import WarehouseFactory

API = "/api/v1/inventory/transfers/"


@pytest.fixture
def api(api_client_for, stock):
    return api_client_for(stock.clerk)


@pytest.fixture
def created(api, stock):
    receive(stock, stock.widget, 10)
    second = WarehouseFactory(company=stock.company, code="BJ")
    response = api.post(API, {"location": stock.stock.pk, "location_dest": second.stock_location.pk,
                              "date": "2026-03-02", "lines": [{"product": stock.widget.pk, "quantity": "4"}]},
                        format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_life_cycle(api, created):
    assert (created["state"], created["number"], created["lines"][0]["quantity"]) == ("draft", None, "4.0000")
    response = api.patch(f"{API}{created['id']}/", {"lines": [{"product": created["lines"][0]["product"],
                                                               "quantity": "3"}], "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["lines"][0]["quantity"] == "3.0000"
    response = api.post(f"{API}{created['id']}/confirm/", format="json")
    assert (response.status_code, response.json()["state"], response.json()["number"]) == (
        200, "confirmed", "TRF-2026-00001")
    assert api.post(f"{API}{created['id']}/ship/", format="json").json()["state"] == "in_transit"
    assert api.post(f"{API}{created['id']}/done/", format="json").json()["state"] == "done"
    response = api.post(f"{API}{created['id']}/cancel/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")
    response = api.delete(f"{API}{created['id']}/")
    assert response.status_code == 409


def test_bad_input_is_400(api, stock):
    response = api.post(API, {"location": stock.stock.pk, "location_dest": stock.stock.pk,
                              "lines": [{"product": stock.widget.pk, "quantity": 1}]}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "validation_error")
    response = api.post(API, {"location": stock.stock.pk, "location_dest": stock.shelf_a.pk,
                              "lines": [{"product": stock.widget.pk, "quantity": "0.5"}]}, format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["lines.0.quantity"])
    assert not Transfer.objects.exists()


def test_insufficient_stock_is_409(api, stock, created):
    api.patch(f"{API}{created['id']}/", {"lines": [{"product": stock.widget.pk, "quantity": "50"}]}, format="json")
    api.post(f"{API}{created['id']}/confirm/", format="json")
    response = api.post(f"{API}{created['id']}/done/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "insufficient_stock")
    assert Transfer.objects.get().state == "confirmed"


def test_no_permission_is_403(api_client_for, make_user, created):
    reader = api_client_for(make_user("sales_manager", username="reader2"))
    for name in ("confirm", "done", "cancel"):
        response = reader.post(f"{API}{created['id']}/{name}/", format="json")
        assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    assert Transfer.objects.get().state == "draft"

"""`purchasing/orders/{id}/receive/` and `purchasing/receipts/`: receipts through the API, the error shape,
permissions, Idempotency-Key."""

import pytest

from tessera.purchasing.models import Receipt
from tessera.purchasing.services.orders import order_cancel

from ..conftest import dec
from .factories import confirmed_order, line_of, on_hand, set_tolerance, widget_order

ORDERS = "/api/v1/purchasing/orders/"
RECEIPTS = "/api/v1/purchasing/receipts/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_for, p):
    return api_client_for(p.clerk)


def receive_url(order):
    return f"{ORDERS}{order.pk}/receive/"


def test_receive_partially_then_read_the_receipt(api, p):
    order = widget_order(p)
    line = line_of(order, p.widget)

    response = api.post(receive_url(order), {"lines": [{"line": line.pk, "quantity": "4"}], "date": "2026-03-05",
                                             "reference": "DN-77"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["order"], body["date"], body["reference"]) == ("GRN-2026-00001", order.pk,
                                                                                "2026-03-05", "DN-77")
    assert [(row["order_line"], row["quantity"], row["value"]) for row in body["lines"]] == [
        (line.pk, "4.0000", "480.00")]
    assert on_hand(p, p.widget) == dec(48)
    assert p.balance("220202") == dec("-480.00")
    listed = api.get(RECEIPTS, {"order": order.pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["number"] == "GRN-2026-00001"
    assert api.get(f"{RECEIPTS}{body['id']}/").json()["lines"][0]["quantity"] == "4.0000"


def test_lots_through_the_api(api, p):
    order = confirmed_order(p, {"product": p.phone, "quantity": "2", "unit_price": "1000"})

    response = api.post(receive_url(order), {"lines": [{"line": line_of(order, p.phone).pk, "quantity": "2",
                                                        "lots": [{"lot_name": "SN-1"}, {"lot_name": "SN-2"}]}]},
                        format="json")

    assert response.status_code == 201, response.json()
    assert sorted(lot["lot_name"] for lot in response.json()["lines"][0]["lots"]) == ["SN-1", "SN-2"]
    response = api.post(receive_url(order), {"lines": [{"line": line_of(order, p.phone).pk, "quantity": "1",
                                                        "lots": [{"lot_name": "SN-1"}]}]}, format="json")
    assert response.status_code == 400


def test_over_receipt_beyond_the_tolerance_is_400_with_the_field(api, p):
    set_tolerance(p, "10")
    order = widget_order(p)

    response = api.post(receive_url(order), {"lines": [{"line": line_of(order, p.widget).pk, "quantity": "12"}]},
                        format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("validation_error", ["lines.0.quantity"])
    assert isinstance(error["message"], str)
    assert not Receipt.objects.exists() and on_hand(p, p.widget) == 0


def test_numbers_as_json_numbers_are_refused(api, p):
    order = widget_order(p)

    response = api.post(receive_url(order), {"lines": [{"line": line_of(order, p.widget).pk, "quantity": 4}]},
                        format="json")

    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["lines.0.quantity"])


def test_receiving_a_cancelled_order_is_409(api, p):
    order = widget_order(p)
    order_cancel(actor=p.manager, order=order)

    response = api.post(receive_url(order), {"lines": [{"line": line_of(order, p.widget).pk, "quantity": "1"}]},
                        format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")
    assert not Receipt.objects.exists()


def test_permission_refusals(api_client_for, p):
    order = widget_order(p)
    body = {"lines": [{"line": line_of(order, p.widget).pk, "quantity": "1"}]}

    for user in (p.employee, p.accountant):
        response = api_client_for(user).post(receive_url(order), body, format="json")
        assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    assert api_client_for(p.employee).get(RECEIPTS).status_code == 403
    assert not Receipt.objects.exists()


def test_idempotency_key_receives_once(api, p):
    order = widget_order(p)
    body = {"lines": [{"line": line_of(order, p.widget).pk, "quantity": "2"}]}

    first = api.post(receive_url(order), body, format="json", HTTP_IDEMPOTENCY_KEY="grn-1")
    second = api.post(receive_url(order), body, format="json", HTTP_IDEMPOTENCY_KEY="grn-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Receipt.objects.count() == 1 and on_hand(p, p.widget) == dec(24)

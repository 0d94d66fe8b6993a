"""`purchasing/returns/`: drafts with lines, `/post/`, `/cancel/`; errors in the API shape."""

import pytest

from tessera.purchasing.models import SupplierReturn
from tessera.purchasing.services.receipts import order_receive

from ..conftest import TODAY, dec
from ..receipts.factories import line_of, on_hand, widget_order

API = "/api/v1/purchasing/returns/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_for, p):
    return api_client_for(p.clerk)


@pytest.fixture
def order(p):
    order = widget_order(p)
    order_receive(actor=p.clerk, order=order, date=TODAY, lines=[{"line": line_of(order, p.widget).pk,
                                                                  "quantity": "10"}])
    return order


def test_create_post_and_read(api, p, order):
    response = api.post(API, {"order": order.pk, "date": "2026-03-02", "reason": "Broken",
                              "lines": [{"order_line": line_of(order, p.widget).pk, "quantity": "3"}]}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["state"], created["number"], created["partner"], created["warehouse"]) == (
        "draft", None, p.s1.pk, p.warehouse.pk)
    assert (created["lines"][0]["product"], created["lines"][0]["uom"]) == (p.widget.pk, p.box.pk)

    response = api.post(f"{API}{created['id']}/post/", format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["number"], response.json()["credit_note"]) == (
        "done", "RTV-2026-00001", None)
    assert on_hand(p, p.widget) == dec(84)
    assert p.balance("220202") == dec("-840.00")
    response = api.post(f"{API}{created['id']}/cancel/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")
    assert api.delete(f"{API}{created['id']}/").status_code == 409


def test_bad_input_is_400_and_writes_nothing(api, p, order):
    response = api.post(API, {"order": order.pk, "reason": "Broken",
                              "lines": [{"order_line": line_of(order, p.widget).pk, "quantity": "0"}]}, format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["lines.0.quantity"])
    response = api.post(API, {"partner": p.s1.pk, "warehouse": p.warehouse.pk, "reason": "Broken",
                              "lines": [{"product": p.widget.pk, "quantity": "2"}]}, format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["lines.0.unit_price"])
    response = api.post(API, {"order": order.pk, "reason": "x", "state": "done",
                              "lines": [{"order_line": line_of(order, p.widget).pk, "quantity": "1"}]}, format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["state"])
    assert not SupplierReturn.objects.exists()


def test_patch_cancel_and_permissions(api, api_client_for, p, order):
    created = api.post(API, {"order": order.pk, "reason": "Broken",
                             "lines": [{"order_line": line_of(order, p.widget).pk, "quantity": "3"}]},
                       format="json").json()
    response = api.patch(f"{API}{created['id']}/", {"reason": "Late", "version": 1}, format="json")
    assert (response.status_code, response.json()["reason"], response.json()["version"]) == (200, "Late", 2)
    response = api.patch(f"{API}{created['id']}/", {"reason": "Late", "version": 1}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")

    accountant = api_client_for(p.accountant)
    response = accountant.post(f"{API}{created['id']}/post/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    assert api_client_for(p.employee).get(API).status_code == 403

    response = api.post(f"{API}{created['id']}/cancel/", format="json")
    assert (response.status_code, response.json()["state"]) == (200, "cancelled")
    assert on_hand(p, p.widget) == dec(120)


def test_a_return_after_billing_waits_for_accounting_to_credit_it(api, api_client_for, p, order):
    from .test_services import billed

    bill = billed(p, order)
    created = api.post(API, {"order": order.pk, "date": "2026-03-02", "reason": "Broken",
                             "lines": [{"order_line": line_of(order, p.widget).pk, "quantity": "4"}]},
                       format="json").json()

    response = api.post(f"{API}{created['id']}/post/", format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["credit_note"], body["credit_pending"], body["lines"][0]["quantity_to_credit"]) == (
        "done", None, True, "4.0000")
    assert [row["id"] for row in api.get(f"{API}?credit_pending=true").json()["results"]] == [created["id"]]
    assert api.get(f"{API}?credit_pending=false").json()["results"] == []
    response = api.post(f"{API}{created['id']}/credit/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    assert p.balance("payable") == dec("-1356.00")

    accountant = api_client_for(p.accountant)
    response = accountant.post(f"{API}{created['id']}/credit/", format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["credit_pending"] is False and response.json()["credit_note"] is not None
    assert p.balance("payable") == dec("-813.60")
    bill.refresh_from_db()
    assert bill.residual == dec("813.60")
    response = accountant.post(f"{API}{created['id']}/credit/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")
    assert api.get(f"{API}?credit_pending=true").json()["results"] == []

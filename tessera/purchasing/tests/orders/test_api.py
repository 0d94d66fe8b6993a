"""`purchasing/orders/`, `purchasing/price-lists/`, `purchasing/settings/`: the life cycle through the API,
the error shape (400/403/409), approval, idempotency."""

from decimal import Decimal

import pytest

from tessera.inventory.models import StockMove
from tessera.purchasing.models import PurchaseOrder, SupplierPrice

pytestmark = pytest.mark.django_db

API = "/api/v1/purchasing/orders/"
PRICES = "/api/v1/purchasing/price-lists/"
SETTINGS = "/api/v1/purchasing/settings/"


@pytest.fixture
def api(api_client_for, p):
    return api_client_for(p.purchaser)


@pytest.fixture
def created(api, p):
    response = api.post(API, {"partner": p.s1.pk, "warehouse": p.warehouse.pk, "date": "2026-03-02",
                              "lines": [{"product": p.widget.pk, "quantity": "10", "unit_price": "60"}]},
                        format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_answers_the_order_with_its_defaults(created, p):
    line = created["lines"][0]
    assert (created["state"], created["number"], created["currency"], created["total"]) == (
        "draft", None, p.company.base_currency.pk, "678.00")
    assert (line["uom"], line["taxes"], line["subtotal"], line["quantity_received"]) == (
        p.box.pk, [p.vat13.pk], "600.00", "0.0000")


def test_life_cycle(api, created, p):
    url = f"{API}{created['id']}/"
    line = created["lines"][0]
    response = api.patch(url, {"lines": [{"id": line["id"], "quantity": "12"}], "version": 1}, format="json")
    assert (response.status_code, response.json()["total"], response.json()["lines"][0]["id"]) == (
        200, "813.60", line["id"])
    response = api.post(f"{url}submit/", format="json")
    assert response.json()["state"] == "approved"
    response = api.post(f"{url}confirm/", format="json")
    assert (response.status_code, response.json()["state"], response.json()["number"]) == (
        200, "confirmed", "PO-2026-00001")
    move = StockMove.objects.get(reference="PO-2026-00001")
    assert (move.quantity, move.product_quantity, move.unit_cost) == (Decimal("12"), Decimal("144"),
                                                                     Decimal("5.000000"))
    response = api.patch(url, {"notes": "late"}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")
    response = api.delete(url)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")


def test_validation_errors_name_the_line_field(api, p):
    response = api.post(API, {"partner": p.s1.pk, "lines": [{"product": p.widget.pk, "quantity": "1.5"}]},
                        format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "lines.0.quantity" in response.json()["error"]["fields"]
    assert PurchaseOrder.objects.count() == 0


def test_numbers_as_json_numbers_and_server_fields_are_refused(api, p):
    response = api.post(API, {"partner": p.s1.pk, "state": "confirmed",
                              "lines": [{"product": p.widget.pk, "quantity": 1}]}, format="json")

    assert response.status_code == 400 and "state" in response.json()["error"]["fields"]
    assert PurchaseOrder.objects.count() == 0


def test_confirm_without_approval_is_409_approval_required(api, p, order_rule):
    response = api.post(API, {"partner": p.s1.pk, "lines": [{"product": p.widget.pk, "quantity": "100",
                                                             "unit_price": "60"}]}, format="json")
    url = f"{API}{response.json()['id']}/"

    response = api.post(f"{url}confirm/", format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "approval_required")
    assert api.post(f"{url}submit/", format="json").json()["state"] == "submitted"


def test_approve_and_reject_through_the_api(api, api_client_for, p, order_rule):
    ids = [api.post(API, {"partner": p.s1.pk, "lines": [{"product": p.widget.pk, "quantity": "100",
                                                         "unit_price": "60"}]}, format="json").json()["id"]
           for _index in range(2)]
    for pk in ids:
        api.post(f"{API}{pk}/submit/", format="json")
    manager = api_client_for(p.manager)

    own = api.post(f"{API}{ids[0]}/approve/", {"comment": ""}, format="json")
    approved = manager.post(f"{API}{ids[0]}/approve/", {"comment": "ok"}, format="json")
    no_reason = manager.post(f"{API}{ids[1]}/reject/", {}, format="json")
    rejected = manager.post(f"{API}{ids[1]}/reject/", {"comment": "Too much"}, format="json")

    assert (own.status_code, own.json()["error"]["code"]) == (403, "permission_denied")
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")
    assert (no_reason.status_code, no_reason.json()["error"]["code"]) == (400, "validation_error")
    assert (rejected.status_code, rejected.json()["state"]) == (200, "draft")


def test_cancel_and_close_need_the_cancel_permission(api, api_client_for, created):
    response = api.post(f"{API}{created['id']}/cancel/", format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    assert PurchaseOrder.objects.get().state == "draft"


def test_manager_cancels_and_close_of_a_draft_is_409(api_client_for, p, created):
    manager = api_client_for(p.manager)
    url = f"{API}{created['id']}/"

    closed = manager.post(f"{url}close/", format="json")
    cancelled = manager.post(f"{url}cancel/", format="json")

    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "invalid_state")
    assert (cancelled.status_code, cancelled.json()["state"]) == (200, "cancelled")


def test_confirm_is_idempotent_with_a_key(api, created):
    url = f"{API}{created['id']}/confirm/"

    first = api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="po-confirm-1")
    second = api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="po-confirm-1")

    assert (first.status_code, second.status_code, second["Idempotent-Replayed"]) == (200, 200, "true")
    assert second.json()["number"] == "PO-2026-00001" and StockMove.objects.count() == 1


def test_filters_and_company_scope(api, api_client_for, created, p, other_company, make_user):
    assert api.get(f"{API}?state=draft").json()["count"] == 1
    assert api.get(f"{API}?state=confirmed").json()["count"] == 0
    stranger = api_client_for(make_user("purchaser", username="far", companies=[other_company]))
    assert stranger.get(f"{API}{created['id']}/", HTTP_X_COMPANY=other_company.code).status_code in (403, 404)


def test_price_lists_and_quote(api, p):
    response = api.post(PRICES, {"partner": p.s1.pk, "product": p.widget.pk, "min_quantity": "10", "price": "55.00"},
                        format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["uom"], response.json()["currency"]) == (p.box.pk, p.company.base_currency.pk)

    quote = api.get(f"{PRICES}quote/?partner={p.s1.pk}&product={p.widget.pk}&quantity=120&uom={p.pcs.pk}"
                    "&date=2026-03-02")
    assert quote.status_code == 200
    assert (quote.json()["unit_price"], quote.json()["price"]) == ("4.583333", SupplierPrice.objects.get().pk)
    none = api.get(f"{PRICES}quote/?partner={p.s1.pk}&product={p.widget.pk}&quantity=1&date=2026-03-02")
    assert none.json()["price"] is None

    bad = api.post(PRICES, {"partner": p.s1.pk, "product": p.widget.pk, "price": "-1"}, format="json")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "validation_error")


def test_settings_get_and_patch(api_client_for, p):
    manager, clerk = api_client_for(p.manager), api_client_for(p.clerk)

    assert manager.get(SETTINGS).json()["over_receipt_percent"] == "0.00"
    response = manager.patch(SETTINGS, {"over_receipt_percent": "10.00"}, format="json")
    refused = clerk.patch(SETTINGS, {"over_receipt_percent": "20.00"}, format="json")

    assert (response.status_code, response.json()["over_receipt_percent"]) == (200, "10.00")
    assert refused.status_code == 403
    assert manager.get(SETTINGS).json()["over_receipt_percent"] == "10.00"

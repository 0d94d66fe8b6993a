"""`purchasing/rfqs/`: create with lines and suppliers, send, quotes, comparison, award; error shapes."""

import pytest

from tessera.purchasing.models import PurchaseOrder

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchasing/rfqs/"


def test_rfq_to_three_suppliers_through_the_api(p, s3, api_client_for):
    client = api_client_for(p.purchaser)
    created = client.post(URL, {"warehouse": p.warehouse.pk, "date": "2026-03-02",
                                "lines": [{"product": p.widget.pk, "quantity": "10"},
                                          {"product": p.tea.pk, "quantity": "5"}],
                                "suppliers": [{"partner": p.s1.pk}, {"partner": p.s2.pk}, {"partner": s3.pk}]},
                          format="json")
    assert created.status_code == 201, created.content
    rfq = created.json()
    widget, tea = (line["id"] for line in rfq["lines"])
    base = f"{URL}{rfq['id']}/"
    early = client.post(f"{base}quotes/", {"supplier": p.s1.pk, "quotes": []}, format="json")
    assert early.status_code == 409 and early.json()["error"]["code"] == "invalid_state"
    sent = client.post(f"{base}send/")
    assert (sent.status_code, sent.json()["state"], sent.json()["number"]) == (200, "sent", "RFQ-2026-00001")
    for supplier, prices in ((p.s1, ("60", "100")), (p.s2, ("55", "120")), (s3, ("58", None))):
        answer = client.post(f"{base}quotes/", {"supplier": supplier.pk, "lead_days": 7, "quotes": [
            {"line": widget, "unit_price": prices[0]}, {"line": tea, "unit_price": prices[1]}]}, format="json")
        assert answer.status_code == 200, answer.content
    comparison = client.get(f"{base}comparison/").json()
    assert comparison["best_supplier"] == p.s1.pk
    assert [(row["cheapest_supplier"]) for row in comparison["lines"]] == [p.s2.pk, p.s1.pk]
    assert [(item["partner"], item["total"], item["complete"]) for item in comparison["suppliers"]] == [
        (p.s1.pk, "1100.00", True), (p.s2.pk, "1150.00", True), (s3.pk, "580.00", False)]
    not_quoted = client.post(f"{base}award/", {"supplier": s3.pk}, format="json")
    assert not_quoted.status_code == 400 and not_quoted.json()["error"]["code"] == "validation_error"
    assert list(not_quoted.json()["error"]["fields"]) == ["lines.1"]
    awarded = client.post(f"{base}award/", {"lines": [{"line": widget, "supplier": p.s2.pk},
                                                      {"line": tea, "supplier": p.s1.pk}]}, format="json")
    assert awarded.status_code == 200, awarded.content
    orders = PurchaseOrder.objects.order_by("pk")
    assert awarded.json()["state"] == "awarded" and awarded.json()["orders"] == [order.pk for order in orders]
    assert [(order.partner_id, str(order.lines.get().unit_price)) for order in orders] == [
        (p.s1.pk, "100.000000"), (p.s2.pk, "55.000000")]


def test_quote_prices_must_be_decimal_strings_and_an_employee_cannot_create(p, s3, api_client_for):
    refused = api_client_for(p.employee).post(URL, {"warehouse": p.warehouse.pk, "lines": [
        {"product": p.widget.pk, "quantity": "1"}], "suppliers": [{"partner": p.s1.pk}]}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    bad = api_client_for(p.purchaser).post(URL, {"warehouse": p.warehouse.pk, "lines": [
        {"product": p.widget.pk, "quantity": 1}], "suppliers": []}, format="json")
    assert bad.status_code == 400 and list(bad.json()["error"]["fields"]) == ["lines.0.quantity"]

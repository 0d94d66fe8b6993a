"""Bills through the API: `/bill/`, the match, approving it, linking a free-entered bill, posting refused
with 409 `bill_mismatch`, the payment proposal and paying it."""

import pytest

from tessera.accounting.models import Invoice
from tessera.accounting.services.invoices import invoice_create
from tessera.core.context import acting

from ..conftest import TODAY, dec
from .conftest import bill, line_of, post, received_widgets
from .test_services_bills import set_price

ORDERS = "/api/v1/purchasing/orders/"
BILLS = "/api/v1/purchasing/bills/"
PROPOSAL = "/api/v1/purchasing/payment-proposal/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant_api(api_client_for, p):
    return api_client_for(p.accountant)


@pytest.fixture
def manager_api(api_client_for, p):
    return api_client_for(p.manager)


def test_bill_an_order_then_post_it_in_accounting(accountant_api, p):
    order = received_widgets(p)

    response = accountant_api.post(f"{ORDERS}{order.pk}/bill/", {"date": "2026-03-02", "reference": "SUP-1"},
                                   format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["state"], body["total"], body["reference"], body["orders"]) == (
        "supplier_invoice", "draft", "678.00", "SUP-1", [order.pk])
    assert body["lines"][0]["order_line"] == line_of(order, p.widget).pk
    again = accountant_api.post(f"{ORDERS}{order.pk}/bill/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"

    match = accountant_api.get(f"{BILLS}{body['id']}/match/").json()
    assert match["state"] == "matched" and match["differences"] == []
    assert [(row["ordered"], row["received"], row["billed"], row["order_price"]) for row in match["lines"]] == [
        ("10.0000", "10.0000", "10.0000", "60.000000")]
    posted = accountant_api.post(f"/api/v1/accounting/invoices/{body['id']}/post/", format="json")
    assert posted.status_code == 200, posted.json()
    assert p.balance("220202") == 0 and p.balance("220201") == dec("-678.00")
    listed = accountant_api.get(BILLS).json()
    assert [(row["id"], row["match_state"]) for row in listed["results"]] == [(body["id"], "matched")]


def test_a_mismatch_answers_409_until_approved(accountant_api, manager_api, p):
    order = received_widgets(p)
    invoice = set_price(p, bill(p, order), unit_price="66")

    refused = accountant_api.post(f"/api/v1/accounting/invoices/{invoice.pk}/post/", format="json")

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "bill_mismatch"
    assert p.balance("220202") == dec("-600.00") and p.balance("220201") == 0
    match = accountant_api.get(f"{BILLS}{invoice.pk}/match/").json()
    assert match["state"] == "mismatch" and [item["kind"] for item in match["differences"]] == ["price", "amount"]
    assert match["lines"][0]["billed_price"] == "66.000000"
    own = accountant_api.post(f"{BILLS}{invoice.pk}/approve-match/", {"note": "mine"}, format="json")
    assert own.status_code == 403 and own.json()["error"]["code"] == "permission_denied"

    approved = manager_api.post(f"{BILLS}{invoice.pk}/approve-match/", {"note": "agreed"}, format="json")

    assert approved.status_code == 200, approved.json()
    assert (approved.json()["state"], approved.json()["approved_by"]) == ("approved", p.manager.pk)
    assert accountant_api.post(f"/api/v1/accounting/invoices/{invoice.pk}/post/", format="json").status_code == 200
    assert p.balance("220202") == 0 and p.balance("6401") == dec("60.00")


def test_link_a_free_entered_bill(accountant_api, p):
    order = received_widgets(p)
    with acting(user=p.accountant):
        invoice = invoice_create(actor=p.accountant, company=p.company, data={
            "kind": "supplier_invoice", "partner": p.s1.pk, "date": TODAY},
            lines=[{"product": p.widget.pk, "quantity": "10", "uom": p.box.pk, "unit_price": "60"}])
    line = invoice.lines.get()
    assert accountant_api.get(f"{BILLS}{invoice.pk}/match/").json()["state"] is None

    bad = accountant_api.post(f"{BILLS}{invoice.pk}/link/", {"links": [{"invoice_line": line.pk,
                                                                         "order_line": 999999}]}, format="json")
    assert bad.status_code == 400 and "links.0.order_line" in bad.json()["error"]["fields"]
    response = accountant_api.post(f"{BILLS}{invoice.pk}/link/", {"links": [
        {"invoice_line": line.pk, "order_line": line_of(order, p.widget).pk}]}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "matched"


def test_payment_proposal_and_pay(accountant_api, p):
    order = received_widgets(p)
    invoice = post(p, bill(p, order))

    listed = accountant_api.get(PROPOSAL, {"due_by": "2026-04-30"}).json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert (row["partner"], row["currency"], row["total"], [item["id"] for item in row["invoices"]]) == (
        p.s1.pk, "CNY", "678.00", [invoice.pk])
    assert accountant_api.get(PROPOSAL, {"due_by": "2026-03-31"}).json()["count"] == 0

    paid = accountant_api.post(f"{PROPOSAL}pay/", {"invoices": [invoice.pk], "journal": p.bank_journal.pk,
                                                   "date": "2026-04-01"}, format="json")

    assert paid.status_code == 201, paid.json()
    assert [(item["amount"], item["state"]) for item in paid.json()["payments"]] == [("678.00", "posted")]
    assert p.balance("1002") == dec("-678.00") and p.balance("220201") == 0
    assert Invoice.objects.get(pk=invoice.pk).state == "paid"
    order.refresh_from_db()
    assert order.state == "closed"
    again = accountant_api.post(f"{PROPOSAL}pay/", {"invoices": [invoice.pk], "journal": p.bank_journal.pk},
                                format="json")
    assert again.status_code == 400 and "invoices" in again.json()["error"]["fields"]

"""`accounting/payments/`: receipts allocated to invoices, posting (partially paid, paid), later allocation,
cancelling, and the 400/403/404/409 answers."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Invoice, JournalEntry, Payment, PaymentAllocation
from tessera.accounting.tests.factories import JournalFactory
from tessera.core.tests.factories import currency
from tessera.partners.tests.factories import PartnerFactory

from .conftest import INVOICES, PAYMENTS, item

pytestmark = pytest.mark.django_db


def _created(api, body) -> dict:
    response = api.post(PAYMENTS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _posted(api, body) -> dict:
    response = api.post(item(PAYMENTS, _created(api, body)["id"], "post"), format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _invoice(api, pk) -> dict:
    return api.get(item(INVOICES, pk)).json()


# --- Drafts ------------------------------------------------------------------------------------


def test_creating_a_payment_gives_a_draft_with_its_allocations(api, posted_invoice, payment_body, books):
    invoice = posted_invoice()

    response = api.post(PAYMENTS, payment_body(invoice=invoice["id"], amount="50.00"), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["number"], body["amount"], body["currency_code"]) == ("draft", None, "50.00", "CNY")
    assert [(row["invoice"], row["invoice_number"], row["amount"]) for row in body["allocations"]] == [
        (invoice["id"], "INV-2026-00001", "50.00")]
    assert _invoice(api, invoice["id"])["amount_paid"] == "0.00"


def test_a_float_amount_is_refused(api, payment_body):
    response = api.post(PAYMENTS, payment_body(amount=50.0), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "amount": ['Send this value as a decimal string such as "12.50", not as a JSON number.']}
    assert not Payment.objects.exists()


@pytest.mark.parametrize("field", ["number", "state", "exchange_rate", "entry", "posted_at"])
def test_server_set_fields_in_the_body_are_refused(api, payment_body, field):
    response = api.post(PAYMENTS, payment_body(**{field: "1"}), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: ["This field is set by Tessera and cannot be written."]}
    assert not Payment.objects.exists()


def test_another_companys_invoice_cannot_be_allocated(api, payment_body, other_company):
    partner = PartnerFactory(company=other_company, code="C001")
    invoice = Invoice.objects.create(company=other_company, kind="customer_invoice", partner=partner,
                                     journal=JournalFactory(company=other_company), date="2026-03-01",
                                     currency=currency("CNY"))

    response = api.post(PAYMENTS, payment_body(invoice=invoice.pk), format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"allocations.0.invoice"}
    assert not Payment.objects.exists()


def test_a_draft_payment_is_changed_with_its_allocations(api, posted_invoice, payment_body):
    invoice = posted_invoice()
    payment = _created(api, payment_body())

    response = api.patch(item(PAYMENTS, payment["id"]), {
        "amount": "60.00", "allocations": [{"invoice": invoice["id"], "amount": "60.00"}], "version": 1,
    }, format="json")

    assert response.status_code == 200
    assert (response.json()["amount"], response.json()["version"]) == ("60.00", 2)
    assert list(PaymentAllocation.objects.values_list("invoice", "amount")) == [(invoice["id"], Decimal("60.00"))]


def test_a_draft_payment_is_deleted(api, payment_body):
    payment = _created(api, payment_body())

    response = api.delete(item(PAYMENTS, payment["id"]))

    assert response.status_code == 204
    assert not Payment.objects.exists()


# --- Posting -----------------------------------------------------------------------------------


def test_paying_part_then_the_rest_makes_the_invoice_partially_paid_then_paid(api, posted_invoice, payment_body):
    invoice = posted_invoice()

    first = _posted(api, payment_body(invoice=invoice["id"], amount="100.00"))
    halfway = _invoice(api, invoice["id"])
    _posted(api, payment_body(invoice=invoice["id"], amount="126.00"))
    settled = _invoice(api, invoice["id"])

    assert (first["state"], first["number"] is not None) == ("posted", True)
    assert (halfway["state"], halfway["amount_paid"], halfway["residual"]) == ("partially_paid", "100.00", "126.00")
    assert (settled["state"], settled["amount_paid"], settled["residual"]) == ("paid", "226.00", "0.00")


def test_a_posted_payment_posts_its_entry(api, posted_invoice, payment_body):
    invoice = posted_invoice()

    payment = _posted(api, payment_body(invoice=invoice["id"], amount="226.00"))

    entry = JournalEntry.objects.get(pk=payment["entry"])
    assert (entry.state, entry.total_debit, entry.total_credit) == ("posted", Decimal("226.00"), Decimal("226.00"))


def test_allocating_more_than_an_invoice_owes_is_refused_on_the_allocation(api, posted_invoice, payment_body):
    invoice = posted_invoice()

    response = api.post(PAYMENTS, payment_body(invoice=invoice["id"], amount="300.00"), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert set(response.json()["error"]["fields"]) == {"allocations.0.amount"}
    assert not Payment.objects.exists()


def test_posting_an_allocation_the_invoice_no_longer_owes_is_refused(api, posted_invoice, payment_body):
    invoice = posted_invoice()
    first = _created(api, payment_body(invoice=invoice["id"], amount="100.00"))
    second = _created(api, payment_body(invoice=invoice["id"], amount="226.00"))
    api.post(item(PAYMENTS, first["id"], "post"), format="json")

    response = api.post(item(PAYMENTS, second["id"], "post"), format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"allocations.0.amount"}
    assert Payment.objects.get(pk=second["id"]).state == "draft"
    assert _invoice(api, invoice["id"])["amount_paid"] == "100.00"
    assert JournalEntry.objects.count() == 2  # the invoice's and the first payment's


def test_posting_twice_with_one_idempotency_key_posts_once(api, posted_invoice, payment_body):
    invoice = posted_invoice()
    payment = _created(api, payment_body(invoice=invoice["id"]))
    url = item(PAYMENTS, payment["id"], "post")

    first = api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="post-pay-1")
    second = api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="post-pay-1")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert _invoice(api, invoice["id"])["amount_paid"] == "100.00"


def test_a_posted_payment_is_not_changed(api, payment_body):
    payment = _posted(api, payment_body())

    response = api.patch(item(PAYMENTS, payment["id"]), {"reference": "Changed"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert Payment.objects.get(pk=payment["id"]).reference == ""


def test_what_a_payment_does_not_allocate_is_shown_as_unallocated(api, posted_invoice, payment_body):
    invoice = posted_invoice()
    body = payment_body(amount="300.00", allocations=[{"invoice": invoice["id"], "amount": "226.00"}])

    payment = _posted(api, body)

    assert (payment["amount"], payment["unallocated"]) == ("300.00", "74.00")
    assert _invoice(api, invoice["id"])["state"] == "paid"


def test_a_supplier_bill_is_paid_by_a_disbursement(api, books):
    bill = api.post(INVOICES, {
        "kind": "supplier_invoice", "partner": books.supplier.pk, "date": "2026-03-05", "reference": "DF-0091",
        "lines": [{"description": "Copy paper", "account": books.expense.pk, "quantity": "10", "unit_price": "30.00",
                   "taxes": [books.input_vat.pk]}],
    }, format="json").json()
    posted = api.post(item(INVOICES, bill["id"], "post"), format="json").json()

    payment = _posted(api, {"kind": "outbound", "partner": books.supplier.pk, "journal": books.bank_journal.pk,
                            "date": "2026-03-20", "amount": "339.00",
                            "allocations": [{"invoice": bill["id"], "amount": "339.00"}]})

    assert (posted["number"], posted["journal"], posted["total"]) == ("BILL-2026-00001", books.purchase_journal.pk,
                                                                      "339.00")
    assert (payment["state"], payment["unallocated"]) == ("posted", "0.00")
    assert _invoice(api, bill["id"])["state"] == "paid"


def test_a_prepayment_is_allocated_later(api, posted_invoice, payment_body):
    prepayment = _posted(api, payment_body(amount="226.00"))
    invoice = posted_invoice()

    response = api.post(item(PAYMENTS, prepayment["id"], "allocate"),
                        {"allocations": [{"invoice": invoice["id"], "amount": "226.00"}]}, format="json")

    assert response.status_code == 200
    assert [row["invoice"] for row in response.json()["allocations"]] == [invoice["id"]]
    assert _invoice(api, invoice["id"])["state"] == "paid"


def test_allocating_nothing_is_refused(api, payment_body):
    prepayment = _posted(api, payment_body())

    response = api.post(item(PAYMENTS, prepayment["id"], "allocate"), {"allocations": []}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"allocations"}


def test_cancelling_a_posted_payment_opens_the_invoice_again(api, posted_invoice, payment_body):
    invoice = posted_invoice()
    payment = _posted(api, payment_body(invoice=invoice["id"]))

    response = api.post(item(PAYMENTS, payment["id"], "cancel"), format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    reopened = _invoice(api, invoice["id"])
    assert (reopened["state"], reopened["amount_paid"]) == ("posted", "0.00")


def test_a_paid_invoice_is_not_cancelled(api, posted_invoice, payment_body):
    invoice = posted_invoice()
    _posted(api, payment_body(invoice=invoice["id"]))

    response = api.post(item(INVOICES, invoice["id"], "cancel"), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert _invoice(api, invoice["id"])["state"] == "partially_paid"


# --- Access and lists --------------------------------------------------------------------------


def test_an_accountant_may_not_cancel_payments(api, payment_body, make_user, api_client_for):
    payment = _posted(api, payment_body())
    accountant = api_client_for(make_user("accountant", username="bookkeeper"))

    response = accountant.post(item(PAYMENTS, payment["id"], "cancel"), format="json")

    assert response.status_code == 403
    assert Payment.objects.get(pk=payment["id"]).state == "posted"


def test_a_salesperson_may_not_record_payments(api, payment_body, make_user, api_client_for):
    seller = api_client_for(make_user("salesperson", username="seller1"))

    response = seller.post(PAYMENTS, payment_body(), format="json")

    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_the_list_filters_by_state_and_date(api, payment_body):
    posted = _posted(api, payment_body())
    _created(api, payment_body(date="2026-03-25"))

    response = api.get(PAYMENTS, {"state": "posted", "date_from": "2026-03-01", "date_to": "2026-03-21"})

    assert [row["id"] for row in response.json()["results"]] == [posted["id"]]


def test_the_list_reads_allocations_without_a_query_per_payment(api, posted_invoice, payment_body,
                                                               django_assert_max_num_queries):
    invoice = posted_invoice()
    for _index in range(5):
        _created(api, payment_body(invoice=invoice["id"], amount="10.00"))

    with django_assert_max_num_queries(12):
        response = api.get(PAYMENTS)

    assert response.json()["count"] == 5

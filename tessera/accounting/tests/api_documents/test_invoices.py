"""`accounting/invoices/`: drafts with nested lines, posting, cancelling, credit notes, and the 400/403/404/409
answers."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Invoice, InvoiceLine, JournalEntry
from tessera.accounting.tests.factories import AccountFactory
from tessera.partners.tests.factories import PartnerFactory

from .conftest import INVOICES, item

pytestmark = pytest.mark.django_db

READ_ONLY = "This field is set by Tessera and cannot be written."


def _created(api, body) -> dict:
    response = api.post(INVOICES, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


# --- Drafts ------------------------------------------------------------------------------------


def test_creating_an_invoice_gives_a_draft_with_totals_as_strings(api, invoice_body, books):
    body = invoice_body()
    body["lines"].append({"description": "Binding", "account": books.revenue.pk, "quantity": "1",
                          "unit_price": "50.00", "discount": "10", "taxes": [books.output_vat.pk]})

    response = api.post(INVOICES, body, format="json")

    assert response.status_code == 201
    invoice = response.json()
    assert (invoice["state"], invoice["number"], invoice["entry"]) == ("draft", None, None)
    assert (invoice["total_untaxed"], invoice["total_tax"], invoice["total"]) == ("245.00", "31.85", "276.85")
    assert (invoice["amount_paid"], invoice["residual"]) == ("0.00", "276.85")
    assert [(line["subtotal"], line["total_tax"], line["total"]) for line in invoice["lines"]] == [
        ("200.00", "26.00", "226.00"), ("45.00", "5.85", "50.85")]
    assert invoice["lines"][0]["taxes"] == [books.output_vat.pk]
    assert Invoice.objects.get(pk=invoice["id"]).company == books.company


def test_a_customer_invoice_goes_to_the_sales_journal_by_default(api, invoice_body, books):
    invoice = _created(api, invoice_body())

    assert invoice["journal"] == books.sales_journal.pk


def test_a_float_unit_price_is_refused(api, invoice_body):
    body = invoice_body()
    body["lines"][0]["unit_price"] = 100.5

    response = api.post(INVOICES, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "lines.0.unit_price": ['Send this value as a decimal string such as "12.50", not as a JSON number.']}
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("company", 1), ("number", "INV-2026-00001"), ("state", "posted"), ("total_untaxed", "1.00"),
    ("total_tax", "1.00"), ("total", "1.00"), ("amount_paid", "1.00"), ("residual", "1.00"),
    ("exchange_rate", "7.1"), ("entry", 1), ("posted_at", "2026-03-15T10:00:00+08:00"),
])
def test_server_set_fields_in_the_body_are_refused(api, invoice_body, field, value):
    response = api.post(INVOICES, invoice_body(**{field: value}), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: [READ_ONLY]}
    assert not Invoice.objects.exists()


def test_a_line_subtotal_in_the_body_is_refused(api, invoice_body):
    body = invoice_body()
    body["lines"][0]["subtotal"] = "200.00"

    response = api.post(INVOICES, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"lines.0.subtotal": [READ_ONLY]}
    assert not Invoice.objects.exists()


def test_a_version_in_a_create_is_refused(api, invoice_body):
    response = api.post(INVOICES, invoice_body(version=1), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"version": ["Send the version only when changing a draft."]}
    assert not Invoice.objects.exists()


def test_another_companys_partner_is_unknown(api, invoice_body, other_company):
    foreign = PartnerFactory(company=other_company, code="C001", is_customer=True)

    response = api.post(INVOICES, invoice_body(partner=foreign.pk), format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"partner"}
    assert not Invoice.objects.exists()


def test_another_companys_account_on_a_line_is_unknown(api, invoice_body, other_company):
    foreign = AccountFactory(company=other_company, code="6001", type="income")
    body = invoice_body()
    body["lines"][0]["account"] = foreign.pk

    response = api.post(INVOICES, body, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"lines.0.account"}
    assert not Invoice.objects.exists()


def test_patch_with_lines_replaces_the_lines_and_totals(api, invoice_body, books):
    invoice = _created(api, invoice_body())
    lines = [{"description": "Toner", "account": books.revenue.pk, "quantity": "1", "unit_price": "80.00"}]

    response = api.patch(item(INVOICES, invoice["id"]), {"lines": lines, "reference": "PO-7782", "version": 1},
                         format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["reference"], body["total"]) == (2, "PO-7782", "80.00")
    assert list(InvoiceLine.objects.filter(invoice_id=invoice["id"]).values_list("description", flat=True)) == [
        "Toner"]


def test_patch_with_a_stale_version_is_refused(api, invoice_body):
    invoice = _created(api, invoice_body())
    api.patch(item(INVOICES, invoice["id"]), {"reference": "First"}, format="json")

    response = api.patch(item(INVOICES, invoice["id"]), {"reference": "Second", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert Invoice.objects.get(pk=invoice["id"]).reference == "First"


def test_a_draft_is_deleted(api, invoice_body):
    invoice = _created(api, invoice_body())

    response = api.delete(item(INVOICES, invoice["id"]))

    assert response.status_code == 204
    assert not Invoice.objects.exists()
    assert not InvoiceLine.objects.exists()


# --- Posting -----------------------------------------------------------------------------------


def test_posting_numbers_the_invoice_and_posts_its_entry(api, invoice_body):
    invoice = _created(api, invoice_body())

    response = api.post(item(INVOICES, invoice["id"], "post"), format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["number"], body["due_on"]) == ("posted", "INV-2026-00001", "2026-04-14")
    assert body["posted_at"] is not None
    entry = JournalEntry.objects.get(pk=body["entry"])
    assert entry.state == "posted"


def test_a_posted_invoice_entry_balances_even_with_awkward_amounts(api, invoice_body, books):
    body = invoice_body()
    body["lines"] = [
        {"description": "Thirds", "account": books.revenue.pk, "quantity": "3", "unit_price": "33.333333",
         "discount": "7.5", "taxes": [books.output_vat.pk]},
        {"description": "Cents", "account": books.revenue.pk, "quantity": "7", "unit_price": "0.015",
         "taxes": [books.output_vat.pk]},
    ]
    invoice = _created(api, body)

    posted = api.post(item(INVOICES, invoice["id"], "post"), format="json").json()

    entry = JournalEntry.objects.get(pk=posted["entry"])
    debit = sum((line.debit for line in entry.lines.all()), Decimal("0"))
    credit = sum((line.credit for line in entry.lines.all()), Decimal("0"))
    assert debit == credit == entry.total_debit == Decimal(posted["total"])


def test_posting_a_posted_invoice_is_an_invalid_state(api, posted_invoice):
    invoice = posted_invoice()

    response = api.post(item(INVOICES, invoice["id"], "post"), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert JournalEntry.objects.count() == 1


def test_posting_twice_with_one_idempotency_key_posts_once(api, invoice_body):
    invoice = _created(api, invoice_body())
    url = item(INVOICES, invoice["id"], "post")

    first = api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="post-inv-1")
    second = api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="post-inv-1")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert JournalEntry.objects.count() == 1


def test_a_posted_invoice_is_not_changed(api, posted_invoice):
    invoice = posted_invoice()

    response = api.patch(item(INVOICES, invoice["id"]), {"reference": "Changed"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert Invoice.objects.get(pk=invoice["id"]).reference == "PO-7781"


def test_a_posted_invoice_is_not_deleted(api, posted_invoice):
    invoice = posted_invoice()

    response = api.delete(item(INVOICES, invoice["id"]))

    assert response.status_code == 409
    assert Invoice.objects.filter(pk=invoice["id"], state="posted").exists()


# --- Cancelling and credit notes ---------------------------------------------------------------


def test_a_draft_is_cancelled(api, invoice_body):
    invoice = _created(api, invoice_body())

    response = api.post(item(INVOICES, invoice["id"], "cancel"), format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    assert not JournalEntry.objects.exists()


def test_a_posted_unpaid_invoice_is_cancelled_by_a_settling_credit_note(api, posted_invoice):
    invoice = posted_invoice()

    response = api.post(item(INVOICES, invoice["id"], "cancel"), {"date": "2026-03-31"}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    credit_note = Invoice.objects.get(credit_note_of_id=invoice["id"])
    assert (credit_note.kind, credit_note.total, credit_note.date.isoformat()) == (
        "customer_credit", Decimal("226.00"), "2026-03-31")


def test_an_accountant_may_not_cancel_invoices(api, posted_invoice, make_user, api_client_for):
    invoice = posted_invoice()
    accountant = api_client_for(make_user("accountant", username="bookkeeper"))

    response = accountant.post(item(INVOICES, invoice["id"], "cancel"), format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Invoice.objects.get(pk=invoice["id"]).state == "posted"


def test_a_credit_note_is_created_as_a_draft_copy(api, posted_invoice):
    invoice = posted_invoice()

    response = api.post(item(INVOICES, invoice["id"], "credit-note"), {"date": "2026-03-28"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["state"], body["credit_note_of"], body["date"], body["total"]) == (
        "customer_credit", "draft", invoice["id"], "2026-03-28", "226.00")
    assert [(line["description"], line["quantity"]) for line in body["lines"]] == [("Paper A4", "2.0000")]


def test_a_draft_is_not_credited(api, invoice_body):
    invoice = _created(api, invoice_body())

    response = api.post(item(INVOICES, invoice["id"], "credit-note"), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert Invoice.objects.count() == 1


# --- Access ------------------------------------------------------------------------------------


def test_a_salesperson_may_not_read_invoices(books, make_user, api_client_for):
    response = api_client_for(make_user("salesperson", username="seller1")).get(INVOICES)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("action", ["", "post"])
def test_another_companys_invoice_is_not_found(api, invoice_body, other_company, action):
    foreign_invoice = _created(api, invoice_body())
    Invoice.objects.filter(pk=foreign_invoice["id"]).update(company=other_company)
    url = item(INVOICES, foreign_invoice["id"], action)

    response = api.post(url, format="json") if action else api.get(url)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Invoice.objects.get(pk=foreign_invoice["id"]).state == "draft"


# --- Lists -------------------------------------------------------------------------------------


def test_the_list_filters_by_state_and_due_date(api, posted_invoice, invoice_body):
    posted = posted_invoice()
    _created(api, invoice_body())

    response = api.get(INVOICES, {"state": "posted", "due_on_from": "2026-04-01", "due_on_to": "2026-04-30"})

    assert [row["id"] for row in response.json()["results"]] == [posted["id"]]


def test_the_list_searches_partner_names(api, invoice_body, books):
    other = PartnerFactory(company=books.company, code="C002", name="Lanting Stationery", is_customer=True)
    wanted = _created(api, invoice_body(partner=other.pk))
    _created(api, invoice_body())

    response = api.get(INVOICES, {"search": "lanting"})

    assert [row["id"] for row in response.json()["results"]] == [wanted["id"]]


def test_open_invoices_list_what_the_partner_still_owes(api, posted_invoice, invoice_body, books):
    owed = posted_invoice()
    _created(api, invoice_body())  # a draft owes nothing

    response = api.get(f"{INVOICES}open/", {"partner": books.customer.pk, "side": "customer"})

    assert response.status_code == 200
    assert [(row["id"], row["residual"]) for row in response.json()["results"]] == [(owed["id"], "226.00")]


def test_open_invoices_of_the_supplier_side_leave_customer_invoices_out(api, posted_invoice, books):
    posted_invoice()

    response = api.get(f"{INVOICES}open/", {"partner": books.customer.pk, "side": "supplier"})

    assert response.json()["results"] == []


def test_open_invoices_need_a_partner_of_the_company(api, books, other_company):
    foreign = PartnerFactory(company=other_company, code="C009")

    response = api.get(f"{INVOICES}open/", {"partner": foreign.pk, "side": "customer"})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"partner"}


def test_the_list_reads_lines_and_taxes_without_a_query_per_invoice(api, invoice_body, django_assert_max_num_queries):
    for _index in range(5):
        _created(api, invoice_body())

    with django_assert_max_num_queries(12):
        response = api.get(INVOICES)

    assert response.json()["count"] == 5

"""Invoice drafts, cancel, closed periods and permissions."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Invoice, InvoiceLine, JournalEntry, Period
from tessera.accounting.services.invoices import (
    credit_note_create,
    invoice_cancel,
    invoice_create,
    invoice_delete,
    invoice_post,
    invoice_update,
)
from tessera.accounting.services.periods import period_close
from tessera.accounting.tests.services.helpers import ledger_state
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed

from .conftest import D, legs, partner_balance

pytestmark = pytest.mark.django_db


def test_draft_stores_totals_and_takes_the_partner_defaults(books):
    draft = books.invoice(("100.00", 2), post=False)

    assert (draft.state, draft.number, draft.total, draft.currency, draft.payment_term.code, draft.journal) == (
        "draft", None, Decimal("226.00"), books.company.base_currency, "NET30", books.sales)
    assert draft.lines.get().subtotal == Decimal("200.00")


def test_line_errors_are_keyed_by_line_and_nothing_is_written(books):
    with pytest.raises(ValidationFailed) as raised:
        invoice_create(actor=books.actor, company=books.company,
                       data={"kind": "customer_invoice", "partner": books.customer, "date": D(2026, 3, 1)},
                       lines=[{"description": "ok", "account": books.revenue, "unit_price": "1"},
                              {"description": "bad", "account": books.revenue, "unit_price": 1.5}])

    assert raised.value.fields == {"lines.1.unit_price": ["Send amounts as decimal strings, not floats."]}
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_a_purchase_tax_on_a_customer_invoice_is_refused(books):
    with pytest.raises(ValidationFailed) as raised:
        books.invoice(("10.00", 1, [books.input13]), post=False)

    assert raised.value.fields == {"lines.0.taxes": ["Tax 进项税 13% is not a sales tax."]}


def test_update_replaces_lines_and_recomputes_totals(books):
    draft = books.invoice(post=False)

    updated = invoice_update(actor=books.actor, invoice=draft, data={"reference": "PO-7"}, version=1, lines=[
        {"description": "New", "account": books.revenue, "unit_price": "10.00", "quantity": "3",
         "taxes": [books.vat9.pk]}])

    assert (updated.reference, updated.total, updated.version, updated.lines.count()) == (
        "PO-7", Decimal("32.70"), 2, 1)


def test_update_with_a_stale_version_is_refused(books):
    draft = books.invoice(post=False)

    with pytest.raises(InvalidState):
        invoice_update(actor=books.actor, invoice=draft, data={"reference": "x"}, version=7)


def test_a_posted_invoice_is_neither_updated_nor_deleted(books):
    invoice = books.invoice()

    with pytest.raises(InvalidState):
        invoice_update(actor=books.actor, invoice=invoice, data={"reference": "x"})
    with pytest.raises(InvalidState):
        invoice_delete(actor=books.actor, invoice=invoice)
    assert Invoice.objects.get(pk=invoice.pk).reference == ""


def test_draft_is_deleted(books):
    draft = books.invoice(post=False)

    invoice_delete(actor=books.actor, invoice=draft)

    assert not Invoice.objects.exists()


def test_posting_twice_is_refused(books):
    invoice = books.invoice()

    with pytest.raises(InvalidState):
        invoice_post(actor=books.actor, invoice=invoice)


def test_posting_into_a_closed_period_answers_period_closed(books):
    draft = books.invoice(post=False)
    period_close(actor=books.actor, period=Period.objects.get(company=books.company, name="2026-03"))
    before = ledger_state(books.company)

    with pytest.raises(Exception) as raised:
        invoice_post(actor=books.actor, invoice=draft)

    assert (raised.value.status, raised.value.code) == (409, "period_closed")
    assert ledger_state(books.company) == before
    assert Invoice.objects.get(pk=draft.pk).number is None


def test_salesperson_may_not_post_invoices(books, make_user):
    draft = books.invoice(post=False)
    salesperson = make_user("salesperson", username="sales1")

    with pytest.raises(PermissionDenied) as raised:
        invoice_post(actor=salesperson, invoice=draft)

    assert raised.value.status == 403
    assert "accounting.post_invoice" in raised.value.message
    assert Invoice.objects.get(pk=draft.pk).state == "draft"


def test_accountant_may_not_cancel_invoices(books, make_user):
    invoice = books.invoice()

    with pytest.raises(PermissionDenied) as raised:
        invoice_cancel(actor=make_user("accountant", username="acc1"), invoice=invoice)

    assert "accounting.cancel_invoice" in raised.value.message


def test_cancel_a_draft(books):
    draft = books.invoice(post=False)

    assert invoice_cancel(actor=books.actor, invoice=draft).state == "cancelled"
    assert not JournalEntry.objects.exists()


def test_cancel_a_posted_unpaid_invoice_posts_a_settling_credit_note(books):
    invoice = books.invoice(("100.00", 2))

    cancelled = invoice_cancel(actor=books.actor, invoice=invoice, date=D(2026, 3, 20))

    credit = Invoice.objects.get(credit_note_of=invoice)
    assert (cancelled.state, cancelled.amount_paid) == ("cancelled", Decimal("226.00"))
    assert (credit.kind, credit.number, credit.state, credit.amount_paid, credit.date) == (
        "customer_credit", "RINV-2026-00001", "paid", Decimal("226.00"), D(2026, 3, 20))
    assert legs(credit.entry) == [("1122", 0, Decimal("226.00")), ("6001", Decimal("200.00"), 0),
                                  ("22210102", Decimal("26.00"), 0)]
    assert partner_balance(books.receivable, books.customer) == 0


def test_cancel_a_paid_invoice_is_refused(books):
    invoice = books.invoice()
    books.payment("113.00", (invoice, "113.00"))
    before = ledger_state(books.company)

    with pytest.raises(InvalidState) as raised:
        invoice_cancel(actor=books.actor, invoice=invoice)

    assert (raised.value.status, raised.value.code) == (409, "invalid_state")
    assert ledger_state(books.company) == before
    assert not Invoice.objects.filter(credit_note_of=invoice).exists()


def test_cancel_a_partially_paid_invoice_is_refused(books):
    invoice = books.invoice()
    books.payment("10.00", (invoice, "10.00"))

    with pytest.raises(InvalidState):
        invoice_cancel(actor=books.actor, invoice=invoice)


def test_after_its_payment_is_cancelled_an_invoice_can_be_cancelled(books):
    from tessera.accounting.services.payments import payment_cancel

    invoice = books.invoice()
    payment_cancel(actor=books.actor, payment=books.payment("113.00", (invoice, "113.00")))

    assert invoice_cancel(actor=books.actor, invoice=invoice).state == "cancelled"


def test_credit_note_of_a_draft_is_refused(books):
    with pytest.raises(InvalidState):
        credit_note_create(actor=books.actor, invoice=books.invoice(post=False))

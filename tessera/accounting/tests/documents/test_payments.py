"""Payments: allocation to invoices, partial and over payment, prepayments, write-off, realised FX, cancel."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Invoice, JournalEntry, Payment, PaymentAllocation
from tessera.accounting.selectors import open_invoices
from tessera.accounting.services.payments import payment_allocate, payment_cancel, payment_create, payment_post
from tessera.accounting.tests.services.helpers import ledger_state
from tessera.core.errors import ValidationFailed
from tessera.core.services.currency import exchange_rate_set
from tessera.core.tests.factories import currency

from .conftest import D, legs, partner_balance

pytestmark = pytest.mark.django_db


def state_of(invoice) -> tuple[str, Decimal]:
    invoice.refresh_from_db()
    return invoice.state, invoice.amount_paid


def test_full_payment_marks_the_invoice_paid(books):
    invoice = books.invoice()

    payment = books.payment("113.00", (invoice, "113.00"))

    assert state_of(invoice) == ("paid", Decimal("113.00"))
    assert payment.number == "RCPT-2026-00001"
    assert legs(payment.entry) == [("1002", Decimal("113.00"), 0), ("1122", 0, Decimal("113.00"))]
    assert partner_balance(books.receivable, books.customer) == 0


def test_partial_payment_marks_the_invoice_partially_paid(books):
    invoice = books.invoice()

    books.payment("50.00", (invoice, "50.00"))

    assert state_of(invoice) == ("partially_paid", Decimal("50.00"))
    assert list(open_invoices(books.company, books.customer, "customer")) == [invoice]


def test_one_payment_settles_two_invoices(books):
    first, second = books.invoice(), books.invoice(("200.00", 1))

    payment = books.payment("339.00", (first, "113.00"), (second, "226.00"))

    assert state_of(first) == ("paid", Decimal("113.00"))
    assert state_of(second) == ("paid", Decimal("226.00"))
    assert legs(payment.entry) == [("1002", Decimal("339.00"), 0), ("1122", 0, Decimal("113.00")),
                                   ("1122", 0, Decimal("226.00"))]


def test_over_allocating_an_invoice_is_refused_and_nothing_is_written(books):
    invoice = books.invoice()
    draft = books.payment("200.00", (invoice, "100.00"), post=False)
    PaymentAllocation.objects.filter(payment=draft).update(amount=Decimal("113.01"))
    before = ledger_state(books.company)

    with pytest.raises(ValidationFailed) as raised:
        payment_post(actor=books.actor, payment=draft)

    assert raised.value.status == 400
    assert raised.value.fields["allocations.0.amount"] == ["Invoice INV-2026-00001 has only 113.00 open."]
    assert ledger_state(books.company) == before
    assert state_of(invoice) == ("posted", Decimal("0.00"))
    assert Payment.objects.get(pk=draft.pk).state == "draft"


def test_over_allocation_is_refused_when_the_draft_is_created(books):
    invoice = books.invoice()

    with pytest.raises(ValidationFailed) as raised:
        books.payment("200.00", (invoice, "113.01"), post=False)

    assert "allocations.0.amount" in raised.value.fields
    assert not Payment.objects.exists()


def test_allocations_above_the_payment_amount_are_refused(books):
    invoice = books.invoice()

    with pytest.raises(ValidationFailed) as raised:
        books.payment("100.00", (invoice, "113.00"), post=False)

    assert raised.value.fields["allocations"] == [
        "The allocations add up to 113.00, more than the 100.00 the payment has to allocate."]


def test_floats_are_refused(books):
    with pytest.raises(ValidationFailed) as raised:
        payment_create(actor=books.actor, company=books.company, allocations=[], data={
            "kind": "inbound", "partner": books.customer, "journal": books.bank, "date": D(2026, 4, 1),
            "amount": 100.0})

    assert raised.value.fields["amount"] == ["Send amounts as decimal strings, not floats."]


def test_overpayment_leaves_a_prepayment_on_the_partner_account(books):
    invoice = books.invoice()

    payment = books.payment("200.00", (invoice, "113.00"))

    assert state_of(invoice) == ("paid", Decimal("113.00"))
    assert legs(payment.entry) == [("1002", Decimal("200.00"), 0), ("1122", 0, Decimal("113.00")),
                                   ("1122", 0, Decimal("87.00"))]
    assert partner_balance(books.receivable, books.customer) == Decimal("-87.00")


def test_prepayment_is_allocated_later_to_a_new_invoice(books):
    payment = books.payment("100.00")
    invoice = books.invoice(("50.00", 1))
    entries = JournalEntry.objects.count()

    payment_allocate(actor=books.actor, payment=payment, allocations=[{"invoice": invoice.pk, "amount": "56.50"}])

    assert state_of(invoice) == ("paid", Decimal("56.50"))
    assert JournalEntry.objects.count() == entries  # same account, same partner: nothing to move
    assert partner_balance(books.receivable, books.customer) == Decimal("-43.50")


def test_allocating_more_than_the_prepayment_is_refused(books):
    payment = books.payment("50.00")
    invoice = books.invoice()

    with pytest.raises(ValidationFailed) as raised:
        payment_allocate(actor=books.actor, payment=payment, allocations=[{"invoice": invoice, "amount": "60.00"}])

    assert "allocations" in raised.value.fields
    assert state_of(invoice) == ("posted", Decimal("0.00"))


def test_write_off_of_a_small_difference(books):
    invoice = books.invoice()

    payment = books.payment("112.95", (invoice, "113.00"), writeoff_account=books.rounding, writeoff_amount="0.05")

    assert state_of(invoice) == ("paid", Decimal("113.00"))
    assert legs(payment.entry) == [("1002", Decimal("112.95"), 0), ("660304", Decimal("0.05"), 0),
                                   ("1122", 0, Decimal("113.00"))]


def test_supplier_payment_mirrors_a_receipt(books):
    bill = books.invoice(kind="supplier_invoice")

    payment = books.payment("113.00", (bill, "113.00"), kind="outbound")

    assert payment.number == "PAY-2026-00001"
    assert legs(payment.entry) == [("1002", 0, Decimal("113.00")), ("220201", Decimal("113.00"), 0)]
    assert state_of(bill) == ("paid", Decimal("113.00"))


def test_realised_exchange_gain_when_a_usd_invoice_is_paid_at_a_higher_rate(books):
    usd, cny = currency("USD"), books.company.base_currency
    exchange_rate_set(currency=usd, quote=cny, on=D(2026, 3, 1), rate=Decimal("7.1234"))
    exchange_rate_set(currency=usd, quote=cny, on=D(2026, 4, 1), rate=Decimal("7.2000"))
    invoice = books.invoice(("100.00", 1, []), currency=usd)

    payment = books.payment("100.00", (invoice, "100.00"), currency=usd)

    assert [(line.account.code, line.debit, line.credit, line.amount_currency)
            for line in payment.entry.lines.order_by("sequence")] == [
        ("1002", Decimal("720.00"), 0, Decimal("100.00")),
        ("1122", 0, Decimal("712.34"), Decimal("-100.00")),
        ("66030201", 0, Decimal("7.66"), None),
    ]
    assert partner_balance(books.receivable, books.customer) == 0
    assert state_of(invoice) == ("paid", Decimal("100.00"))


def test_realised_exchange_loss_when_paid_at_a_lower_rate(books):
    usd, cny = currency("USD"), books.company.base_currency
    exchange_rate_set(currency=usd, quote=cny, on=D(2026, 3, 1), rate=Decimal("7.1234"))
    exchange_rate_set(currency=usd, quote=cny, on=D(2026, 4, 1), rate=Decimal("7.0000"))
    invoice = books.invoice(("100.00", 1, []), currency=usd)

    payment = books.payment("700.00", (invoice, "100.00"))  # paid in CNY

    assert legs(payment.entry) == [("1002", Decimal("700.00"), 0), ("1122", 0, Decimal("712.34")),
                                   ("66030202", Decimal("12.34"), 0)]
    assert payment.allocations.get().payment_amount == Decimal("700.00")


def test_payment_cancel_reverses_the_entry_and_restores_the_invoices(books):
    first, second = books.invoice(), books.invoice()
    payment = books.payment("163.00", (first, "113.00"), (second, "50.00"))

    payment_cancel(actor=books.actor, payment=payment, date=D(2026, 4, 20))

    assert state_of(first) == ("posted", Decimal("0.00"))
    assert state_of(second) == ("posted", Decimal("0.00"))
    assert Payment.objects.get(pk=payment.pk).state == "cancelled"
    reversal = JournalEntry.objects.get(reversal_of=payment.entry)
    assert legs(reversal) == [("1002", 0, Decimal("163.00")), ("1122", Decimal("113.00"), 0),
                              ("1122", Decimal("50.00"), 0)]
    assert partner_balance(books.receivable, books.customer) == Decimal("226.00")


def test_cancelling_a_payment_twice_is_refused(books):
    payment = books.payment("10.00")
    payment_cancel(actor=books.actor, payment=payment)

    with pytest.raises(Exception) as raised:
        payment_cancel(actor=books.actor, payment=payment)

    assert raised.value.status == 409


def test_paid_invoice_is_no_longer_open(books):
    invoice = books.invoice()
    books.payment("113.00", (invoice, "113.00"))

    assert not open_invoices(books.company, books.customer, "customer").exists()
    assert Invoice.objects.get(pk=invoice.pk).residual == 0

"""Posting invoices and credit notes: the entry, number, due date, rounding, foreign currency."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Invoice
from tessera.accounting.services.invoices import credit_note_create, invoice_post
from tessera.core.services.currency import exchange_rate_set
from tessera.core.tests.factories import currency
from tessera.partners.tests.factories import PaymentTermFactory

from .conftest import D, legs

pytestmark = pytest.mark.django_db


def test_customer_invoice_posts_receivable_revenue_and_output_vat(books):
    invoice = books.invoice(("100.00", 2), ("50.00", 1))

    assert (invoice.state, invoice.total_untaxed, invoice.total_tax, invoice.total) == (
        "posted", Decimal("250.00"), Decimal("32.50"), Decimal("282.50"))
    assert legs(invoice.entry) == [("1122", Decimal("282.50"), 0), ("6001", 0, Decimal("200.00")),
                                   ("6001", 0, Decimal("50.00")), ("22210102", 0, Decimal("32.50"))]
    assert invoice.entry.lines.get(account=books.receivable).partner == books.customer
    assert invoice.entry.source == f"accounting.invoice:{invoice.pk}"


def test_invoice_number_comes_from_the_yearly_sequence(books):
    first, second = books.invoice(), books.invoice()

    assert (first.number, second.number) == ("INV-2026-00001", "INV-2026-00002")


def test_due_date_net_30_from_the_partner_term(books):
    assert books.invoice().due_on == D(2026, 4, 14)


def test_due_date_end_of_month_plus_30(books):
    term = PaymentTermFactory(company=books.company, code="EOM30", name="EOM + 30", basis="end_of_month", days=30)

    assert books.invoice(payment_term=term).due_on == D(2026, 4, 30)


def test_given_due_date_is_kept(books):
    assert books.invoice(due_on=D(2026, 5, 1)).due_on == D(2026, 5, 1)


def test_supplier_invoice_posts_expense_input_vat_and_payable(books):
    bill = books.invoice(("200.00", 1), kind="supplier_invoice", reference="FP-8812")

    assert bill.number == "BILL-2026-00001"
    assert legs(bill.entry) == [("220201", 0, Decimal("226.00")), ("6602", Decimal("200.00"), 0),
                                ("22210101", Decimal("26.00"), 0)]


def test_customer_credit_note_is_the_mirror_of_an_invoice(books):
    credit = books.invoice(("100.00", 1), kind="customer_credit")

    assert credit.number == "RINV-2026-00001"
    assert legs(credit.entry) == [("1122", 0, Decimal("113.00")), ("6001", Decimal("100.00"), 0),
                                  ("22210102", Decimal("13.00"), 0)]


def test_supplier_credit_note_is_the_mirror_of_a_bill(books):
    credit = books.invoice(("100.00", 1), kind="supplier_credit")

    assert credit.number == "RBILL-2026-00001"
    assert legs(credit.entry) == [("220201", Decimal("113.00"), 0), ("6602", 0, Decimal("100.00")),
                                  ("22210101", 0, Decimal("13.00"))]


def test_rounding_per_line_rounds_each_line_tax(books):
    invoice = books.invoice(("10.05", 1), ("10.05", 1), ("10.05", 1))

    assert invoice.total_tax == Decimal("3.93")  # 3 x round(1.3065)
    assert legs(invoice.entry)[-1] == ("22210102", 0, Decimal("3.93"))
    assert legs(invoice.entry)[0] == ("1122", Decimal("34.08"), 0)


def test_rounding_per_document_rounds_the_tax_once(books):
    invoice = books.invoice(("10.05", 1), ("10.05", 1), ("10.05", 1), tax_rounding="document")

    assert invoice.total_tax == Decimal("3.92")  # round(3 x 1.3065)
    assert legs(invoice.entry)[-1] == ("22210102", 0, Decimal("3.92"))
    assert legs(invoice.entry)[0] == ("1122", Decimal("34.07"), 0)


def test_foreign_currency_invoice_posts_base_amounts_with_amount_in_currency(books):
    usd = currency("USD")
    exchange_rate_set(currency=usd, quote=books.company.base_currency, on=D(2026, 3, 1), rate=Decimal("7.1234"))

    invoice = books.invoice(("100.00", 1), ("45.67", 1), currency=usd)

    assert invoice.exchange_rate == Decimal("7.1234")
    assert invoice.total == Decimal("164.61")  # 145.67 + 18.94 VAT
    lines = list(invoice.entry.lines.order_by("sequence"))
    assert [(line.account.code, line.debit, line.credit, line.amount_currency) for line in lines] == [
        ("1122", Decimal("1172.58"), 0, Decimal("164.61")),
        ("6001", 0, Decimal("712.34"), Decimal("-100.00")),
        ("6001", 0, Decimal("325.33"), Decimal("-45.67")),
        ("22210102", 0, Decimal("134.92"), Decimal("-18.94")),
        ("660304", Decimal("0.01"), 0, None),  # each line converted alone: a cent of rounding
    ]
    assert all(line.currency == usd for line in lines[:4])


def test_foreign_currency_invoice_without_a_rate_is_refused(books):
    draft = books.invoice(currency=currency("EUR"), post=False)

    with pytest.raises(Exception) as raised:
        invoice_post(actor=books.actor, invoice=draft)

    assert raised.value.status == 400 and "currency" in raised.value.fields
    assert Invoice.objects.get(pk=draft.pk).state == "draft"


def test_posted_credit_note_of_an_invoice_settles_it(books):
    invoice = books.invoice(("100.00", 2))
    credit = credit_note_create(actor=books.actor, invoice=invoice)
    credit.lines.update(quantity=1)  # credit half of it

    from tessera.accounting.services.invoices import invoice_update

    credit = invoice_update(actor=books.actor, invoice=credit, data={})
    credit = invoice_post(actor=books.actor, invoice=credit)
    invoice.refresh_from_db()

    assert (credit.kind, credit.credit_note_of, credit.total, credit.state) == (
        "customer_credit", invoice, Decimal("113.00"), "paid")
    assert (invoice.amount_paid, invoice.state, invoice.residual) == (Decimal("113.00"), "partially_paid",
                                                                      Decimal("113.00"))

"""check-books' invoices_match_allocations finds documents that disagree with their allocations."""

from decimal import Decimal

import pytest

from tessera.accounting.checks import invoices_match_allocations
from tessera.accounting.models import Invoice

pytestmark = pytest.mark.django_db


def test_clean_books_have_no_problems(books):
    invoice = books.invoice()
    books.payment("50.00", (invoice, "50.00"))

    assert invoices_match_allocations(books.company) == []


def test_amount_paid_changed_behind_the_services_back_is_reported(books):
    invoice = books.invoice()
    books.payment("50.00", (invoice, "50.00"))
    Invoice.objects.filter(pk=invoice.pk).update(amount_paid=Decimal("60.00"))

    problems = invoices_match_allocations(books.company)

    Invoice.objects.filter(pk=invoice.pk).update(amount_paid=Decimal("50.00"))  # the fixture checks the books
    assert problems == ["Invoice INV-2026-00001: paid 60.00, its allocations and credit notes settle 50.00"]


def test_a_state_that_does_not_follow_amount_paid_is_reported(books):
    invoice = books.invoice()
    Invoice.objects.filter(pk=invoice.pk).update(state="paid")

    problems = invoices_match_allocations(books.company)

    Invoice.objects.filter(pk=invoice.pk).update(state="posted")
    assert problems == ["Invoice INV-2026-00001 is paid with 0.00 of 113.00 paid"]


def test_a_refund_pays_out_a_customer_credit_note(books):
    credit = books.invoice(kind="customer_credit")

    books.payment("113.00", (credit, "113.00"), kind="outbound", partner=books.customer)

    credit.refresh_from_db()
    assert (credit.state, credit.amount_paid) == ("paid", Decimal("113.00"))
    assert invoices_match_allocations(books.company) == []

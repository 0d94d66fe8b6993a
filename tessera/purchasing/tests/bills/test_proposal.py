"""The payment proposal: bills due by a date per supplier; paying them posts outbound payments and closes
the orders."""

import pytest

from tessera.accounting.models import Payment
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.purchasing.services.proposal import payment_proposal, payment_proposal_pay

from ..conftest import TODAY, D, dec
from .conftest import bill, post, received_widgets

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bills(p):
    """Two posted bills of S1: 678.00 due 2026-04-01 (30 days), 339.00 dated later, due 2026-04-11."""
    first = received_widgets(p)
    second = received_widgets(p, boxes="5")
    return (first, post(p, bill(p, first))), (second, post(p, bill(p, second, date=D(2026, 3, 12))))


def test_the_proposal_lists_bills_due_by_the_date_per_supplier(p, two_bills):
    (_order, first), (_second_order, second) = two_bills
    assert (first.due_on, second.due_on) == (D(2026, 4, 1), D(2026, 4, 11))

    rows = payment_proposal(company=p.company, due_by=D(2026, 4, 5))
    assert [(row.partner, row.invoices, row.total) for row in rows] == [(p.s1, [first], dec("678.00"))]

    rows = payment_proposal(company=p.company, due_by=D(2026, 4, 30), partner=p.s1, today=D(2026, 4, 5))
    assert [(row.invoices, row.total, row.overdue) for row in rows] == [([first, second], dec("1017.00"),
                                                                          dec("678.00"))]
    assert payment_proposal(company=p.company, due_by=D(2026, 4, 30), partner=p.s2) == []


def test_paying_the_proposal_posts_one_payment_per_supplier_and_closes_the_orders(p, two_bills):
    (order, first), (second_order, second) = two_bills

    payments = payment_proposal_pay(actor=p.accountant, company=p.company, invoices=[first.pk, second.pk],
                                    date=D(2026, 4, 1), journal=p.bank_journal)

    assert len(payments) == 1
    payment = payments[0]
    assert (payment.kind, payment.state, payment.amount, payment.partner) == ("outbound", "posted", dec("1017.00"),
                                                                              p.s1)
    assert p.balance("1002") == dec("-1017.00")
    assert p.balance("220201") == dec("0.00")
    assert p.balance("220202") == dec("0.00")
    for invoice in (first, second):
        invoice.refresh_from_db()
        assert invoice.state == "paid"
    for item in (order, second_order):
        item.refresh_from_db()
        assert item.state == "closed"
    assert payment_proposal(company=p.company, due_by=D(2026, 12, 31)) == []


def test_paying_refuses_what_is_not_an_open_bill_and_writes_nothing(p, two_bills):
    (_order, first), _second = two_bills
    draft = bill(p, received_widgets(p, boxes="1"))

    with pytest.raises(ValidationFailed) as raised:
        payment_proposal_pay(actor=p.accountant, company=p.company, invoices=[first.pk, draft.pk], date=TODAY,
                             journal=p.bank_journal)
    assert "invoices" in raised.value.fields
    with pytest.raises(ValidationFailed) as raised:
        payment_proposal_pay(actor=p.accountant, company=p.company, invoices=[first.pk], date=TODAY,
                             journal=p.purchase_journal)
    assert "journal" in raised.value.fields
    with pytest.raises(PermissionDenied):
        payment_proposal_pay(actor=p.purchaser, company=p.company, invoices=[first.pk], date=TODAY,
                             journal=p.bank_journal)
    assert not Payment.objects.exists()
    assert p.balance("1002") == 0


def test_a_bill_paid_from_accountings_payment_screen_closes_its_order_too(p, two_bills):
    from tessera.accounting.services.payments import payment_create, payment_post

    (order, first), (second_order, _second) = two_bills
    payment = payment_create(actor=p.accountant, company=p.company, data={
        "kind": "outbound", "partner": p.s1, "journal": p.bank_journal, "date": D(2026, 4, 1), "amount": "678.00"},
        allocations=[{"invoice": first, "amount": "678.00"}])

    payment_post(actor=p.accountant, payment=payment)

    order.refresh_from_db()
    second_order.refresh_from_db()
    assert (order.state, second_order.state) == ("closed", "billed")

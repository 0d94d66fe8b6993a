"""Invoice and payment invariants over random sequences of invoices, credit notes, payments,
allocations and cancellations (base currency):

- check-books finds nothing (ledger balanced, control accounts equal their per-partner sums, every
  invoice's state and amount_paid match its allocations and credit notes);
- the receivable and the payable account each equal the open residuals of their side's posted documents
  less the payments' unallocated remainders;
- a refused operation changes nothing.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.accounting.models import AccountBalance, Invoice, Payment
from tessera.accounting.services.invoices import (
    credit_note_create,
    invoice_cancel,
    invoice_post,
    is_customer_kind,
    owed_sign,
)
from tessera.accounting.services.payments import (
    allocation_sign,
    payment_allocate,
    payment_cancel,
    payment_remainder,
    payment_side,
)
from tessera.accounting.tests.services.helpers import ledger_state
from tessera.core.checks_registry import run_checks
from tessera.core.errors import InvalidState, ValidationFailed

ZERO = Decimal("0")
KINDS = ["customer_invoice", "customer_invoice", "supplier_invoice", "customer_credit", "supplier_credit"]
PICK = st.integers(min_value=0, max_value=60)
FRACTION = st.sampled_from([Decimal("1"), Decimal("1"), Decimal("0.5"), Decimal("0.3")])

invoice_op = st.fixed_dictionaries({
    "op": st.just("invoice"), "kind": st.sampled_from(KINDS), "post": st.sampled_from([True, True, False]),
    "rounding": st.sampled_from(["line", "document"]),
    "lines": st.lists(st.tuples(st.integers(min_value=1, max_value=200_000), st.integers(min_value=1, max_value=3),
                                st.sampled_from(["13", "9", "none"])), min_size=1, max_size=3),
})
pay_op = st.fixed_dictionaries({
    "op": st.just("pay"), "side": st.sampled_from(["customer", "customer", "supplier"]),
    "kind": st.sampled_from(["normal", "normal", "normal", "refund"]),
    "picks": st.lists(st.tuples(PICK, FRACTION), max_size=3), "extra": st.sampled_from([0, 0, 0, 1, 5000]),
    "writeoff": st.sampled_from([0, 0, 0, 3]),
})
other_op = st.fixed_dictionaries({
    "op": st.sampled_from(["allocate", "cancel_payment", "cancel_invoice", "credit"]), "pick": PICK,
    "other": PICK, "fraction": FRACTION,
})
OPERATIONS = st.lists(st.one_of(invoice_op, invoice_op, pay_op, pay_op, other_op), min_size=1, max_size=16)


def _nth(queryset, index):
    items = list(queryset.order_by("pk"))
    return items[index % len(items)] if items else None


class Runner:
    def __init__(self, books):
        self.books = books
        self.company = books.company

    def guarded(self, action, *args) -> None:
        before = (ledger_state(self.company), list(Invoice.objects.order_by("pk").values()),
                  list(Payment.objects.order_by("pk").values()))
        try:
            action(*args)
        except (ValidationFailed, InvalidState):
            after = (ledger_state(self.company), list(Invoice.objects.order_by("pk").values()),
                     list(Payment.objects.order_by("pk").values()))
            assert after == before

    def invoice(self, step):
        customer = step["kind"].startswith("customer")
        taxes = {"13": [self.books.vat13 if customer else self.books.input13],
                 "9": [self.books.vat9] if customer else [], "none": []}
        lines = [(Decimal(cents) / 100, quantity, taxes[rate]) for cents, quantity, rate in step["lines"]]
        draft = self.books.invoice(*lines, kind=step["kind"], post=False, tax_rounding=step["rounding"],
                                   date=datetime.date(2026, 3, 10))
        if step["post"]:
            invoice_post(actor=self.books.actor, invoice=draft)

    def _open(self, side):
        kinds = ["customer_invoice", "customer_credit"] if side == "customer" else ["supplier_invoice",
                                                                                     "supplier_credit"]
        return Invoice.objects.filter(company=self.company, kind__in=kinds, state__in=["posted", "partially_paid"])

    def pay(self, step):
        side = step["side"]
        inbound = (side == "customer") == (step["kind"] == "normal")
        partner = self.books.customer if side == "customer" else self.books.supplier
        payment = Payment(company=self.company, kind="inbound" if inbound else "outbound")
        allocations, chosen, net = [], set(), ZERO
        for pick, fraction in step["picks"]:
            invoice = _nth(self._open(side), pick)
            if invoice is None or invoice.pk in chosen:
                continue
            chosen.add(invoice.pk)
            amount = max(Decimal("0.01"), (invoice.residual * fraction).quantize(Decimal("0.01"), ROUND_DOWN))
            allocations.append((invoice, amount))
            net += allocation_sign(payment, invoice) * amount
        writeoff = Decimal(step["writeoff"]) / 100
        amount = max(Decimal("0.01"), net + Decimal(step["extra"]) / 100 - writeoff)
        data = {"partner": partner}
        if writeoff:
            data.update(writeoff_account=self.books.rounding, writeoff_amount=str(writeoff))
        self.books.payment(amount, *allocations, kind=payment.kind, **data)

    def allocate(self, step):
        payment = _nth(Payment.objects.filter(company=self.company, state="posted"), step["pick"])
        if payment is None:
            return
        invoice = _nth(self._open(payment_side(payment)).filter(partner=payment.partner), step["other"])
        if invoice is not None:
            amount = max(Decimal("0.01"), (invoice.residual * step["fraction"]).quantize(Decimal("0.01")))
            payment_allocate(actor=self.books.actor, payment=payment, date=datetime.date(2026, 4, 20),
                             allocations=[{"invoice": invoice.pk, "amount": str(amount)}])

    def cancel_payment(self, step):
        payment = _nth(Payment.objects.filter(company=self.company), step["pick"])
        if payment is not None:
            payment_cancel(actor=self.books.actor, payment=payment, date=datetime.date(2026, 4, 25))

    def cancel_invoice(self, step):
        invoice = _nth(Invoice.objects.filter(company=self.company), step["pick"])
        if invoice is not None:
            invoice_cancel(actor=self.books.actor, invoice=invoice, date=datetime.date(2026, 4, 25))

    def credit(self, step):
        invoice = _nth(Invoice.objects.filter(company=self.company), step["pick"])
        if invoice is not None:
            credit = credit_note_create(actor=self.books.actor, invoice=invoice, date=datetime.date(2026, 4, 15))
            invoice_post(actor=self.books.actor, invoice=credit)

    def run(self, step):
        self.guarded(getattr(self, step["op"]), step)


def control_balance(account) -> Decimal:
    rows = AccountBalance.objects.filter(account=account)
    return sum((row.debit - row.credit for row in rows), ZERO)


def expected_balance(company, customer_side: bool) -> Decimal:
    """Open residuals of the side's posted documents (signed) less the payments' unallocated remainders."""
    total = ZERO
    for invoice in Invoice.objects.filter(company=company, entry__isnull=False):
        if is_customer_kind(invoice.kind) == customer_side:
            total += owed_sign(invoice.kind) * invoice.residual
    for payment in Payment.objects.filter(company=company, state="posted"):
        if (payment_side(payment) == "customer") == customer_side:
            total -= (1 if payment.kind == "inbound" else -1) * payment_remainder(payment)
    return total


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_random_invoicing_and_payments_keep_the_books_right(books, operations):
    runner = Runner(books)
    # Each example starts from the fixture's books (hypothesis reruns the test body, not the fixture).
    with transaction.atomic():
        for step in operations:
            runner.run(step)

        assert run_checks(books.company) == []
        assert control_balance(books.receivable) == expected_balance(books.company, customer_side=True)
        assert control_balance(books.payable) == expected_balance(books.company, customer_side=False)
        assert all(invoice.residual >= 0 for invoice in Invoice.objects.filter(company=books.company))
        transaction.set_rollback(True)

"""The extension points of invoice posting (accounting/hooks.py) that purchasing and sales use."""

from decimal import Decimal

import pytest

from tessera.accounting import hooks
from tessera.accounting.models import Invoice, JournalEntry
from tessera.accounting.services.invoices import invoice_cancel, invoice_post
from tessera.core.errors import Conflict

from .conftest import legs

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    """Register hooks for one test and remove them after it."""
    added = []

    def add(registry, fn):
        registry.append(fn)
        added.append((registry, fn))

    yield add
    for registry, fn in added:
        registry.remove(fn)


def test_a_guard_refuses_the_posting_and_nothing_is_written(books, registered):
    class Refused(Conflict):
        code = "refused_by_guard"

    def guard(invoice):
        raise Refused("No.")

    registered(hooks.POST_GUARDS, guard)
    bill = books.invoice(kind="supplier_invoice", post=False)

    with pytest.raises(Refused):
        invoice_post(actor=books.actor, invoice=bill)

    bill.refresh_from_db()
    assert (bill.state, bill.number, JournalEntry.objects.count()) == ("draft", None, 0)


def test_a_line_split_posts_the_line_over_several_accounts(books, registered):
    def split(invoice, line, amount):
        first = (amount * Decimal("0.6")).quantize(Decimal("0.01"))
        return [(books.bank_account, first, "part one"), (books.expense, amount - first, "part two")]

    registered(hooks.LINE_SPLITS, split)
    bill = books.invoice(("100.00", 1), kind="supplier_invoice")

    assert legs(bill.entry) == [("220201", Decimal("0"), Decimal("113.00")),
                                ("1002", Decimal("60.00"), Decimal("0")),
                                ("6602", Decimal("40.00"), Decimal("0")),
                                ("22210101", Decimal("13.00"), Decimal("0"))]


def test_posted_and_cancelled_hooks_hear_each_document(books, registered):
    heard = []
    registered(hooks.POSTED, lambda invoice: heard.append(("posted", invoice.kind)))
    registered(hooks.CANCELLED, lambda invoice: heard.append(("cancelled", invoice.kind)))
    bill = books.invoice(kind="supplier_invoice")

    invoice_cancel(actor=books.actor, invoice=bill)

    assert heard == [("posted", "supplier_invoice"), ("posted", "supplier_credit"), ("cancelled", "supplier_invoice")]
    assert Invoice.objects.get(pk=bill.pk).state == "cancelled"

"""Reversing posted entries: swapped amounts, linked, net zero, once only, posted entries only."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import JournalEntry, Period
from tessera.accounting.services.errors import PeriodClosed
from tessera.accounting.services.ledger import entry_reverse
from tessera.accounting.services.periods import period_close
from tessera.core.errors import InvalidState, PermissionDenied
from tessera.core.models import DomainEvent

from .helpers import balance, draft, ledger_state, posted

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def sale(ledger, accountant, customer):
    return posted(ledger, accountant, D(2026, 5, 3), (ledger.receivable, "226.00", 0, customer),
                  (ledger.revenue, 0, "200.00"), (ledger.output_vat, 0, "26.00"))


def test_a_reversal_swaps_debit_and_credit_and_links_to_the_original(ledger, accountant, sale, customer):
    reversal = entry_reverse(actor=accountant, entry=sale, date=D(2026, 6, 1))

    assert (reversal.state, reversal.number, reversal.reversal_of, reversal.reference) == (
        "posted", "记-202606-0001", sale, "记-202605-0001")
    assert reversal.description == "Reversal of 记-202605-0001"
    assert list(reversal.lines.values_list("account__code", "debit", "credit", "partner")) == [
        ("1122", Decimal("0"), Decimal("226.00"), customer.pk),
        ("6001", Decimal("200.00"), Decimal("0"), None),
        ("222101", Decimal("26.00"), Decimal("0"), None),
    ]
    assert DomainEvent.objects.filter(name="accounting.entry.reversed", object_id=str(sale.pk)).count() == 1


def test_an_entry_and_its_reversal_net_to_zero_on_every_account(ledger, accountant, sale):
    entry_reverse(actor=accountant, entry=sale, date=D(2026, 5, 20))

    for account in (ledger.receivable, ledger.revenue, ledger.output_vat):
        debit, credit = balance(account)
        assert debit == credit


def test_the_original_stays_unchanged(ledger, accountant, sale):
    before = JournalEntry.objects.filter(pk=sale.pk).values().get()

    entry_reverse(actor=accountant, entry=sale, date=D(2026, 5, 20))

    assert JournalEntry.objects.filter(pk=sale.pk).values().get() == before


def test_an_entry_is_reversed_only_once(ledger, accountant, sale):
    entry_reverse(actor=accountant, entry=sale, date=D(2026, 5, 20))
    before = ledger_state(ledger.company)

    with pytest.raises(InvalidState) as error:
        entry_reverse(actor=accountant, entry=sale, date=D(2026, 5, 21))

    assert str(error.value.message) == "Entry 记-202605-0001 has been reversed already."
    assert ledger_state(ledger.company) == before


def test_a_reversal_is_not_reversed_again(ledger, accountant, sale):
    reversal = entry_reverse(actor=accountant, entry=sale, date=D(2026, 5, 20))

    with pytest.raises(InvalidState):
        entry_reverse(actor=accountant, entry=reversal, date=D(2026, 5, 21))

    assert JournalEntry.objects.count() == 2


def test_a_draft_cannot_be_reversed(ledger, accountant):
    entry = draft(ledger, accountant, D(2026, 5, 3), (ledger.cash, 1, 0), (ledger.revenue, 0, 1))

    with pytest.raises(InvalidState) as error:
        entry_reverse(actor=accountant, entry=entry, date=D(2026, 5, 3))

    assert str(error.value.message) == "Only a posted entry can be reversed."
    assert JournalEntry.objects.count() == 1


def test_a_reversal_goes_into_an_open_period(ledger, accountant, sale):
    period_close(actor=accountant, period=Period.objects.get(company=ledger.company, name="2026-05"))
    before = ledger_state(ledger.company)

    with pytest.raises(PeriodClosed):
        entry_reverse(actor=accountant, entry=sale, date=D(2026, 5, 31))

    assert ledger_state(ledger.company) == before
    assert entry_reverse(actor=accountant, entry=sale, date=D(2026, 6, 1)).period.name == "2026-06"


def test_a_salesperson_may_not_reverse(ledger, make_user, sale):
    with pytest.raises(PermissionDenied):
        entry_reverse(actor=make_user("salesperson", username="seller"), entry=sale, date=D(2026, 5, 20))

    assert JournalEntry.objects.count() == 1

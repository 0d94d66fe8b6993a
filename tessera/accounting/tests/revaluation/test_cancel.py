"""Cancelling a revaluation: its entry mirrored on its date, its reversal reversed on the next day, the
books as if it had never been posted; refusals write nothing."""

from decimal import Decimal

import pytest

from tessera.accounting.models import JournalEntry, Period
from tessera.accounting.services.periods import period_close
from tessera.accounting.services.revaluation import revaluation_cancel, revaluation_post
from tessera.accounting.tests.documents.conftest import D, legs
from tessera.core.errors import PermissionDenied
from tessera.core.models import DomainEvent

from .conftest import CLOSING, balance, usd_invoice
from .test_refusals import written

pytestmark = pytest.mark.django_db
R = Decimal


@pytest.fixture
def revaluation(books, fx):
    usd_invoice(books)
    return revaluation_post(actor=books.actor, company=books.company, date=CLOSING)


def test_cancel_undoes_the_entry_on_its_date_and_the_reversal_on_the_next_day(books, revaluation):
    cancelled = revaluation_cancel(actor=books.actor, revaluation=revaluation)

    assert cancelled.state == "reversed"
    undo = JournalEntry.objects.get(source=revaluation.entry.source, reversal_of__isnull=True,
                                    pk__gt=revaluation.reversal_entry.pk)
    redo = JournalEntry.objects.get(reversal_of=revaluation.reversal_entry)
    assert (undo.date, undo.state, legs(undo)) == (CLOSING, "posted", [("1122", 0, R("100.00")),
                                                                       ("66030201", R("100.00"), 0)])
    assert (redo.date, redo.state, legs(redo)) == (D(2026, 2, 1), "posted", [("1122", R("100.00"), 0),
                                                                             ("66030201", 0, R("100.00"))])
    for day in (CLOSING, D(2026, 2, 1)):
        assert balance(books.receivable, books.customer, up_to=day) == R("7100.00")
        assert balance(books.gain, up_to=day) == 0


def test_cancel_records_the_transition_and_an_event(books, revaluation):
    revaluation_cancel(actor=books.actor, revaluation=revaluation)

    event = DomainEvent.objects.get(name="accounting.revaluation.cancelled")
    assert event.payload == {"date": "2026-01-31", "entry": revaluation.entry.number,
                             "reversal": revaluation.reversal_entry.number}


def test_a_cancelled_revaluation_is_not_cancelled_again(books, revaluation):
    revaluation_cancel(actor=books.actor, revaluation=revaluation)
    before = written(books.company)

    with pytest.raises(Exception) as raised:
        revaluation_cancel(actor=books.actor, revaluation=revaluation)

    assert (raised.value.status, raised.value.code) == (409, "invalid_state")
    assert written(books.company) == before


def test_cancel_in_a_closed_period_is_refused(books, revaluation):
    period_close(actor=books.actor, period=Period.objects.get(company=books.company, name="2026-01"))
    before = written(books.company)

    with pytest.raises(Exception) as raised:
        revaluation_cancel(actor=books.actor, revaluation=revaluation)

    assert (raised.value.status, raised.value.code) == (409, "period_closed")
    assert written(books.company) == before
    revaluation.refresh_from_db()
    assert revaluation.state == "posted"


def test_cancel_without_permission_is_refused(books, revaluation, make_user):
    before = written(books.company)

    with pytest.raises(PermissionDenied):
        revaluation_cancel(actor=make_user("auditor"), revaluation=revaluation)

    assert written(books.company) == before


def test_after_a_cancel_the_same_date_can_be_revalued_again(books, revaluation):
    revaluation_cancel(actor=books.actor, revaluation=revaluation)

    again = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert [(line.carrying_amount, line.revalued_amount, line.difference) for line in again.lines.all()] == [
        (R("7100.00"), R("7200.00"), R("100.00"))]
    assert balance(books.receivable, books.customer, up_to=CLOSING) == R("7200.00")


def test_after_a_cancel_another_date_revalues_the_same_balance(books, revaluation):
    revaluation_cancel(actor=books.actor, revaluation=revaluation)

    again = revaluation_post(actor=books.actor, company=books.company, date=D(2026, 2, 28))

    assert [(line.carrying_amount, line.revalued_amount, line.difference) for line in again.lines.all()] == [
        (R("7100.00"), R("7200.00"), R("100.00"))]
    assert balance(books.receivable, books.customer, up_to=D(2026, 2, 28)) == R("7200.00")

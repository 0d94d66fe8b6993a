"""What a revaluation refuses, writing nothing: closed periods, a second one on a date, no closing rate,
nothing to revalue, no permission, a bad date."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Account, Journal, Period, Revaluation, RevaluationLine
from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.services.periods import period_close
from tessera.accounting.services.revaluation import revaluation_post, revaluation_preview
from tessera.accounting.tests.documents.conftest import D
from tessera.accounting.tests.factories import AccountFactory
from tessera.accounting.tests.services.helpers import ledger_state
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import DomainEvent
from tessera.core.tests.factories import currency

from .conftest import CLOSING, usd_invoice

pytestmark = pytest.mark.django_db


def written(company) -> dict:
    return {**ledger_state(company), "revaluations": Revaluation.objects.count(),
            "lines": RevaluationLine.objects.count(),
            "events": DomainEvent.objects.filter(name__startswith="accounting.revaluation").count()}


def refused(books, day=CLOSING, actor=None):
    """Call revaluation_post expecting a domain error; assert nothing was written; return the error."""
    before = written(books.company)
    with pytest.raises(Exception) as raised:
        revaluation_post(actor=actor or books.actor, company=books.company, date=day)
    assert written(books.company) == before
    return raised.value


@pytest.mark.parametrize("closed", ["2026-01", "2026-02"])
def test_a_closed_period_of_the_date_or_the_next_day_is_refused(books, fx, closed):
    usd_invoice(books)
    period_close(actor=books.actor, period=Period.objects.get(company=books.company, name=closed))

    error = refused(books)

    assert (error.status, error.code) == (409, "period_closed")
    assert closed in str(error.message)


def test_a_second_revaluation_on_the_same_date_is_refused(books, fx):
    usd_invoice(books)
    revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    error = refused(books)

    assert (error.status, error.code) == (409, "revaluation_exists")
    assert "2026-01-31" in str(error.message)


def test_a_missing_closing_rate_is_refused_naming_the_currency_and_date(books, fx):
    gbp_bank = AccountFactory(company=books.company, code="1004", name="GBP bank", type="asset", role="bank",
                              currency=currency("GBP"))
    general = Journal.objects.get(company=books.company, code="GEN")
    entry_post_new(actor=books.actor, company=books.company, journal=general, date=D(2026, 1, 5), lines=[
        {"account": gbp_bank, "debit": Decimal("900.00"), "currency": currency("GBP"),
         "amount_currency": Decimal("100.00")},
        {"account": Account.objects.get(company=books.company, code="4001"), "credit": Decimal("900.00")}])

    error = refused(books)
    with pytest.raises(ValidationFailed) as previewed:
        revaluation_preview(company=books.company, date=CLOSING)

    assert isinstance(error, ValidationFailed)
    assert (error.status, error.code) == (400, "validation_error")
    assert error.fields == previewed.value.fields
    assert error.fields["date"][0].startswith("No closing rate for GBP on 2026-01-31: ")


def test_nothing_to_revalue_is_refused(books, fx):
    books.invoice(date=D(2026, 1, 15))  # in CNY

    error = refused(books)

    assert (error.status, error.code) == (409, "nothing_to_revalue")


def test_balances_already_at_the_closing_rate_are_nothing_to_revalue(books, fx):
    usd_invoice(books, day=CLOSING)  # at 7.2000, the closing rate

    error = refused(books)

    assert error.code == "nothing_to_revalue"
    assert [line.difference for line in revaluation_preview(company=books.company, date=CLOSING).lines] == [0]


def test_without_permission_the_revaluation_is_refused(books, fx, make_user):
    usd_invoice(books)
    auditor = make_user("auditor")

    error = refused(books, actor=auditor)

    assert isinstance(error, PermissionDenied)
    assert "accounting.post_revaluation" in str(error.message)


def test_a_date_that_is_not_a_date_is_refused(books, fx):
    error = refused(books, day="2026-01-31")

    assert error.fields == {"date": ["Enter a date as YYYY-MM-DD."]}

"""Year-end close (本年利润 → 利润分配) and reopen: exact balances, the order rules, permissions."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import AccountBalance, FiscalYear, JournalEntry, Period
from tessera.accounting.services.errors import PeriodClosed
from tessera.accounting.services.ledger import entry_reverse
from tessera.accounting.services.periods import period_close, period_reopen
from tessera.accounting.services.yearend import fiscal_year_close, fiscal_year_reopen
from tessera.core.checks_registry import run_checks
from tessera.core.errors import InvalidState, PermissionDenied
from tessera.core.models import DomainEvent

from .helpers import balance, draft, ledger_state, posted

D = datetime.date
ZERO = Decimal("0")
pytestmark = pytest.mark.django_db


def _year(ledger, name) -> FiscalYear:
    return FiscalYear.objects.get(company=ledger.company, name=name)


def _close_periods_but_last(ledger, actor, name) -> None:
    for period in _year(ledger, name).periods.order_by("start_on")[:11]:
        period_close(actor=actor, period=period)


def _close(ledger, actor, name) -> FiscalYear:
    _close_periods_but_last(ledger, actor, name)
    return fiscal_year_close(actor=actor, fiscal_year=_year(ledger, name))


def _year_balance(account, name) -> tuple[Decimal, Decimal]:
    """(debit, credit) of `account` over the periods of fiscal year `name`."""
    rows = AccountBalance.objects.filter(account=account, period__fiscal_year__name=name)
    return sum((r.debit for r in rows), ZERO), sum((r.credit for r in rows), ZERO)


@pytest.fixture
def year_2026(ledger, accountant):
    """2025 closed (empty); in 2026 revenue 1000 and expenses 400; every 2026 period but December closed."""
    _close(ledger, accountant, "2025")
    posted(ledger, accountant, D(2026, 3, 10), (ledger.cash, 1000, 0), (ledger.revenue, 0, 1000))
    posted(ledger, accountant, D(2026, 7, 20), (ledger.expense, 400, 0), (ledger.cash, 0, 400))
    _close_periods_but_last(ledger, accountant, "2026")
    return _year(ledger, "2026")


def test_closing_carries_the_profit_to_retained_earnings(ledger, accountant, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    assert _year_balance(ledger.current_profit, "2026") == (Decimal("600.00"), Decimal("600.00"))
    debit, credit = balance(ledger.retained_earnings)
    assert (debit, credit) == (ZERO, Decimal("600.00"))
    for account in (ledger.revenue, ledger.expense, ledger.current_profit):
        debit, credit = balance(account)
        assert debit == credit, account.code


def test_the_closing_entry_is_dated_the_last_day_with_both_legs(ledger, accountant, year_2026):
    year = fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    entry = year.closing_entry
    assert (entry.state, entry.date, entry.journal, entry.number) == (
        "posted", D(2026, 12, 31), ledger.journal, "记-202612-0001")
    assert entry.source == f"accounting.fiscalyear:{year.pk}"
    assert list(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("6001", Decimal("1000.00"), ZERO),
        ("6602", ZERO, Decimal("400.00")),
        ("4103", ZERO, Decimal("600.00")),
        ("4103", Decimal("600.00"), ZERO),
        ("4104", ZERO, Decimal("600.00")),
    ]


def test_closing_closes_the_last_period_and_the_year(ledger, accountant, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    year = _year(ledger, "2026")
    assert year.state == "closed" and year.closing_entry is not None
    assert set(year.periods.values_list("state", flat=True)) == {"closed"}
    assert DomainEvent.objects.filter(name="accounting.fiscal_year.closed", object_id=str(year.pk)).exists()


def test_profit_and_loss_accounts_start_the_new_year_at_zero(ledger, accountant, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    for account in (ledger.revenue, ledger.expense, ledger.current_profit):
        debit, credit = balance(account)  # everything up to the start of 2027
        assert debit - credit == ZERO
        assert _year_balance(account, "2027") == (ZERO, ZERO)


def test_a_loss_is_carried_as_a_debit(ledger, accountant):
    _close(ledger, accountant, "2025")
    posted(ledger, accountant, D(2026, 2, 1), (ledger.expense, 250, 0), (ledger.cash, 0, 250))

    _close(ledger, accountant, "2026")

    assert balance(ledger.retained_earnings) == (Decimal("250.00"), ZERO)


def test_profit_already_closed_by_hand_to_current_profit_is_carried(ledger, accountant):
    _close(ledger, accountant, "2025")
    posted(ledger, accountant, D(2026, 1, 5), (ledger.cash, 300, 0), (ledger.revenue, 0, 300))
    posted(ledger, accountant, D(2026, 1, 31), (ledger.revenue, 300, 0), (ledger.current_profit, 0, 300))

    year = _close(ledger, accountant, "2026")

    assert list(year.closing_entry.lines.values_list("account__code", "debit", "credit")) == [
        ("4103", Decimal("300.00"), ZERO), ("4104", ZERO, Decimal("300.00"))]


def test_a_year_with_nothing_to_carry_closes_without_an_entry(ledger, accountant):
    year = _close(ledger, accountant, "2025")

    assert (year.state, year.closing_entry) == ("closed", None)
    assert not JournalEntry.objects.exists()


def test_closing_needs_the_other_periods_closed(ledger, accountant, year_2026):
    period_reopen(actor=accountant, period=Period.objects.get(company=ledger.company, name="2026-11"))
    before = ledger_state(ledger.company)

    with pytest.raises(InvalidState) as error:
        fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    assert str(error.value.message) == (
        "Close the periods 2026-11 first: only the last period stays open, for the closing entry.")
    assert ledger_state(ledger.company) == before
    assert _year(ledger, "2026").state == "open"


def test_closing_needs_the_last_period_open(ledger, accountant, year_2026):
    period_close(actor=accountant, period=Period.objects.get(company=ledger.company, name="2026-12"))

    with pytest.raises(InvalidState) as error:
        fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    assert str(error.value.message) == "Reopen period 2026-12: the closing entry is posted in it."


def test_years_close_in_order(ledger, accountant):
    _close_periods_but_last(ledger, accountant, "2027")

    with pytest.raises(InvalidState) as error:
        fiscal_year_close(actor=accountant, fiscal_year=_year(ledger, "2027"))

    assert str(error.value.message) == "Close fiscal year 2025 first: years close in order."


def test_a_draft_dated_in_the_year_blocks_the_close(ledger, accountant, year_2026):
    draft(ledger, accountant, D(2026, 12, 5), (ledger.cash, 1, 0), (ledger.revenue, 0, 1))

    with pytest.raises(InvalidState) as error:
        fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    assert str(error.value.message) == "1 draft entry is dated in this year: post or delete it first."


def test_a_closed_year_is_not_closed_again(ledger, accountant, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    with pytest.raises(InvalidState) as error:
        fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    assert str(error.value.message) == "Fiscal year 2026 is closed already."


def test_an_accountant_may_not_close_the_year(ledger, make_user, year_2026):
    with pytest.raises(PermissionDenied) as error:
        fiscal_year_close(actor=make_user("accountant", username="bookkeeper"), fiscal_year=year_2026)

    assert "accounting.close_fiscalyear" in str(error.value.message)
    assert _year(ledger, "2026").state == "open"


def test_a_closed_year_refuses_postings_and_period_reopening(ledger, accountant, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    with pytest.raises(PeriodClosed):
        posted(ledger, accountant, D(2026, 12, 31), (ledger.cash, 1, 0), (ledger.revenue, 0, 1))
    with pytest.raises(InvalidState) as error:
        period_reopen(actor=accountant, period=Period.objects.get(company=ledger.company, name="2026-12"))
    assert str(error.value.message) == "Fiscal year 2026 is closed: reopen it first."


def test_the_closing_entry_is_not_reversed_by_hand(ledger, accountant, year_2026):
    year = fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    with pytest.raises(InvalidState) as error:
        entry_reverse(actor=accountant, entry=year.closing_entry, date=D(2027, 1, 1))

    assert str(error.value.message) == "Entry 记-202612-0001 closes a fiscal year: reopen the year instead."


def test_reopening_reverses_the_closing_entry_and_restores_the_balances(ledger, accountant, year_2026):
    closing = fiscal_year_close(actor=accountant, fiscal_year=year_2026).closing_entry

    year = fiscal_year_reopen(actor=accountant, fiscal_year=year_2026)

    assert (year.state, year.closing_entry) == ("open", None)
    reversal = JournalEntry.objects.get(reversal_of=closing)
    assert (reversal.date, reversal.number, reversal.state) == (D(2026, 12, 31), "记-202612-0002", "posted")
    assert balance(ledger.revenue) == (Decimal("1000.00"), Decimal("2000.00"))
    assert balance(ledger.retained_earnings) == (Decimal("600.00"), Decimal("600.00"))
    assert Period.objects.get(company=ledger.company, name="2026-12").state == "open"
    assert Period.objects.get(company=ledger.company, name="2026-11").state == "closed"


def test_a_reopened_year_closes_again_with_a_new_entry(ledger, accountant, year_2026):
    first = fiscal_year_close(actor=accountant, fiscal_year=year_2026).closing_entry
    fiscal_year_reopen(actor=accountant, fiscal_year=year_2026)

    second = fiscal_year_close(actor=accountant, fiscal_year=year_2026).closing_entry

    assert second != first and second.number == "记-202612-0003"
    assert balance(ledger.retained_earnings) == (Decimal("600.00"), Decimal("1200.00"))
    assert run_checks(ledger.company) == []


def test_an_open_year_is_not_reopened(ledger, accountant, year_2026):
    with pytest.raises(InvalidState) as error:
        fiscal_year_reopen(actor=accountant, fiscal_year=year_2026)

    assert str(error.value.message) == "2026 is open: only a closed one can be reopened."


def test_years_reopen_latest_first(ledger, accountant, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    with pytest.raises(InvalidState) as error:
        fiscal_year_reopen(actor=accountant, fiscal_year=_year(ledger, "2025"))

    assert str(error.value.message) == "Reopen fiscal year 2026 first: years reopen in reverse order."
    assert _year(ledger, "2025").state == "closed"


def test_reopening_needs_its_permission(ledger, accountant, make_user, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)

    with pytest.raises(PermissionDenied) as error:
        fiscal_year_reopen(actor=make_user("accountant", username="bookkeeper"), fiscal_year=year_2026)

    assert "accounting.reopen_fiscalyear" in str(error.value.message)
    assert _year(ledger, "2026").state == "closed"


def test_the_books_check_clean_after_close_and_reopen(ledger, accountant, year_2026):
    fiscal_year_close(actor=accountant, fiscal_year=year_2026)
    assert run_checks(ledger.company) == []

    fiscal_year_reopen(actor=accountant, fiscal_year=year_2026)

    assert run_checks(ledger.company) == []

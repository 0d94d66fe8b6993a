"""Trial balance over the books of conftest.py (figures worked out by hand)."""

import datetime
from decimal import Decimal

from tessera.accounting.reports import trial_balance
from tessera.accounting.tests.factories import AccountFactory

D = datetime.date


def amounts(row, *names):
    return tuple(str(row[name]) for name in names)


def rows_by_code(report):
    return {row["code"]: row for row in report.rows}


def test_whole_month_opening_period_and_closing(books):
    rows = rows_by_code(trial_balance(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28)))

    assert amounts(rows["1002"], "opening_debit", "period_debit", "period_credit", "closing_debit") == (
        "9500.00", "1130.00", "0.00", "10630.00")
    assert amounts(rows["1122"], "opening_debit", "period_debit", "period_credit", "closing_debit") == (
        "1130.00", "2260.00", "1130.00", "2260.00")
    assert amounts(rows["222101"], "opening_credit", "period_credit", "closing_credit") == (
        "130.00", "260.00", "390.00")


def test_totals_balance_in_every_pair(books):
    totals = trial_balance(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28)).totals

    assert {name: str(value) for name, value in totals.items()} == {
        "opening_debit": "11130.00", "opening_credit": "11130.00", "period_debit": "3390.00",
        "period_credit": "3390.00", "closing_debit": "13390.00", "closing_credit": "13390.00",
    }


def test_income_and_expense_start_again_at_the_fiscal_year_and_earlier_profit_is_in_retained_earnings(books):
    rows = rows_by_code(trial_balance(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28)))

    assert amounts(rows["6001"], "opening_credit", "period_credit", "closing_credit") == ("0.00", "2000.00", "2000.00")
    assert amounts(rows["6602"], "opening_debit", "closing_debit") == ("200.00", "200.00")
    assert amounts(rows["4104"], "opening_credit", "closing_credit") == ("1000.00", "1000.00")


def test_partial_months_read_the_lines_of_the_edge_days(books):
    report = trial_balance(books.ledger.company, D(2026, 1, 15), D(2026, 2, 12))
    rows = rows_by_code(report)

    assert amounts(rows["1001"], "opening_debit", "period_credit", "closing_debit") == ("500.00", "200.00", "300.00")
    assert amounts(rows["1122"], "opening_debit", "period_credit", "closing_debit") == ("1130.00", "1130.00", "0.00")
    assert report.totals["period_debit"] == report.totals["period_credit"] == Decimal("1330.00")


def test_accounts_without_amounts_are_left_out_unless_asked(books):
    quiet = rows_by_code(trial_balance(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28)))
    full = rows_by_code(trial_balance(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28), include_zero=True))

    assert "4103" not in quiet and "2202" not in quiet
    assert "4103" in full and full["4103"]["closing_credit"] == Decimal("0.00")


def test_a_parent_is_the_sum_of_its_children(books):
    company = books.ledger.company
    parent = AccountFactory(company=company, code="2221", name="应交税费", type="liability")
    books.ledger.output_vat.parent = parent
    books.ledger.output_vat.save()

    report = trial_balance(company, D(2026, 2, 1), D(2026, 2, 28))
    rows = rows_by_code(report)

    assert (rows["2221"]["is_leaf"], rows["2221"]["level"], rows["222101"]["level"]) == (False, 0, 1)
    assert amounts(rows["2221"], "opening_credit", "period_credit", "closing_credit") == ("130.00", "260.00", "390.00")
    assert report.totals["closing_credit"] == Decimal("13390.00")  # counted once, from the leaf


def test_a_contra_balance_shows_on_the_side_where_it_lies(books, accountant):
    from .conftest import post

    ledger = books.ledger
    post(ledger, accountant, D(2026, 2, 20), (ledger.cash, "0", "800"), (ledger.expense, "800", "0"))

    rows = rows_by_code(trial_balance(ledger.company, D(2026, 2, 1), D(2026, 2, 28)))

    assert amounts(rows["1001"], "closing_debit", "closing_credit") == ("0.00", "500.00")


def test_another_company_is_never_included(books, other_company, accountant):
    from tessera.accounting.tests.factories import make_ledger

    from .conftest import post

    accountant.profile.companies.add(other_company)
    other = make_ledger(other_company, accountant)
    post(other, accountant, D(2026, 2, 3), (other.cash, "777", "0"), (other.revenue, "0", "777"))

    report = trial_balance(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28))

    assert rows_by_code(report)["1001"]["closing_debit"] == Decimal("300.00")
    assert report.totals["period_debit"] == Decimal("3390.00")

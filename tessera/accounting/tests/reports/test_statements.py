"""Balance sheet and profit and loss over the books of conftest.py."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import FiscalYear, Period
from tessera.accounting.reports import balance_sheet, net_profit, profit_and_loss
from tessera.accounting.services.periods import period_close
from tessera.accounting.services.yearend import fiscal_year_close
from tessera.core.errors import ValidationFailed

D = datetime.date


def close_2025(company, actor):
    year = FiscalYear.objects.get(company=company, start_on=D(2025, 1, 1))
    for period in Period.objects.filter(fiscal_year=year).order_by("start_on")[:11]:
        period_close(actor=actor, period=period)
    return fiscal_year_close(actor=actor, fiscal_year=year)


def test_chinese_balance_sheet_lines_and_line_numbers(books):
    sheet = balance_sheet(books.ledger.company, D(2026, 2, 28), "cn")
    lines = {line["key"]: line for line in sheet.lines}

    assert (lines["cash"]["number"], lines["cash"]["amounts"]) == (1, {"end": Decimal("10930.00"),
                                                                      "start": Decimal("10000.00")})
    assert lines["receivables"]["amounts"]["end"] == Decimal("2260.00")
    assert lines["taxes"]["amounts"]["end"] == Decimal("390.00")
    assert lines["paid_in_capital"]["amounts"]["end"] == Decimal("10000.00")


def test_balance_sheet_balances_with_the_profit_not_yet_closed_in_equity(books):
    sheet = balance_sheet(books.ledger.company, D(2026, 2, 28), "cn")

    assert sheet.amount("retained_earnings") == Decimal("2800.00")  # 1000 of 2025 + 2000 − 200 of 2026
    assert sheet.amount("total_assets") == sheet.amount("total_liabilities_equity") == Decimal("13190.00")
    assert sheet.amount("total_assets", "start") == sheet.amount("total_liabilities_equity", "start") == Decimal(
        "11130.00")


def test_international_balance_sheet_balances(books):
    sheet = balance_sheet(books.ledger.company, D(2026, 2, 28), "ifrs")

    assert sheet.amount("total_assets") == sheet.amount("total_liabilities_equity") == Decimal("13190.00")
    assert sheet.amount("current_profit") == Decimal("2800.00")


def test_profit_and_loss_this_period_and_year_to_date(books):
    report = profit_and_loss(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28), "cn")

    assert report.amount("revenue", "period") == report.amount("revenue", "year") == Decimal("2000.00")
    assert report.amount("admin_expenses", "year") == Decimal("200.00")
    assert (report.amount("net_profit", "period"), report.amount("net_profit", "year")) == (Decimal("2000.00"),
                                                                                            Decimal("1800.00"))


def test_both_layouts_end_on_the_same_net_profit(books):
    company = books.ledger.company
    cn = profit_and_loss(company, D(2026, 1, 1), D(2026, 3, 31), "cn")
    ifrs = profit_and_loss(company, D(2026, 1, 1), D(2026, 3, 31), "ifrs")

    assert cn.amount("net_profit") == ifrs.amount("net_profit") == net_profit(company, D(2026, 1, 1),
                                                                              D(2026, 3, 31)) == Decimal("1700.00")


def test_a_closed_year_still_shows_its_profit(books, accountant):
    company = books.ledger.company
    year = close_2025(company, accountant)
    assert year.closing_entry is not None

    report = profit_and_loss(company, D(2025, 1, 1), D(2025, 12, 31), "cn")

    assert report.amount("net_profit") == Decimal("1000.00")


def test_after_the_year_end_close_the_balance_sheet_still_balances(books, accountant):
    company = books.ledger.company
    close_2025(company, accountant)

    sheet = balance_sheet(company, D(2026, 2, 28), "cn")

    assert sheet.amount("retained_earnings") == Decimal("2800.00")
    assert sheet.amount("total_assets") == sheet.amount("total_liabilities_equity")


def test_an_unknown_layout_is_refused(books):
    with pytest.raises(ValidationFailed) as caught:
        balance_sheet(books.ledger.company, D(2026, 2, 28), "gaap")

    assert caught.value.fields == {"layout": ["Choose cn or ifrs."]}

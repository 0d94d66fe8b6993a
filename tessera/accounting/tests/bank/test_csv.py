"""Reading cells: amounts in the ways banks write them, dates in every format offered, the header guess."""

from decimal import Decimal

import pytest

from tessera.accounting.services.bank_csv import (
    clean_cell,
    find_header,
    guess_date_format,
    guess_mapping,
    parse_amount,
    parse_date,
    sniff_delimiter,
)

from .conftest import D


@pytest.mark.parametrize(("text", "expected"), [
    ("1,234.50", Decimal("1234.50")), ("¥1,234.50", Decimal("1234.50")), ("￥１２３.４", Decimal("123.40")),
    ("-55,000.00", Decimal("-55000.00")), ("(12.00)", Decimal("-12.00")), ("12.00-", Decimal("-12.00")),
    ("$ 7", Decimal("7.00")), ("+3.1", Decimal("3.10")), ("CNY 100", Decimal("100.00")), ("100元", Decimal("100.00")),
    ("", None), ("-", None), ("—", None),
])
def test_amounts(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(("text", "decimal", "thousands", "expected"), [
    ("1.234,50", ",", ".", Decimal("1234.50")), ("1 234,50", ",", " ", Decimal("1234.50")),
    ("1'234.50", ".", "'", Decimal("1234.50")), ("-0,5", ",", "", Decimal("-0.50")),
])
def test_amounts_with_other_separators(text, decimal, thousands, expected):
    assert parse_amount(text, decimal, thousands) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("abc", "“abc” is not an amount."), ("=1+2", "“=1+2” is not an amount."), ("1.234", "“1.234” has more than two "
                                                                                       "decimals."),
    ("1e5", "“1e5” is not an amount."), ("9999999999999999", "“9999999999999999” is too large."),
])
def test_what_is_not_an_amount(text, message):
    with pytest.raises(ValueError) as refused:
        parse_amount(text)
    assert str(refused.value) == message


@pytest.mark.parametrize(("text", "date_format"), [
    ("2026-11-24", "%Y-%m-%d"), ("2026/11/24", "%Y/%m/%d"), ("20261124", "%Y%m%d"), ("24/11/2026", "%d/%m/%Y"),
    ("2026年11月24日", "%Y年%m月%d日"), ("2026-11-24 10:23:11", "%Y-%m-%d"), ("24.11.2026", "%d.%m.%Y"),
])
def test_dates(text, date_format):
    assert parse_date(text, date_format) == D(2026, 11, 24)
    assert guess_date_format([text]) == date_format


def test_a_day_above_twelve_tells_day_first_from_month_first():
    assert guess_date_format(["03/04/2026", "24/04/2026"]) == "%d/%m/%Y"
    assert guess_date_format(["04/03/2026", "04/24/2026"]) == "%m/%d/%Y"


def test_excel_text_wrappers_and_tabs_are_removed():
    assert clean_cell('="6222020200112233"') == "6222020200112233"
    assert clean_cell("\t0123 ") == "0123"


def test_the_delimiter_is_the_one_splitting_lines_alike():
    assert sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n") == ";"
    assert sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert sniff_delimiter("账号：123\n\na,b,c\n1,2,3\n") == ","


def test_the_header_row_is_found_under_account_details():
    records = [["账号：123"], ["户名：Acme"], [], ["交易日期", "摘要", "交易金额"], ["2026-01-01", "x", "1"]]

    assert find_header(records) == 3


@pytest.mark.parametrize(("headers", "expected"), [
    (["交易日期", "摘要", "借方发生额", "贷方发生额", "余额", "对方户名", "对方账号", "流水号"],
     {"date": "交易日期", "withdrawal": "借方发生额", "deposit": "贷方发生额", "balance": "余额",
      "partner_name": "对方户名", "partner_account": "对方账号", "reference": "流水号", "description": ["摘要"],
      "amount": ""}),
    (["记账日期", "支出(元)", "收入(元)", "账户余额", "用途"],
     {"date": "记账日期", "withdrawal": "支出(元)", "deposit": "收入(元)", "balance": "账户余额",
      "description": ["用途"]}),
    (["Date", "Description", "Amount", "Balance", "Reference"],
     {"date": "Date", "amount": "Amount", "balance": "Balance", "reference": "Reference",
      "description": ["Description"], "withdrawal": "", "deposit": ""}),
    (["交易时间", "交易金额", "借贷标志", "摘要", "附言"],
     {"date": "交易时间", "amount": "交易金额", "direction": "借贷标志", "description": ["摘要", "附言"]}),
])
def test_the_mapping_is_guessed_from_chinese_and_english_headers(headers, expected):
    guessed = guess_mapping(headers)

    assert {key: guessed[key] for key in expected} == expected

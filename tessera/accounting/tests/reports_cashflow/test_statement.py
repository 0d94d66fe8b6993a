"""The cash-flow statement over the worked example of conftest.py: each line to the cent, both
layouts, the previous year's column, the tie-out."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.reports_cashflow import cash_flow_entries, cash_flow_statement, year_earlier
from tessera.core.errors import PermissionDenied, ValidationFailed

D = datetime.date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))


def amounts(statement, column="period") -> dict:
    """The non-zero amounts of the statement's lines, by key."""
    return {line["key"]: line["amounts"][column] for line in statement.lines
            if line["amounts"][column] not in (None, Decimal("0.00"))}


def test_chinese_statement_of_march(worked):
    statement = cash_flow_statement(worked.company, *MARCH, "cn")

    assert amounts(statement) == {
        "op_in_sales": Decimal("12019.99"), "op_in_tax_refunds": Decimal("300.00"),
        "op_in_other": Decimal("180.01"), "op_in_total": Decimal("12500.00"),
        "op_out_purchases": Decimal("5650.00"), "op_out_employees": Decimal("7000.00"),
        "op_out_taxes": Decimal("1000.00"), "op_out_total": Decimal("13650.00"), "op_net": Decimal("-1150.00"),
        "inv_out_assets": Decimal("20000.00"), "inv_out_total": Decimal("20000.00"), "inv_net": Decimal("-20000.00"),
        "fin_in_borrowings": Decimal("50000.00"), "fin_in_total": Decimal("50000.00"),
        "fin_out_distributions": Decimal("250.00"), "fin_out_total": Decimal("250.00"),
        "fin_net": Decimal("49750.00"), "fx": Decimal("100.00"), "net_increase": Decimal("28700.00"),
        "opening": Decimal("112000.00"), "closing": Decimal("140700.00"),
    }


def test_statement_ties_out_with_the_cash_balances(worked):
    statement = cash_flow_statement(worked.company, *MARCH, "cn")

    assert statement.ties_out
    assert (statement.opening["period"], statement.closing["period"]) == (Decimal("112000.00"), Decimal("140700.00"))
    assert statement.net_increase["period"] == statement.amount("net_increase") == Decimal("28700.00")
    assert statement.amount("closing") == statement.closing["period"]


def test_previous_column_is_the_same_dates_a_year_earlier(worked):
    statement = cash_flow_statement(worked.company, *MARCH, "cn")

    assert (statement.previous_from, statement.previous_to) == (D(2025, 3, 1), D(2025, 3, 31))
    assert amounts(statement, "previous") == {
        "op_in_sales": Decimal("5000.00"), "op_in_total": Decimal("5000.00"), "op_net": Decimal("5000.00"),
        "net_increase": Decimal("5000.00"), "closing": Decimal("5000.00"),
    }
    assert statement.ties_out


def test_lines_are_numbered_and_labelled_in_the_statutory_layout(worked, settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        statement = cash_flow_statement(worked.company, *MARCH, "cn")
    lines = {line["key"]: line for line in statement.lines}

    assert (lines["h_operating"]["label"], lines["h_operating"]["number"]) == ("一、经营活动产生的现金流量：", None)
    assert (lines["op_in_sales"]["label"], lines["op_in_sales"]["number"]) == ("销售商品、提供劳务收到的现金", 1)
    assert lines["fx"]["label"] == "四、汇率变动对现金及现金等价物的影响"
    assert (lines["closing"]["label"], lines["closing"]["number"]) == ("六、期末现金及现金等价物余额", 35)
    assert lines["h_operating"]["amounts"] == {"period": None, "previous": None}


def test_english_labels_of_the_statutory_layout(worked):
    statement = cash_flow_statement(worked.company, *MARCH, "cn")

    assert next(line["label"] for line in statement.lines if line["key"] == "op_out_taxes") == "Taxes paid"


def test_international_layout_shows_payments_negative(worked):
    statement = cash_flow_statement(worked.company, *MARCH, "ifrs")

    assert amounts(statement) == {
        "receipts_customers": Decimal("12019.99"), "paid_suppliers": Decimal("-5650.00"),
        "paid_employees": Decimal("-7000.00"), "other_operating": Decimal("180.01"),
        "taxes_paid": Decimal("-700.00"), "op_net": Decimal("-1150.00"),
        "purchase_assets": Decimal("-20000.00"), "inv_net": Decimal("-20000.00"),
        "borrowings_received": Decimal("50000.00"), "interest_paid": Decimal("-250.00"),
        "fin_net": Decimal("49750.00"), "net_change": Decimal("28600.00"), "opening": Decimal("112000.00"),
        "fx": Decimal("100.00"), "closing": Decimal("140700.00"),
    }
    assert next(line["label"] for line in statement.lines if line["key"] == "receipts_customers") == (
        "Cash receipts from customers")


def test_layout_defaults_to_the_chart(worked):
    assert cash_flow_statement(worked.company, *MARCH).layout == "cn"


def test_a_transfer_between_bank_and_cash_is_no_cash_flow(worked):
    withdrawal = worked.entries["withdrawal"]

    for key in ("op_in_sales", "op_in_other", "op_out_other", "net_increase"):
        rows = cash_flow_entries(worked.company, *MARCH, key, "cn").rows
        assert withdrawal.pk not in [row["entry"] for row in rows]


def test_the_mixed_entry_is_split_to_the_cent(worked):
    mixed = worked.entries["mixed"].pk

    sales = {row["entry"]: row["amount"] for row in cash_flow_entries(worked.company, *MARCH, "op_in_sales").rows}
    other = {row["entry"]: row["amount"] for row in cash_flow_entries(worked.company, *MARCH, "op_in_other").rows}

    # 900.00 net in over 1,000.01 of credits (revenue 500.00 + 300.00, other receivables 200.01): 449.99 +
    # 270.00 and 180.01, the two cents left by the floors to the largest remainders (300.00's and 200.01's).
    assert (sales[mixed], other[mixed]) == (Decimal("719.99"), Decimal("180.01"))


def test_withheld_income_tax_is_not_a_tax_refund(worked):
    statement = cash_flow_statement(worked.company, *MARCH, "cn")

    assert statement.amount("op_out_employees") == Decimal("7000.00")
    assert statement.amount("op_in_tax_refunds") == Decimal("300.00")  # the real refund only


def test_dates_are_checked(worked):
    with pytest.raises(ValidationFailed) as raised:
        cash_flow_statement(worked.company, D(2026, 3, 31), D(2026, 3, 1))

    assert list(raised.value.fields) == ["date_to"]


def test_an_unknown_layout_is_refused(worked):
    with pytest.raises(ValidationFailed) as raised:
        cash_flow_statement(worked.company, *MARCH, "gaap")

    assert list(raised.value.fields) == ["layout"]


def test_the_actor_needs_the_report_permission(worked, make_user):
    with pytest.raises(PermissionDenied):
        cash_flow_statement(worked.company, *MARCH, actor=make_user("salesperson", username="sally"))


@pytest.mark.parametrize(("day", "expected"), [
    (D(2026, 3, 1), D(2025, 3, 1)), (D(2026, 3, 31), D(2025, 3, 31)), (D(2025, 2, 28), D(2024, 2, 29)),
    (D(2024, 2, 29), D(2023, 2, 28)), (D(2026, 2, 27), D(2025, 2, 27)),
])
def test_year_earlier(day, expected):
    assert year_earlier(day) == expected

"""How accounts and entries are classified: item fallbacks, exact allocation, exchange differences,
every flow on exactly one line of each layout, the other charts' layouts, the account's choice field."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting import cash_flow_layouts as layouts
from tessera.accounting.choices import CashFlowItem
from tessera.accounting.models import Account
from tessera.accounting.reports_cashflow import (
    FLOW_ITEMS,
    account_items,
    allocate,
    cash_flow_entries,
    cash_flow_statement,
    cash_flows,
)
from tessera.accounting.services.revaluation import revaluation_post
from tessera.accounting.tests.factories import AccountFactory
from tessera.core.errors import ValidationFailed
from tessera.core.services.currency import exchange_rate_set
from tessera.core.tests.factories import currency

from .conftest import install

D = datetime.date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))


# --- Allocation ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("total", "weights", "parts"), [
    ("100.00", ["60.00", "40.00"], ["60.00", "40.00"]),
    ("-100.00", ["60.00", "40.00"], ["-60.00", "-40.00"]),
    ("100.00", ["1.00", "1.00", "1.00"], ["33.34", "33.33", "33.33"]),
    ("0.02", ["1.00", "1.00", "1.00"], ["0.01", "0.01", "0.00"]),
    ("900.00", ["200.01", "500.00", "300.00"], ["180.01", "449.99", "270.00"]),
    ("10.00", ["0.01"], ["10.00"]),
])
def test_allocate_splits_exactly_by_largest_remainder(total, weights, parts):
    result = allocate(Decimal(total), [Decimal(weight) for weight in weights])

    assert result == [Decimal(part) for part in parts]
    assert sum(result) == Decimal(total)


def test_allocate_needs_a_weight():
    with pytest.raises(ValueError):
        allocate(Decimal("1.00"), [Decimal("0")])


# --- Account items ---------------------------------------------------------------------------------

@pytest.fixture
def chart(company, accountant):
    return install(company, accountant)


def test_chart_accounts_take_their_category(chart):
    items = account_items(chart.company)

    assert {code: items[chart.account(code).pk] for code in ("1001", "1002", "1012", "1122", "2211", "1601",
                                                             "2001", "66030202")} == {
        "1001": "cash", "1002": "cash", "1012": "cash", "1122": "op_sales", "2211": "op_employees",
        "1601": "inv_assets", "2001": "fin_borrowings", "66030202": "fx"}


def test_fallbacks_role_parent_and_type(chart):
    company = chart.company
    tax_parent = chart.account("222101")  # a parent with sub-accounts: op_tax
    bank_role = AccountFactory(company=company, code="100201", name="招商银行", type="asset", role="bank",
                               cash_flow_category="op_other")
    inherited = AccountFactory(company=company, code="22210105", name="减免税款", type="liability",
                               parent=tax_parent)
    by_role = AccountFactory(company=company, code="9101", name="Clearing", type="asset", role="receivable")
    equity = AccountFactory(company=company, code="9201", name="Reserve", type="equity")
    other = AccountFactory(company=company, code="9301", name="Suspense", type="asset")

    items = account_items(company)

    assert [items[account.pk] for account in (bank_role, inherited, by_role, equity, other)] == [
        "cash", "op_tax", "op_sales", "fin_other", "op_other"]


@pytest.mark.parametrize(("category", "role", "expected"), [
    ("operating", "", "op_other"), ("investing", "", "inv_other"), ("financing", "", "fin_other"),
    ("operating", "receivable", "op_sales"), ("operating", "payable", "op_purchases"),
    ("operating", "exchange_gain", "fx"), ("financing", "receivable", "fin_other"),
    ("bogus", "", "op_other"),
])
def test_old_broad_categories_still_count(company, accountant, category, role, expected):
    account = AccountFactory(company=company, code="9001", name="Old", type="asset", role=role,
                             cash_flow_category=category)

    assert account_items(company)[account.pk] == expected


# --- Exchange differences --------------------------------------------------------------------------

def test_a_realised_exchange_difference_goes_with_the_settlement(cash_books):
    books = cash_books
    books.post(D(2026, 1, 5), ("1002", "10000.00", "0"), ("4001", "0", "10000.00"))
    books.post(D(2026, 3, 12), ("220201", "6900.00", "0"), ("66030202", "100.00", "0"), ("1002", "0", "7000.00"))

    statement = cash_flow_statement(books.company, *MARCH, "cn")

    assert (statement.amount("op_out_purchases"), statement.amount("fx")) == (Decimal("7000.00"), Decimal("0.00"))


def test_an_exchange_revaluation_is_all_exchange_effect(cash_books):
    books = cash_books
    usd, cny = currency("USD"), currency("CNY")
    for day, rate in ((D(2026, 1, 1), "7.0000"), (D(2026, 3, 31), "7.1000")):
        exchange_rate_set(currency=usd, quote=cny, on=day, rate=Decimal(rate))
    books.post(D(2026, 1, 5), ("1003", "7000.00", "0", {"currency": usd, "amount_currency": "1000.00"}),
               ("4001", "0", "7000.00"))
    # A USD customer invoice of 500.00 at 7.0000: revalued with the bank in one entry (+50.00 on it).
    books.post(D(2026, 3, 2), ("1122", "3500.00", "0", {"currency": usd, "amount_currency": "500.00"}),
               ("6001", "0", "3500.00"))
    revaluation = revaluation_post(actor=books.actor, company=books.company, date=D(2026, 3, 31))

    march = cash_flow_statement(books.company, *MARCH, "cn")
    april = cash_flow_statement(books.company, D(2026, 4, 1), D(2026, 4, 30), "cn")

    assert revaluation.total_gain == Decimal("150.00")
    assert (march.amount("fx"), march.amount("op_net"), march.closing["period"]) == (
        Decimal("100.00"), Decimal("0.00"), Decimal("7100.00"))
    assert (april.amount("fx"), april.amount("op_net")) == (Decimal("-100.00"), Decimal("0.00"))  # the reversal
    assert march.ties_out and april.ties_out


# --- Layouts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("layout", "family"), [("cn", "cn_enterprise"), ("cn", "cn_small"), ("ifrs", "ifrs")])
def test_every_flow_feeds_exactly_one_line(layout, family):
    lines = layouts.layout_lines(layout, family)
    fed = [(item, direction) for line in lines for item, direction, _sign in line.sources]

    assert sorted(fed) == sorted((item, direction) for item in FLOW_ITEMS for direction in layouts.DIRECTIONS)
    keys = {line.key for line in lines}
    assert all(term.lstrip("-") in keys for line in lines for term in line.formula)


def test_flow_items_are_the_specific_choices():
    assert set(FLOW_ITEMS) == set(CashFlowItem.values) - {"", "cash", "operating", "investing", "financing"}


def test_small_enterprise_chart_gets_its_own_form(company, accountant):
    books = install(company, accountant, "cn_small")
    books.post(D(2026, 3, 5), ("1002", "50000.00", "0"), ("2001", "0", "50000.00"))
    books.post(D(2026, 3, 31), ("560301", "250.00", "0"), ("1002", "0", "250.00"))
    books.post(D(2026, 3, 31), ("1002", "80.00", "0"), ("56030201", "0", "80.00"))

    statement = cash_flow_statement(company, *MARCH)
    lines = {line["key"]: line for line in statement.lines}

    assert (statement.layout, statement.family) == ("cn", "cn_small")
    assert (lines["fin_out_interest"]["number"], lines["fin_out_interest"]["amounts"]["period"]) == (
        17, Decimal("250.00"))
    assert lines["op_in_other"]["amounts"]["period"] == Decimal("80.00")  # no exchange line on this form
    assert (lines["closing"]["number"], lines["closing"]["amounts"]["period"]) == (22, Decimal("49830.00"))
    assert "fx" not in lines
    assert statement.ties_out


def test_international_chart_defaults_to_the_international_layout(company, accountant):
    books = install(company, accountant, "ifrs")
    books.post(D(2026, 3, 2), ("1100", "1000.00", "0"), ("3000", "0", "1000.00"))
    books.post(D(2026, 3, 9), ("6010", "400.00", "0"), ("1100", "0", "400.00"))

    statement = cash_flow_statement(company, *MARCH)

    assert statement.layout == "ifrs"
    assert (statement.amount("share_issue"), statement.amount("paid_employees"), statement.amount("closing")) == (
        Decimal("1000.00"), Decimal("-400.00"), Decimal("600.00"))


def test_drill_down_of_a_total_adds_its_lines(worked):
    rows = cash_flow_entries(worked.company, *MARCH, "op_out_total", "cn").rows

    assert sum(row["amount"] for row in rows) == Decimal("13650.00")
    assert {row["entry"] for row in rows} == {worked.entries[name].pk for name in (
        "supplier_payment", "taxes", "salaries")}


def test_drill_down_amounts_add_up_to_each_line(worked):
    statement = cash_flow_statement(worked.company, *MARCH, "ifrs")

    for line in statement.lines:
        if line["kind"] in ("item", "total") and line["key"] != "closing":  # closing adds the opening balance
            total = cash_flow_entries(worked.company, *MARCH, line["key"], "ifrs").total
            assert total == line["amounts"]["period"], line["key"]


@pytest.mark.parametrize("line", ["opening", "closing"])
def test_balances_have_no_entries_to_drill_into(worked, line):
    with pytest.raises(ValidationFailed) as raised:
        cash_flow_entries(worked.company, *MARCH, line, "cn")

    assert list(raised.value.fields) == ["line"]


def test_flows_keep_each_entry_part(worked):
    flows = cash_flows(worked.company, *MARCH, collect=True)

    assert dict(flows.entries[("op_sales", "in")]) == {worked.entries["collection"].pk: Decimal("11300.00"),
                                                       worked.entries["mixed"].pk: Decimal("719.99")}
    assert flows.net == Decimal("28700.00")


# --- The account's field ---------------------------------------------------------------------------

def test_account_api_checks_the_cash_flow_item(chart, api_client_for):
    api = api_client_for(chart.actor)
    account = chart.account("1221")

    refused = api.patch(f"/api/v1/accounting/accounts/{account.pk}/", {"cash_flow_category": "gold"}, format="json")
    accepted = api.patch(f"/api/v1/accounting/accounts/{account.pk}/", {"cash_flow_category": "inv_other"},
                         format="json")

    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["cash_flow_category"]
    assert (accepted.status_code, accepted.json()["cash_flow_category"]) == (200, "inv_other")
    assert Account.objects.get(pk=account.pk).cash_flow_category == "inv_other"


def test_account_form_offers_the_cash_flow_items(chart):
    from tessera.accounting.forms import AccountForm

    field = AccountForm(company=chart.company).fields["cash_flow_category"]

    assert ("op_employees", "Operating: employees") in [(value, str(label)) for value, label in field.choices]

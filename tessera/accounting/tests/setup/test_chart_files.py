"""The chart template files: each parses, and is a sound chart (codes, parents, types, roles)."""

import pytest

from tessera.accounting.choices import AccountRole, AccountType, CashFlowItem, ChartTemplate
from tessera.accounting.services.setup import UNIQUE_ROLES, ChartRow, chart_problems, chart_rows, chart_templates
from tessera.core.errors import ValidationFailed

TEMPLATES = ChartTemplate.values


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_file_is_sound(template):
    assert chart_problems(chart_rows(template)) == []


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_codes_are_unique(template):
    codes = [row.code for row in chart_rows(template)]

    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_parents_come_before_their_children(template):
    seen = set()
    for row in chart_rows(template):
        assert not row.parent or row.parent in seen, row.code
        seen.add(row.code)


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_types_are_valid(template):
    assert {row.type for row in chart_rows(template)} <= set(AccountType.values)


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_has_each_unique_role_exactly_once_on_a_leaf(template):
    rows = chart_rows(template)
    parents = {row.parent for row in rows}

    for role in UNIQUE_ROLES:
        holders = [row for row in rows if row.role == role]
        assert len(holders) == 1, role
        assert holders[0].code not in parents, role


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_has_a_bank_and_a_cash_leaf(template):
    rows = chart_rows(template)
    parents = {row.parent for row in rows}

    for role in (AccountRole.BANK, AccountRole.CASH):
        assert [row for row in rows if row.role == role and row.code not in parents], role


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_names_a_cash_flow_item_for_every_account(template):
    rows = chart_rows(template)
    broad = {CashFlowItem.OPERATING, CashFlowItem.INVESTING, CashFlowItem.FINANCING}

    assert [row.code for row in rows if row.cash_flow_category not in set(CashFlowItem.values) - broad - {""}] == []


@pytest.mark.parametrize("template", TEMPLATES)
def test_chart_marks_cash_and_bank_as_cash_equivalents(template):
    rows = chart_rows(template)

    assert {row.code for row in rows if row.role in (AccountRole.BANK, AccountRole.CASH)} <= {
        row.code for row in rows if row.cash_flow_category == CashFlowItem.CASH}


@pytest.mark.parametrize(("template", "expected"), [
    ("cn_enterprise", {"1012": "cash", "1122": "op_sales", "22210102": "op_sales", "22210101": "op_purchases",
                       "220201": "op_purchases", "2211": "op_employees", "222102": "op_tax", "1601": "inv_assets",
                       "1511": "inv_investments", "6111": "inv_returns", "2001": "fin_borrowings",
                       "4001": "fin_capital", "660301": "fin_interest", "2232": "fin_dividends", "66030201": "fx"}),
    ("cn_small", {"1012": "cash", "1122": "op_sales", "2211": "op_employees", "1601": "inv_assets",
                  "2001": "fin_borrowings", "3001": "fin_capital", "560301": "fin_interest", "56030202": "fx"}),
    ("ifrs", {"1100": "cash", "1200": "op_sales", "2000": "op_purchases", "2310": "op_employees",
              "2320": "op_tax", "1500": "inv_assets", "2600": "fin_borrowings", "3000": "fin_capital",
              "7010": "fin_interest", "7030": "fx"}),
])
def test_chart_cash_flow_items_of_typical_accounts(template, expected):
    items = {row.code: row.cash_flow_category for row in chart_rows(template)}

    assert {code: items[code] for code in expected} == expected


def test_unique_roles_are_every_role_but_bank_and_cash():
    assert UNIQUE_ROLES == {"receivable", "payable", "grir", "inventory", "tax_input", "tax_output",
                            "current_profit", "retained_earnings", "exchange_gain", "exchange_loss", "rounding"}


def _roles(template):
    return {row.role: row.code for row in chart_rows(template) if row.role}


def test_chinese_enterprise_chart_uses_the_official_codes():
    names = {row.code: row.name for row in chart_rows("cn_enterprise")}

    assert (names["1001"], names["1002"], names["1122"], names["1405"], names["2202"], names["2221"],
            names["4103"], names["4104"], names["6001"], names["6401"], names["6602"]) == (
        "库存现金", "银行存款", "应收账款", "库存商品", "应付账款", "应交税费", "本年利润", "利润分配",
        "主营业务收入", "主营业务成本", "管理费用")
    assert _roles("cn_enterprise") == {
        "cash": "1001", "bank": "1002", "receivable": "1122", "inventory": "1405", "payable": "220201",
        "grir": "220202", "tax_input": "22210101", "tax_output": "22210102", "current_profit": "4103",
        "retained_earnings": "410401", "exchange_gain": "66030201", "exchange_loss": "66030202",
        "rounding": "660304",
    }


def test_chinese_enterprise_vat_accounts_sit_under_taxes_payable():
    rows = {row.code: row for row in chart_rows("cn_enterprise")}

    assert [rows[code].parent for code in ("222101", "22210101", "22210102", "22210103", "22210104")] == [
        "2221", "222101", "222101", "222101", "222101"]
    assert (rows["22210101"].name, rows["22210102"].name) == ("进项税额", "销项税额")


def test_small_enterprise_chart_uses_its_own_codes():
    names = {row.code: row.name for row in chart_rows("cn_small")}

    assert (names["3001"], names["3103"], names["3104"], names["5001"], names["5401"], names["5602"],
            names["5711"], names["5801"]) == (
        "实收资本", "本年利润", "利润分配", "主营业务收入", "主营业务成本", "管理费用", "营业外支出", "所得税费用")
    assert "1231" not in names  # small enterprises write bad debts off directly: no allowance account
    assert _roles("cn_small")["current_profit"] == "3103"
    assert _roles("cn_small")["retained_earnings"] == "310401"


def test_ifrs_chart_is_in_english_with_its_control_accounts():
    assert _roles("ifrs") == {
        "cash": "1000", "bank": "1100", "receivable": "1200", "inventory": "1300", "tax_input": "1400",
        "payable": "2000", "grir": "2100", "tax_output": "2200", "retained_earnings": "3100",
        "current_profit": "3200", "exchange_gain": "4300", "exchange_loss": "7030", "rounding": "7040",
    }
    assert {row.type for row in chart_rows("ifrs")} == {"asset", "liability", "equity", "income", "expense"}


@pytest.mark.parametrize(("rows", "problem"), [
    ([ChartRow("1", "A", "", "", "asset", "", False, ""), ChartRow("1", "B", "", "", "asset", "", False, "")],
     "1: code listed twice"),
    ([ChartRow("11", "A", "", "1", "asset", "", False, "")], "11: parent 1 missing or listed after it"),
    ([ChartRow("1", "A", "", "", "gold", "", False, "")], "1: unknown type 'gold'"),
    ([ChartRow("1", "A", "", "", "asset", "vault", False, "")], "1: unknown role 'vault'"),
    ([ChartRow("1", "A", "", "", "asset", "cash", False, ""), ChartRow("11", "B", "", "1", "asset", "", False, "")],
     "1: role cash on an account with sub-accounts"),
    ([ChartRow("1", "A", "", "", "asset", "rounding", False, ""),
      ChartRow("2", "B", "", "", "asset", "rounding", False, "")], "role rounding: several accounts 1, 2"),
    ([], "role receivable: no account"),
])
def test_chart_problems_names_each_fault(rows, problem):
    assert problem in chart_problems(rows)


def test_chart_rows_refuses_an_unknown_template():
    with pytest.raises(ValidationFailed) as raised:
        chart_rows("atlantis")

    assert list(raised.value.fields) == ["template"]


def test_chart_templates_lists_each_template_with_its_label():
    assert chart_templates() == [
        {"code": "cn_enterprise", "name": "China: Accounting Standards for Business Enterprises (企业会计准则)"},
        {"code": "cn_small", "name": "China: Accounting Standards for Small Enterprises (小企业会计准则)"},
        {"code": "ifrs", "name": "International (IFRS-style)"},
    ]

"""The statement layouts: which lines a balance sheet or profit and loss shows, and which accounts
feed each line.

The Chinese statutory layouts (资产负债表, 利润表, with 行次) map accounts to lines by code prefix,
one small table per chart family (企业会计准则 `cn_enterprise`, 小企业会计准则 `cn_small`); an account
whose code no prefix claims falls back on its role, then on its type, so every account lands on
exactly one line and the statements always tie out. The longest matching prefix wins ("1602"
累计折旧 before "16"). The international layout needs no table: it is built from the chart itself
(see reports.py), one line per top-level account, grouped by account type.
"""

from dataclasses import dataclass

HEADING, ITEM, TOTAL = "heading", "item", "total"
DEBIT, CREDIT = "debit", "credit"


@dataclass(frozen=True)
class Line:
    """A statement line. An item's amount is Σ(debit − credit) of its accounts for `nature` debit,
    Σ(credit − debit) for credit. A total adds the lines named in `formula` ("-key" subtracts)."""

    key: str
    number: int | None
    label: str  # the statutory Chinese text
    label_en: str
    kind: str = ITEM
    nature: str = DEBIT
    formula: tuple[str, ...] = ()


def _items(nature: str, *specs) -> list[Line]:
    return [Line(key, number, label, label_en, ITEM, nature) for key, number, label, label_en in specs]


# --- 资产负债表 (balance sheet), statutory layout ---------------------------------------------------

CN_BALANCE_SHEET: list[Line] = [
    Line("h_current_assets", None, "流动资产：", "Current assets:", HEADING),
    *_items(DEBIT,
            ("cash", 1, "货币资金", "Cash and cash equivalents"),
            ("trading_assets", 2, "交易性金融资产", "Financial assets held for trading"),
            ("notes_receivable", 3, "应收票据", "Notes receivable"),
            ("receivables", 4, "应收账款", "Accounts receivable"),
            ("prepayments", 5, "预付款项", "Prepayments"),
            ("other_receivables", 6, "其他应收款", "Other receivables"),
            ("inventories", 7, "存货", "Inventories"),
            ("current_non_current_assets", 8, "一年内到期的非流动资产", "Non-current assets due within one year"),
            ("other_current_assets", 9, "其他流动资产", "Other current assets")),
    Line("total_current_assets", 10, "流动资产合计", "Total current assets", TOTAL, DEBIT,
         ("cash", "trading_assets", "notes_receivable", "receivables", "prepayments", "other_receivables",
          "inventories", "current_non_current_assets", "other_current_assets")),
    Line("h_non_current_assets", None, "非流动资产：", "Non-current assets:", HEADING),
    *_items(DEBIT,
            ("debt_investments", 11, "债权投资", "Debt investments"),
            ("long_term_receivables", 12, "长期应收款", "Long-term receivables"),
            ("equity_investments", 13, "长期股权投资", "Long-term equity investments"),
            ("investment_property", 14, "投资性房地产", "Investment property"),
            ("fixed_assets", 15, "固定资产", "Fixed assets"),
            ("construction", 16, "在建工程", "Construction in progress"),
            ("intangibles", 17, "无形资产", "Intangible assets"),
            ("development", 18, "开发支出", "Development expenditure"),
            ("goodwill", 19, "商誉", "Goodwill"),
            ("long_term_prepaid", 20, "长期待摊费用", "Long-term prepaid expenses"),
            ("deferred_tax_assets", 21, "递延所得税资产", "Deferred tax assets"),
            ("other_non_current_assets", 22, "其他非流动资产", "Other non-current assets")),
    Line("total_non_current_assets", 23, "非流动资产合计", "Total non-current assets", TOTAL, DEBIT,
         ("debt_investments", "long_term_receivables", "equity_investments", "investment_property", "fixed_assets",
          "construction", "intangibles", "development", "goodwill", "long_term_prepaid", "deferred_tax_assets",
          "other_non_current_assets")),
    Line("total_assets", 24, "资产总计", "Total assets", TOTAL, DEBIT,
         ("total_current_assets", "total_non_current_assets")),
    Line("h_current_liabilities", None, "流动负债：", "Current liabilities:", HEADING),
    *_items(CREDIT,
            ("short_term_loans", 25, "短期借款", "Short-term borrowings"),
            ("trading_liabilities", 26, "交易性金融负债", "Financial liabilities held for trading"),
            ("notes_payable", 27, "应付票据", "Notes payable"),
            ("payables", 28, "应付账款", "Accounts payable"),
            ("advances", 29, "预收款项", "Advances from customers"),
            ("payroll", 30, "应付职工薪酬", "Employee benefits payable"),
            ("taxes", 31, "应交税费", "Taxes payable"),
            ("other_payables", 32, "其他应付款", "Other payables"),
            ("current_non_current_liabilities", 33, "一年内到期的非流动负债",
             "Non-current liabilities due within one year"),
            ("other_current_liabilities", 34, "其他流动负债", "Other current liabilities")),
    Line("total_current_liabilities", 35, "流动负债合计", "Total current liabilities", TOTAL, CREDIT,
         ("short_term_loans", "trading_liabilities", "notes_payable", "payables", "advances", "payroll", "taxes",
          "other_payables", "current_non_current_liabilities", "other_current_liabilities")),
    Line("h_non_current_liabilities", None, "非流动负债：", "Non-current liabilities:", HEADING),
    *_items(CREDIT,
            ("long_term_loans", 36, "长期借款", "Long-term borrowings"),
            ("bonds", 37, "应付债券", "Bonds payable"),
            ("long_term_payables", 38, "长期应付款", "Long-term payables"),
            ("provisions", 39, "预计负债", "Provisions"),
            ("deferred_income", 40, "递延收益", "Deferred income"),
            ("deferred_tax_liabilities", 41, "递延所得税负债", "Deferred tax liabilities"),
            ("other_non_current_liabilities", 42, "其他非流动负债", "Other non-current liabilities")),
    Line("total_non_current_liabilities", 43, "非流动负债合计", "Total non-current liabilities", TOTAL, CREDIT,
         ("long_term_loans", "bonds", "long_term_payables", "provisions", "deferred_income",
          "deferred_tax_liabilities", "other_non_current_liabilities")),
    Line("total_liabilities", 44, "负债合计", "Total liabilities", TOTAL, CREDIT,
         ("total_current_liabilities", "total_non_current_liabilities")),
    Line("h_equity", None, "所有者权益（或股东权益）：", "Owners' equity:", HEADING),
    *_items(CREDIT, ("paid_in_capital", 45, "实收资本（或股本）", "Paid-in capital"),
            ("capital_reserve", 46, "资本公积", "Capital reserve")),
    Line("treasury_shares", 47, "减：库存股", "Less: treasury shares", ITEM, DEBIT),
    *_items(CREDIT, ("other_comprehensive_income", 48, "其他综合收益", "Other comprehensive income"),
            ("surplus_reserve", 49, "盈余公积", "Surplus reserve"),
            ("retained_earnings", 50, "未分配利润", "Undistributed profit")),
    Line("total_equity", 51, "所有者权益合计", "Total owners' equity", TOTAL, CREDIT,
         ("paid_in_capital", "capital_reserve", "-treasury_shares", "other_comprehensive_income", "surplus_reserve",
          "retained_earnings")),
    Line("total_liabilities_equity", 52, "负债和所有者权益总计", "Total liabilities and owners' equity", TOTAL, CREDIT,
         ("total_liabilities", "total_equity")),
]

# 未分配利润 takes 本年利润 and 利润分配 and, through the P&L types, the profit not yet closed.
BALANCE_SHEET_PREFIXES = {
    "cn_enterprise": {
        "cash": ("1001", "1002", "1012"), "trading_assets": ("1101",), "notes_receivable": ("1121",),
        "receivables": ("1122", "1231"), "prepayments": ("1123",), "other_receivables": ("1131", "1132", "1221"),
        "inventories": ("14", "5001", "5101", "5201", "1321"), "debt_investments": ("1501", "1502", "1503"),
        "long_term_receivables": ("1531", "1532"), "equity_investments": ("1511", "1512"),
        "investment_property": ("1521",), "fixed_assets": ("1601", "1602", "1603", "1606"),
        "construction": ("1604", "1605"), "intangibles": ("1701", "1702", "1703"), "development": ("5301",),
        "goodwill": ("1711",), "long_term_prepaid": ("1801",), "deferred_tax_assets": ("1811",),
        "other_non_current_assets": ("1901",),
        "short_term_loans": ("2001",), "trading_liabilities": ("2101",), "notes_payable": ("2201",),
        "payables": ("2202",), "advances": ("2203",), "payroll": ("2211",), "taxes": ("2221",),
        "other_payables": ("2231", "2232", "2241"), "long_term_loans": ("2501",), "bonds": ("2502",),
        "long_term_payables": ("2701", "2702"), "provisions": ("2801",), "deferred_income": ("2401",),
        "deferred_tax_liabilities": ("2901",),
        "paid_in_capital": ("4001",), "capital_reserve": ("4002",), "other_comprehensive_income": ("4003",),
        "surplus_reserve": ("4101",), "retained_earnings": ("4103", "4104"), "treasury_shares": ("4201",),
    },
    "cn_small": {
        "cash": ("1001", "1002", "1012"), "trading_assets": ("1101",), "notes_receivable": ("1121",),
        "receivables": ("1122",), "prepayments": ("1123",), "other_receivables": ("1131", "1132", "1221"),
        "inventories": ("14", "4001", "4101", "4401", "4403"), "debt_investments": ("1501",),
        "equity_investments": ("1511",), "fixed_assets": ("1601", "1602", "1606"),
        "construction": ("1604", "1605"), "intangibles": ("1701", "1702"), "development": ("4301",),
        "long_term_prepaid": ("1801",), "other_non_current_assets": ("1901", "1621", "1622"),
        "short_term_loans": ("2001",), "notes_payable": ("2201",), "payables": ("2202",), "advances": ("2203",),
        "payroll": ("2211",), "taxes": ("2221",), "other_payables": ("2231", "2232", "2241"),
        "long_term_loans": ("2501",), "long_term_payables": ("2701",), "deferred_income": ("2401",),
        "paid_in_capital": ("3001",), "capital_reserve": ("3002",), "surplus_reserve": ("3101",),
        "retained_earnings": ("3103", "3104"),
    },
}
BALANCE_SHEET_ROLES = {
    "cash": "cash", "bank": "cash", "receivable": "receivables", "inventory": "inventories", "payable": "payables",
    "grir": "payables", "tax_input": "taxes", "tax_output": "taxes", "current_profit": "retained_earnings",
    "retained_earnings": "retained_earnings",
}
BALANCE_SHEET_TYPES = {
    "asset": "other_current_assets", "common": "other_current_assets", "cost": "inventories",
    "liability": "other_current_liabilities", "equity": "other_comprehensive_income",
    # Profit not yet closed into 本年利润/利润分配 belongs to the owners: the sheet balances before closing.
    "income": "retained_earnings", "expense": "retained_earnings",
}


# --- 利润表 (profit and loss), statutory layout ------------------------------------------------------

CN_PROFIT_AND_LOSS: list[Line] = [
    Line("revenue", 1, "一、营业收入", "1. Operating revenue", ITEM, CREDIT),
    *_items(DEBIT,
            ("cost_of_sales", 2, "减：营业成本", "Less: cost of sales"),
            ("business_taxes", 3, "税金及附加", "Taxes and surcharges"),
            ("selling_expenses", 4, "销售费用", "Selling expenses"),
            ("admin_expenses", 5, "管理费用", "Administrative expenses"),
            ("finance_expenses", 6, "财务费用", "Finance expenses"),
            ("impairment_losses", 7, "资产减值损失", "Impairment losses")),
    *_items(CREDIT,
            ("other_income", 8, "加：其他收益", "Add: other income"),
            ("investment_income", 9, "投资收益（损失以“-”号填列）", "Investment income"),
            ("fair_value_gains", 10, "公允价值变动收益（损失以“-”号填列）", "Gains from changes in fair value"),
            ("disposal_gains", 11, "资产处置收益（损失以“-”号填列）", "Gains on disposal of assets")),
    Line("operating_profit", 12, "二、营业利润（亏损以“-”号填列）", "2. Operating profit", TOTAL, CREDIT,
         ("revenue", "-cost_of_sales", "-business_taxes", "-selling_expenses", "-admin_expenses",
          "-finance_expenses", "-impairment_losses", "other_income", "investment_income", "fair_value_gains",
          "disposal_gains")),
    Line("non_operating_income", 13, "加：营业外收入", "Add: non-operating income", ITEM, CREDIT),
    Line("non_operating_expenses", 14, "减：营业外支出", "Less: non-operating expenses", ITEM, DEBIT),
    Line("profit_before_tax", 15, "三、利润总额（亏损总额以“-”号填列）", "3. Total profit", TOTAL, CREDIT,
         ("operating_profit", "non_operating_income", "-non_operating_expenses")),
    Line("income_tax", 16, "减：所得税费用", "Less: income tax expense", ITEM, DEBIT),
    Line("net_profit", 17, "四、净利润（净亏损以“-”号填列）", "4. Net profit", TOTAL, CREDIT,
         ("profit_before_tax", "-income_tax")),
]

PROFIT_AND_LOSS_PREFIXES = {
    "cn_enterprise": {
        "revenue": ("6001", "6051"), "cost_of_sales": ("6401", "6402"), "business_taxes": ("6403",),
        "selling_expenses": ("6601",), "admin_expenses": ("6602",), "finance_expenses": ("6603",),
        "impairment_losses": ("6701", "6702"), "other_income": ("6117",), "investment_income": ("6111",),
        "fair_value_gains": ("6101",), "disposal_gains": ("6115",), "non_operating_income": ("6301",),
        "non_operating_expenses": ("6711",), "income_tax": ("6801",),
    },
    "cn_small": {
        "revenue": ("5001", "5051"), "cost_of_sales": ("5401", "5402"), "business_taxes": ("5403",),
        "selling_expenses": ("5601",), "admin_expenses": ("5602",), "finance_expenses": ("5603",),
        "investment_income": ("5111",), "non_operating_income": ("5301",), "non_operating_expenses": ("5711",),
        "income_tax": ("5801",),
    },
}
# Exchange differences are 财务费用 in China.
PROFIT_AND_LOSS_ROLES = {"exchange_gain": "finance_expenses", "exchange_loss": "finance_expenses"}
PROFIT_AND_LOSS_TYPES = {"income": "other_income", "expense": "admin_expenses"}


def line_for(code: str, role: str, account_type: str, prefixes: dict, roles: dict, types: dict) -> str | None:
    """The line an account belongs to: the longest matching code prefix, else its role, else its type."""
    best, best_length = None, 0
    for key, key_prefixes in prefixes.items():
        for prefix in key_prefixes:
            if code.startswith(prefix) and len(prefix) > best_length:
                best, best_length = key, len(prefix)
    return best or roles.get(role) or types.get(account_type)

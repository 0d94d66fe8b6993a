"""The cash-flow statement layouts: which lines a statement shows and which cash flows feed each line.

Cash flows are computed per item (CashFlowItem: op_sales, op_tax, inv_assets, fx...) and direction
(IN: cash received, OUT: cash paid; both as positive amounts). A line adds (item, direction, sign)
sources: the Chinese layouts show outflows as positive amounts on their own lines (购买商品、接受劳务
支付的现金 is OUT of op_purchases, less a supplier's refund, IN of op_purchases), the international
layout (IAS 7, direct method) shows payments as negative amounts. Every (item, direction) feeds
exactly one line of each layout (tests check it), so a statement always ties out: 现金及现金等价物
净增加额 equals closing less opening cash.

Layouts follow the company's chart as the balance sheet does: `cn` is the 企业会计准则 form for a
cn_enterprise chart and the 小企业会计准则 form (with its 22 行次, no line for exchange differences)
for a cn_small chart; `ifrs` is the international one.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import CashFlowItem as Item

HEADING, ITEM, TOTAL, BALANCE = "heading", "item", "total", "balance"
IN, OUT = "in", "out"
DIRECTIONS = (IN, OUT)


@dataclass(frozen=True)
class Line:
    """A statement line. An item adds its `sources` (item, direction, sign); a total adds the lines of
    `formula` ("-key" subtracts); a balance line is the opening cash. `label` is the statutory Chinese
    text (a translatable string in the international layout), `label_en` its English text."""

    key: str
    label: str
    label_en: str = ""
    kind: str = ITEM
    sources: tuple[tuple[str, str, int], ...] = ()
    formula: tuple[str, ...] = ()
    level: int = 1
    number: int | None = None


def _numbered(lines: list[Line]) -> list[Line]:
    """行次: the lines but headings numbered 1, 2, 3... in order."""
    numbered, number = [], 0
    for line in lines:
        if line.kind != HEADING:
            number += 1
            line = Line(line.key, line.label, line.label_en, line.kind, line.sources, line.formula, line.level,
                        number)
        numbered.append(line)
    return numbered


def _heading(key, label, label_en=""):
    return Line(key, label, label_en, HEADING, level=0)


def _total(key, label, label_en, formula, level=1):
    return Line(key, label, label_en, TOTAL, formula=tuple(formula), level=level)


# --- 现金流量表 (企业会计准则, 财会〔2019〕6号 general enterprise form) ------------------------------

CN_ENTERPRISE: list[Line] = _numbered([
    _heading("h_operating", "一、经营活动产生的现金流量：", "1. Cash flows from operating activities:"),
    Line("op_in_sales", "销售商品、提供劳务收到的现金", "Cash received from sales of goods and services",
         sources=((Item.OP_SALES, IN, 1), (Item.OP_SALES, OUT, -1))),
    Line("op_in_tax_refunds", "收到的税费返还", "Tax refunds received", sources=((Item.OP_TAX, IN, 1),)),
    Line("op_in_other", "收到其他与经营活动有关的现金", "Other cash received relating to operating activities",
         sources=((Item.OP_OTHER, IN, 1), (Item.FIN_INTEREST, IN, 1))),
    _total("op_in_total", "经营活动现金流入小计", "Subtotal of operating cash inflows",
           ("op_in_sales", "op_in_tax_refunds", "op_in_other")),
    Line("op_out_purchases", "购买商品、接受劳务支付的现金", "Cash paid for goods and services",
         sources=((Item.OP_PURCHASES, OUT, 1), (Item.OP_PURCHASES, IN, -1))),
    Line("op_out_employees", "支付给职工以及为职工支付的现金", "Cash paid to and on behalf of employees",
         sources=((Item.OP_EMPLOYEES, OUT, 1), (Item.OP_EMPLOYEES, IN, -1))),
    Line("op_out_taxes", "支付的各项税费", "Taxes paid", sources=((Item.OP_TAX, OUT, 1),)),
    Line("op_out_other", "支付其他与经营活动有关的现金", "Other cash paid relating to operating activities",
         sources=((Item.OP_OTHER, OUT, 1),)),
    _total("op_out_total", "经营活动现金流出小计", "Subtotal of operating cash outflows",
           ("op_out_purchases", "op_out_employees", "op_out_taxes", "op_out_other")),
    _total("op_net", "经营活动产生的现金流量净额", "Net cash flows from operating activities",
           ("op_in_total", "-op_out_total")),
    _heading("h_investing", "二、投资活动产生的现金流量：", "2. Cash flows from investing activities:"),
    Line("inv_in_investments", "收回投资收到的现金", "Cash received from disposal of investments",
         sources=((Item.INV_INVESTMENTS, IN, 1),)),
    Line("inv_in_returns", "取得投资收益收到的现金", "Cash received from returns on investments",
         sources=((Item.INV_RETURNS, IN, 1), (Item.INV_RETURNS, OUT, -1))),
    Line("inv_in_assets", "处置固定资产、无形资产和其他长期资产收回的现金净额",
         "Net cash received from disposal of fixed assets, intangible assets and other long-term assets",
         sources=((Item.INV_ASSETS, IN, 1),)),
    Line("inv_in_subsidiaries", "处置子公司及其他营业单位收到的现金净额",
         "Net cash received from disposal of subsidiaries and other business units",
         sources=((Item.INV_SUBSIDIARIES, IN, 1),)),
    Line("inv_in_other", "收到其他与投资活动有关的现金", "Other cash received relating to investing activities",
         sources=((Item.INV_OTHER, IN, 1),)),
    _total("inv_in_total", "投资活动现金流入小计", "Subtotal of investing cash inflows",
           ("inv_in_investments", "inv_in_returns", "inv_in_assets", "inv_in_subsidiaries", "inv_in_other")),
    Line("inv_out_assets", "购建固定资产、无形资产和其他长期资产支付的现金",
         "Cash paid to acquire fixed assets, intangible assets and other long-term assets",
         sources=((Item.INV_ASSETS, OUT, 1),)),
    Line("inv_out_investments", "投资支付的现金", "Cash paid to acquire investments",
         sources=((Item.INV_INVESTMENTS, OUT, 1),)),
    Line("inv_out_subsidiaries", "取得子公司及其他营业单位支付的现金净额",
         "Net cash paid to acquire subsidiaries and other business units",
         sources=((Item.INV_SUBSIDIARIES, OUT, 1),)),
    Line("inv_out_other", "支付其他与投资活动有关的现金", "Other cash paid relating to investing activities",
         sources=((Item.INV_OTHER, OUT, 1),)),
    _total("inv_out_total", "投资活动现金流出小计", "Subtotal of investing cash outflows",
           ("inv_out_assets", "inv_out_investments", "inv_out_subsidiaries", "inv_out_other")),
    _total("inv_net", "投资活动产生的现金流量净额", "Net cash flows from investing activities",
           ("inv_in_total", "-inv_out_total")),
    _heading("h_financing", "三、筹资活动产生的现金流量：", "3. Cash flows from financing activities:"),
    Line("fin_in_capital", "吸收投资收到的现金", "Cash received from capital contributions",
         sources=((Item.FIN_CAPITAL, IN, 1),)),
    Line("fin_in_borrowings", "取得借款收到的现金", "Cash received from borrowings",
         sources=((Item.FIN_BORROWINGS, IN, 1),)),
    Line("fin_in_other", "收到其他与筹资活动有关的现金", "Other cash received relating to financing activities",
         sources=((Item.FIN_OTHER, IN, 1), (Item.FIN_DIVIDENDS, IN, 1))),
    _total("fin_in_total", "筹资活动现金流入小计", "Subtotal of financing cash inflows",
           ("fin_in_capital", "fin_in_borrowings", "fin_in_other")),
    Line("fin_out_repayments", "偿还债务支付的现金", "Cash repayments of borrowings",
         sources=((Item.FIN_BORROWINGS, OUT, 1),)),
    Line("fin_out_distributions", "分配股利、利润或偿付利息支付的现金",
         "Cash paid for dividends, profit distributions and interest",
         sources=((Item.FIN_DIVIDENDS, OUT, 1), (Item.FIN_INTEREST, OUT, 1))),
    Line("fin_out_other", "支付其他与筹资活动有关的现金", "Other cash paid relating to financing activities",
         sources=((Item.FIN_OTHER, OUT, 1), (Item.FIN_CAPITAL, OUT, 1))),
    _total("fin_out_total", "筹资活动现金流出小计", "Subtotal of financing cash outflows",
           ("fin_out_repayments", "fin_out_distributions", "fin_out_other")),
    _total("fin_net", "筹资活动产生的现金流量净额", "Net cash flows from financing activities",
           ("fin_in_total", "-fin_out_total")),
    Line("fx", "四、汇率变动对现金及现金等价物的影响",
         "4. Effect of exchange rate changes on cash and cash equivalents",
         sources=((Item.FX, IN, 1), (Item.FX, OUT, -1)), level=0),
    _total("net_increase", "五、现金及现金等价物净增加额", "5. Net increase in cash and cash equivalents",
           ("op_net", "inv_net", "fin_net", "fx"), level=0),
    Line("opening", "加：期初现金及现金等价物余额", "Add: cash and cash equivalents at the beginning of the period",
         kind=BALANCE),
    _total("closing", "六、期末现金及现金等价物余额", "6. Cash and cash equivalents at the end of the period",
           ("net_increase", "opening"), level=0),
])


# --- 现金流量表 (小企业会计准则, 会小企03表), 22 行次 -----------------------------------------------
# The small-enterprise form has no line for exchange differences or tax refunds: they are other
# operating cash flows there.

CN_SMALL: list[Line] = _numbered([
    _heading("h_operating", "一、经营活动产生的现金流量：", "1. Cash flows from operating activities:"),
    Line("op_in_sales", "销售产成品、商品、提供劳务收到的现金", "Cash received from sales of goods and services",
         sources=((Item.OP_SALES, IN, 1), (Item.OP_SALES, OUT, -1))),
    Line("op_in_other", "收到其他与经营活动有关的现金", "Other cash received relating to operating activities",
         sources=((Item.OP_OTHER, IN, 1), (Item.OP_TAX, IN, 1), (Item.FIN_INTEREST, IN, 1), (Item.FX, IN, 1))),
    Line("op_out_purchases", "购买原材料、商品、接受劳务支付的现金", "Cash paid for materials, goods and services",
         sources=((Item.OP_PURCHASES, OUT, 1), (Item.OP_PURCHASES, IN, -1))),
    Line("op_out_employees", "支付的职工薪酬", "Cash paid for employee benefits",
         sources=((Item.OP_EMPLOYEES, OUT, 1), (Item.OP_EMPLOYEES, IN, -1))),
    Line("op_out_taxes", "支付的税费", "Taxes paid", sources=((Item.OP_TAX, OUT, 1),)),
    Line("op_out_other", "支付其他与经营活动有关的现金", "Other cash paid relating to operating activities",
         sources=((Item.OP_OTHER, OUT, 1), (Item.FX, OUT, 1))),
    _total("op_net", "经营活动产生的现金流量净额", "Net cash flows from operating activities",
           ("op_in_sales", "op_in_other", "-op_out_purchases", "-op_out_employees", "-op_out_taxes",
            "-op_out_other")),
    _heading("h_investing", "二、投资活动产生的现金流量：", "2. Cash flows from investing activities:"),
    Line("inv_in_investments", "收回短期投资、长期债券投资和长期股权投资收到的现金",
         "Cash received from disposal of short-term investments, long-term bonds and equity investments",
         sources=((Item.INV_INVESTMENTS, IN, 1), (Item.INV_SUBSIDIARIES, IN, 1), (Item.INV_OTHER, IN, 1))),
    Line("inv_in_returns", "取得投资收益收到的现金", "Cash received from returns on investments",
         sources=((Item.INV_RETURNS, IN, 1), (Item.INV_RETURNS, OUT, -1))),
    Line("inv_in_assets", "处置固定资产、无形资产和其他非流动资产收回的现金净额",
         "Net cash received from disposal of fixed assets, intangible assets and other non-current assets",
         sources=((Item.INV_ASSETS, IN, 1),)),
    Line("inv_out_investments", "短期投资、长期债券投资和长期股权投资支付的现金",
         "Cash paid for short-term investments, long-term bonds and equity investments",
         sources=((Item.INV_INVESTMENTS, OUT, 1), (Item.INV_SUBSIDIARIES, OUT, 1), (Item.INV_OTHER, OUT, 1))),
    Line("inv_out_assets", "购建固定资产、无形资产和其他非流动资产支付的现金",
         "Cash paid to acquire fixed assets, intangible assets and other non-current assets",
         sources=((Item.INV_ASSETS, OUT, 1),)),
    _total("inv_net", "投资活动产生的现金流量净额", "Net cash flows from investing activities",
           ("inv_in_investments", "inv_in_returns", "inv_in_assets", "-inv_out_investments", "-inv_out_assets")),
    _heading("h_financing", "三、筹资活动产生的现金流量：", "3. Cash flows from financing activities:"),
    Line("fin_in_borrowings", "取得借款收到的现金", "Cash received from borrowings",
         sources=((Item.FIN_BORROWINGS, IN, 1), (Item.FIN_OTHER, IN, 1))),
    Line("fin_in_capital", "吸收投资者投资收到的现金", "Cash received from investors",
         sources=((Item.FIN_CAPITAL, IN, 1), (Item.FIN_DIVIDENDS, IN, 1))),
    Line("fin_out_repayments", "偿还借款本金支付的现金", "Cash repayments of borrowings",
         sources=((Item.FIN_BORROWINGS, OUT, 1), (Item.FIN_OTHER, OUT, 1))),
    Line("fin_out_interest", "偿还借款利息支付的现金", "Cash paid for interest on borrowings",
         sources=((Item.FIN_INTEREST, OUT, 1),)),
    Line("fin_out_distributions", "分配利润支付的现金", "Cash paid for profit distributions",
         sources=((Item.FIN_DIVIDENDS, OUT, 1), (Item.FIN_CAPITAL, OUT, 1))),
    _total("fin_net", "筹资活动产生的现金流量净额", "Net cash flows from financing activities",
           ("fin_in_borrowings", "fin_in_capital", "-fin_out_repayments", "-fin_out_interest",
            "-fin_out_distributions")),
    _total("net_increase", "四、现金净增加额", "4. Net increase in cash", ("op_net", "inv_net", "fin_net"), level=0),
    Line("opening", "加：期初现金余额", "Add: cash at the beginning of the period", kind=BALANCE),
    _total("closing", "五、期末现金余额", "5. Cash at the end of the period", ("net_increase", "opening"), level=0),
])


# --- International layout (IAS 7, direct method): payments negative --------------------------------

def _ifrs_lines() -> list[Line]:
    def item(key, label, *sources):
        return Line(key, label, label, sources=sources)

    def heading(key, label):
        return Line(key, label, label, HEADING, level=0)

    return [
        heading("h_operating", _("Cash flows from operating activities")),
        item("receipts_customers", _("Cash receipts from customers"), (Item.OP_SALES, IN, 1), (Item.OP_SALES, OUT, -1)),
        item("paid_suppliers", _("Cash paid to suppliers"), (Item.OP_PURCHASES, IN, 1), (Item.OP_PURCHASES, OUT, -1)),
        item("paid_employees", _("Cash paid to and on behalf of employees"), (Item.OP_EMPLOYEES, IN, 1),
             (Item.OP_EMPLOYEES, OUT, -1)),
        item("other_operating", _("Other operating cash flows"), (Item.OP_OTHER, IN, 1), (Item.OP_OTHER, OUT, -1)),
        item("taxes_paid", _("Taxes paid, net of refunds"), (Item.OP_TAX, IN, 1), (Item.OP_TAX, OUT, -1)),
        Line("op_net", _("Net cash from operating activities"), "", TOTAL, level=0, formula=(
            "receipts_customers", "paid_suppliers", "paid_employees", "other_operating", "taxes_paid")),
        heading("h_investing", _("Cash flows from investing activities")),
        item("purchase_assets", _("Purchase of property, plant and equipment and intangible assets"),
             (Item.INV_ASSETS, OUT, -1)),
        item("sale_assets", _("Proceeds from sale of property, plant and equipment and intangible assets"),
             (Item.INV_ASSETS, IN, 1)),
        item("purchase_investments", _("Purchase of investments"), (Item.INV_INVESTMENTS, OUT, -1)),
        item("sale_investments", _("Proceeds from sale of investments"), (Item.INV_INVESTMENTS, IN, 1)),
        item("subsidiaries", _("Acquisition and disposal of subsidiaries, net of cash"),
             (Item.INV_SUBSIDIARIES, IN, 1), (Item.INV_SUBSIDIARIES, OUT, -1)),
        item("returns_received", _("Interest and dividends received"), (Item.INV_RETURNS, IN, 1),
             (Item.INV_RETURNS, OUT, -1), (Item.FIN_INTEREST, IN, 1)),
        item("other_investing", _("Other investing cash flows"), (Item.INV_OTHER, IN, 1), (Item.INV_OTHER, OUT, -1)),
        Line("inv_net", _("Net cash used in investing activities"), "", TOTAL, level=0, formula=(
            "purchase_assets", "sale_assets", "purchase_investments", "sale_investments", "subsidiaries",
            "returns_received", "other_investing")),
        heading("h_financing", _("Cash flows from financing activities")),
        item("share_issue", _("Proceeds from issue of share capital"), (Item.FIN_CAPITAL, IN, 1)),
        item("share_redemption", _("Payments to acquire or redeem the entity's shares"), (Item.FIN_CAPITAL, OUT, -1)),
        item("borrowings_received", _("Proceeds from borrowings"), (Item.FIN_BORROWINGS, IN, 1)),
        item("borrowings_repaid", _("Repayment of borrowings"), (Item.FIN_BORROWINGS, OUT, -1)),
        item("interest_paid", _("Interest paid"), (Item.FIN_INTEREST, OUT, -1)),
        item("dividends_paid", _("Dividends paid"), (Item.FIN_DIVIDENDS, IN, 1), (Item.FIN_DIVIDENDS, OUT, -1)),
        item("other_financing", _("Other financing cash flows"), (Item.FIN_OTHER, IN, 1), (Item.FIN_OTHER, OUT, -1)),
        Line("fin_net", _("Net cash used in financing activities"), "", TOTAL, level=0, formula=(
            "share_issue", "share_redemption", "borrowings_received", "borrowings_repaid", "interest_paid",
            "dividends_paid", "other_financing")),
        Line("net_change", _("Net increase (decrease) in cash and cash equivalents"), "", TOTAL, level=0,
             formula=("op_net", "inv_net", "fin_net")),
        Line("opening", _("Cash and cash equivalents at the beginning of the period"), "", BALANCE, level=0),
        Line("fx", _("Effect of exchange rate changes on cash and cash equivalents"), "", ITEM, level=0,
             sources=((Item.FX, IN, 1), (Item.FX, OUT, -1))),
        Line("closing", _("Cash and cash equivalents at the end of the period"), "", TOTAL, level=0,
             formula=("net_change", "opening", "fx")),
    ]


def layout_lines(layout: str, family: str) -> list[Line]:
    """The lines of `layout` ("cn" or "ifrs") for a chart of `family` (cn_enterprise, cn_small, ifrs)."""
    if layout == "ifrs":
        return _ifrs_lines()
    return CN_SMALL if family == "cn_small" else CN_ENTERPRISE

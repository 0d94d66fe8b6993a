"""Accounting demo: CN01 keeps its books on the 企业会计准则 chart, US01 on the IFRS-style one; both have
last year and this year open and a few customers and suppliers; CN01 has some posted history over the
last five months (capital, purchases, sales with VAT, cost of sales, payroll, expenses, receipts).

Idempotent: charts install only what is missing, partners are found by code and entries by reference.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.core import demo
from tessera.core.validators import uscc_check_char
from tessera.partners.models import Partner
from tessera.partners.services import partner_create, payment_terms_default

from .models import Account, FiscalYear, Journal, JournalEntry
from .services.ledger import entry_post_new
from .services.periods import fiscal_year_create
from .services.setup import chart_install

CHARTS = {"CN01": "cn_enterprise", "US01": "ifrs"}

# (code, name, customer, supplier, 17 first characters of the unified social credit code or "")
PARTNERS = {
    "CN01": [
        ("C001", "北京华信科技有限公司", True, False, "91110108MA01HX001"),
        ("C002", "广州南方贸易有限公司", True, False, "91440101MA59NF002"),
        ("C003", "杭州云帆电子商务有限公司", True, False, "91330106MA27YF003"),
        ("S001", "苏州精工制造有限公司", False, True, "91320505MA1JG0004"),
        ("S002", "宁波海通物流有限公司", False, True, "91330201MA2HT0005"),
    ],
    "US01": [
        ("C001", "Northwind Traders", True, False, ""),
        ("C002", "Blue Harbor Retail LLC", True, False, ""),
        ("S001", "Contoso Components Inc.", False, True, ""),
        ("S002", "Fabrikam Logistics", False, True, ""),
    ],
}
PARTNER_COUNTRY = {"CN01": "CN", "US01": "US"}

# CN01's history: (reference, months before this one, day, journal, description, lines); a line is
# (account code, partner code or None, debit, credit).
CN_HISTORY = [
    ("DEMO-01", 5, 3, "BNK", "收到投资者投入资本", [("1002", None, "1000000", 0), ("4001", None, 0, "1000000")]),
    ("DEMO-02", 5, 5, "BNK", "提取备用金", [("1001", None, "20000", 0), ("1002", None, 0, "20000")]),
    ("DEMO-03", 5, 12, "PUR", "向苏州精工采购商品", [
        ("1405", None, "200000", 0), ("22210101", None, "26000", 0), ("220201", "S001", 0, "226000")]),
    ("DEMO-04", 5, 20, "BNK", "支付办公室房租", [
        ("6602", None, "15000", 0), ("22210101", None, "1350", 0), ("1002", None, 0, "16350")]),
    ("DEMO-05", 4, 6, "SAL", "销售商品给北京华信", [
        ("1122", "C001", "169500", 0), ("6001", None, 0, "150000"), ("22210102", None, 0, "19500")]),
    ("DEMO-06", 4, 6, "STK", "结转销售成本", [("6401", None, "100000", 0), ("1405", None, 0, "100000")]),
    ("DEMO-07", 4, 15, "BNK", "支付苏州精工货款", [("220201", "S001", "226000", 0), ("1002", None, 0, "226000")]),
    ("DEMO-08", 4, 25, "PAY", "计提本月工资", [
        ("6601", None, "30000", 0), ("6602", None, "25000", 0), ("2211", None, 0, "55000")]),
    ("DEMO-09", 3, 5, "BNK", "发放工资", [("2211", None, "55000", 0), ("1002", None, 0, "55000")]),
    ("DEMO-10", 3, 8, "BNK", "收到北京华信货款", [("1002", None, "169500", 0), ("1122", "C001", 0, "169500")]),
    ("DEMO-11", 3, 14, "SAL", "销售商品给广州南方", [
        ("1122", "C002", "56500", 0), ("6001", None, 0, "50000"), ("22210102", None, 0, "6500")]),
    ("DEMO-12", 3, 14, "STK", "结转销售成本", [("6401", None, "32000", 0), ("1405", None, 0, "32000")]),
    ("DEMO-13", 2, 4, "PUR", "向宁波海通采购商品", [
        ("1405", None, "80000", 0), ("22210101", None, "10400", 0), ("220201", "S002", 0, "90400")]),
    ("DEMO-14", 2, 9, "CSH", "现金购买办公用品", [("6602", None, "1200", 0), ("1001", None, 0, "1200")]),
    ("DEMO-15", 2, 18, "SAL", "销售商品给杭州云帆", [
        ("1122", "C003", "113000", 0), ("6001", None, 0, "100000"), ("22210102", None, 0, "13000")]),
    ("DEMO-16", 2, 18, "STK", "结转销售成本", [("6401", None, "64000", 0), ("1405", None, 0, "64000")]),
    ("DEMO-17", 2, 28, "BNK", "银行手续费", [("660303", None, "150", 0), ("1002", None, 0, "150")]),
    ("DEMO-18", 1, 3, "CSH", "收到杭州云帆现金货款", [("1001", None, "3000", 0), ("1122", "C003", 0, "3000")]),
    ("DEMO-19", 1, 10, "BNK", "收到广州南方货款", [("1002", None, "56500", 0), ("1122", "C002", 0, "56500")]),
    ("DEMO-20", 1, 16, "STK", "商品已到发票未到，暂估入库", [
        ("1405", None, "30000", 0), ("220202", "S001", 0, "30000")]),
    ("DEMO-21", 1, 21, "BNK", "银行存款利息", [("1002", None, "320", 0), ("660301", None, 0, "320")]),
]


@demo.register(order=20)
def build_accounting(ctx: demo.DemoContext) -> None:
    """Charts, fiscal years (last and this), partners, and CN01's posted history."""
    for code, template in CHARTS.items():
        company = ctx.companies[code]
        result = chart_install(actor=ctx.admin, company=company, template=template, today=ctx.today)
        if result.accounts:
            ctx.out(_("Installed the chart of accounts of %(company)s: %(count)s accounts")
                    % {"company": company.code, "count": result.accounts})
        _fiscal_years(ctx, company)
        _partners(ctx, company)
    _history(ctx, ctx.companies["CN01"])


def _fiscal_years(ctx: demo.DemoContext, company) -> None:
    this_year = company.fiscal_year_of(ctx.today)
    for year in (this_year - 1, this_year):
        start = datetime.date(year, company.fiscal_year_start_month, 1)
        if not FiscalYear.objects.filter(company=company, start_on=start).exists():
            fiscal_year_create(actor=ctx.admin, company=company, year=year)


def _partners(ctx: demo.DemoContext, company) -> dict[str, Partner]:
    terms = {term.code: term for term in payment_terms_default(company)}
    partners = {}
    for code, name, is_customer, is_supplier, uscc in PARTNERS[company.code]:
        partner = Partner.objects.filter(company=company, code=code).first()
        if partner is None:
            partner = partner_create(actor=ctx.admin, company=company, allow_duplicate=True, data={
                "code": code, "name": name, "is_customer": is_customer, "is_supplier": is_supplier,
                "country": PARTNER_COUNTRY[company.code], "tax_id": uscc + uscc_check_char(uscc) if uscc else "",
                "payment_term": terms["NET30"],
            })
        partners[code] = partner
    return partners


def _month_day(today: datetime.date, months_back: int, day: int) -> datetime.date:
    month_index = today.year * 12 + today.month - 1 - months_back
    return datetime.date(month_index // 12, month_index % 12 + 1, min(day, 28))


def _history(ctx: demo.DemoContext, company) -> None:
    partners = {partner.code: partner for partner in Partner.objects.filter(company=company)}
    accounts = {account.code: account for account in Account.objects.filter(company=company)}
    journals = {journal.code: journal for journal in Journal.objects.filter(company=company)}
    done = set(JournalEntry.objects.filter(company=company, reference__startswith="DEMO-")
               .values_list("reference", flat=True))
    posted = 0
    for reference, months_back, day, journal, description, lines in CN_HISTORY:
        if reference in done:
            continue
        entry_post_new(
            actor=ctx.admin, company=company, journal=journals[journal],
            date=_month_day(ctx.today, months_back, day), reference=reference, description=description,
            lines=[{"account": accounts[code], "partner": partners[partner] if partner else None,
                    "debit": Decimal(debit), "credit": Decimal(credit), "description": description}
                   for code, partner, debit, credit in lines],
        )
        posted += 1
    if posted:
        ctx.out(_("Posted %(count)s demo entries in %(company)s") % {"count": posted, "company": company.code})


from . import demo_documents  # noqa: E402,F401  (registers the demo invoices and payments)
from .demo_bank import build_bank  # noqa: E402,F401  (registers the demo bank account and statement)

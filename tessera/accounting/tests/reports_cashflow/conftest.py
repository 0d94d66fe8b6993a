"""Books for the cash-flow tests: ACME on the cn_enterprise chart (fiscal years 2025 and 2026), and
the worked example of March 2026 (figures in test_statement.py).

Before March 2026: capital 100,000.00 paid into the bank (2025-12-01), a cash sale of 5,000.00 in
March 2025 (the previous year's column), a USD bank account 1003 funded with 7,000.00 (USD 1,000).

March 2026                                                       cash       line
  03-02  receivable 11,300 / revenue 10,000, output VAT 1,300         —
  03-10  bank 11,300 / receivable 11,300                        +11,300.00  销售商品、提供劳务收到的现金
  03-03  inventory 5,000, input VAT 650 / payable 5,650               —
  03-12  payable 5,650 / bank 5,650                              −5,650.00  购买商品、接受劳务支付的现金
  03-05  bank 50,000 / short-term loan 50,000                   +50,000.00  取得借款收到的现金
  03-06  cash 2,000 / bank 2,000 (withdrawal)                          0     (not a cash flow)
  03-15  unpaid VAT 800, income tax 200 / bank 1,000             −1,000.00  支付的各项税费
  03-18  bank 300 / income tax 300 (refund)                        +300.00  收到的税费返还
  03-20  fixed assets 20,000 / bank 20,000                      −20,000.00  购建固定资产…支付的现金
  03-24  admin expenses 8,000 / payroll 8,000                          —
  03-25  payroll 8,000 / bank 7,000, IIT withheld 1,000          −7,000.00  支付给职工以及为职工支付的现金
  03-28  bank 1,000, bank charges 100.01 / cash 100, revenue 500,
         other revenue 300, other receivables 200.01                +900.00  sales 719.99, other 180.01
  03-31  interest 250 / bank 250                                   −250.00  分配股利、利润或偿付利息支付的现金
  03-31  USD bank 100 / exchange gain 100 (revaluation)             +100.00  汇率变动对现金的影响
"""

import datetime
from dataclasses import dataclass, field

import pytest

from tessera.accounting.models import Account, Journal
from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.services.periods import fiscal_year_create
from tessera.accounting.services.setup import chart_install
from tessera.core.checks_registry import run_checks
from tessera.core.tests.factories import currency
from tessera.partners.tests.factories import PartnerFactory

D = datetime.date


@dataclass
class CashBooks:
    company: object
    actor: object
    journal: Journal
    customer: object
    supplier: object
    entries: dict = field(default_factory=dict)

    def account(self, code: str) -> Account:
        return Account.objects.get(company=self.company, code=code)

    def post(self, day, *legs, description="", name=None):
        """post(date, (code, "debit", "credit"[, {"currency": ..., "amount_currency": ...}]), ...)."""
        lines = []
        for code, debit, credit, *extra in legs:
            account = self.account(code)
            line = {"account": account, "debit": debit, "credit": credit, **(extra[0] if extra else {})}
            if account.role in ("receivable", "payable", "grir"):
                line["partner"] = self.customer if account.role == "receivable" else self.supplier
            lines.append(line)
        entry = entry_post_new(actor=self.actor, company=self.company, journal=self.journal, date=day, lines=lines,
                               description=description)
        if name:
            self.entries[name] = entry
        return entry


def install(company, actor, template="cn_enterprise") -> CashBooks:
    chart_install(actor=actor, company=company, template=template, today=D(2026, 3, 15))
    fiscal_year_create(actor=actor, company=company, year=2025)
    return CashBooks(company=company, actor=actor, journal=Journal.objects.get(company=company, code="GEN"),
                     customer=PartnerFactory(company=company, code="C001", name="华北贸易"),
                     supplier=PartnerFactory(company=company, code="S001", name="东方纸业", is_customer=False,
                                             is_supplier=True))


@pytest.fixture
def cash_books(company, accountant):
    """ACME on cn_enterprise with a USD bank account 1003; `tessera check-books` must pass after the test."""
    books = install(company, accountant)
    Account.objects.create(company=company, code="1003", name="美元户", name_en="USD bank", type="asset",
                           role="bank", is_reconcilable=True, currency=currency("USD"))
    yield books
    assert run_checks(company) == []


def post_worked_example(books: CashBooks) -> CashBooks:
    usd = {"currency": currency("USD"), "amount_currency": "1000.00"}
    books.post(D(2025, 12, 1), ("1002", "100000.00", "0"), ("4001", "0", "100000.00"), name="capital")
    books.post(D(2025, 3, 10), ("1002", "5000.00", "0"), ("6001", "0", "5000.00"), name="cash_sale_2025")
    books.post(D(2025, 12, 2), ("1003", "7000.00", "0", usd), ("4001", "0", "7000.00"), name="usd_capital")
    books.post(D(2026, 3, 2), ("1122", "11300.00", "0"), ("6001", "0", "10000.00"), ("22210102", "0", "1300.00"),
               name="sale")
    books.post(D(2026, 3, 10), ("1002", "11300.00", "0"), ("1122", "0", "11300.00"), name="collection")
    books.post(D(2026, 3, 3), ("1405", "5000.00", "0"), ("22210101", "650.00", "0"), ("220201", "0", "5650.00"),
               name="purchase")
    books.post(D(2026, 3, 12), ("220201", "5650.00", "0"), ("1002", "0", "5650.00"), name="supplier_payment")
    books.post(D(2026, 3, 5), ("1002", "50000.00", "0"), ("2001", "0", "50000.00"), name="loan")
    books.post(D(2026, 3, 6), ("1001", "2000.00", "0"), ("1002", "0", "2000.00"), name="withdrawal")
    books.post(D(2026, 3, 15), ("222102", "800.00", "0"), ("222103", "200.00", "0"), ("1002", "0", "1000.00"),
               name="taxes")
    books.post(D(2026, 3, 18), ("1002", "300.00", "0"), ("222103", "0", "300.00"), name="tax_refund")
    books.post(D(2026, 3, 20), ("1601", "20000.00", "0"), ("1002", "0", "20000.00"), name="fixed_asset")
    books.post(D(2026, 3, 24), ("6602", "8000.00", "0"), ("2211", "0", "8000.00"), name="payroll_accrual")
    books.post(D(2026, 3, 25), ("2211", "8000.00", "0"), ("1002", "0", "7000.00"), ("222104", "0", "1000.00"),
               name="salaries")
    books.post(D(2026, 3, 28), ("1002", "1000.00", "0"), ("660303", "100.01", "0"), ("1001", "0", "100.00"),
               ("6001", "0", "500.00"), ("6051", "0", "300.00"), ("1221", "0", "200.01"), name="mixed")
    books.post(D(2026, 3, 31), ("660301", "250.00", "0"), ("1002", "0", "250.00"), name="interest")
    books.post(D(2026, 3, 31), ("1003", "100.00", "0"), ("66030201", "0", "100.00"), name="revaluation")
    return books


@pytest.fixture
def worked(cash_books):
    return post_worked_example(cash_books)

"""The purchasing tests' world (shared by every purchasing test; build on it, do not re-create it).

ACME (base CNY) with the Chinese enterprise chart installed (accounts with roles: 1002 bank, 1405
inventory, 220201 payable, 220202 GR/IR, 22210101 input VAT ...; taxes 进项税 13%; journals PUR, BNK,
STK ...), fiscal years 2025-2027 open, modules accounting/inventory/purchasing/approvals live; warehouse
WH (stock location WH/Stock); units pcs and box (= 12 pcs); products: widget (stock, average cost,
bought by the box, 13% input VAT), tea (stock, FIFO, lot-tracked, kg), phone (stock, serial-tracked),
cleaning (a service); suppliers S1 (CNY, 30 days) and S2 (USD); users: purchaser, manager (purchasing
manager), clerk (warehouse clerk), accountant (accounting manager), employee. `p.balance(code)` is an
account's balance (debit - credit) over posted entries; every test ends with check-books clean.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import Sum

from tessera.accounting.models import Account, Journal, JournalEntryLine, Tax
from tessera.accounting.services.setup import account_by_role, chart_install
from tessera.core.checks_registry import run_checks
from tessera.core.models import ExchangeRate
from tessera.core.tests.factories import activate, currency
from tessera.inventory.choices import LocationUsage
from tessera.inventory.services import virtual_location
from tessera.inventory.tests.factories import WarehouseFactory
from tessera.partners.tests.factories import PartnerFactory, PaymentTermFactory
from tessera.products.tests.factories import ProductCategoryFactory, ProductFactory, UomCategoryFactory, UomFactory

D = datetime.date
TODAY = D(2026, 3, 2)


def dec(value) -> Decimal:
    return Decimal(str(value))


@dataclass
class Purchasing:
    company: object
    purchaser: object
    manager: object
    clerk: object
    accountant: object
    employee: object
    warehouse: object
    stock: object  # WH/Stock
    supplier_location: object
    pcs: object
    box: object  # 12 pcs
    kg: object
    widget: object  # stock, average, pcs, bought by the box
    tea: object  # stock, FIFO, lot-tracked, kg
    phone: object  # stock, serial-tracked
    cleaning: object  # service
    vat13: object  # 进项税 13%
    s1: object  # supplier, CNY, 30 days
    s2: object  # supplier, USD
    usd: object
    purchase_journal: object
    bank_journal: object

    def account(self, role: str) -> Account:
        return account_by_role(self.company, role)

    def balance(self, code_or_role: str) -> Decimal:
        """Debit - credit of posted lines on the account with this code and its sub-accounts ("2202" is
        应付账款 with 220201 payable and 220202 GR/IR below it), or on the account of this role."""
        if Account.objects.filter(company=self.company, code=code_or_role).exists():
            lines = JournalEntryLine.objects.filter(account__company=self.company,
                                                    account__code__startswith=code_or_role)
        else:
            lines = JournalEntryLine.objects.filter(account=self.account(code_or_role))
        totals = lines.filter(entry__state="posted").aggregate(debit=Sum("debit"), credit=Sum("credit"))
        return (totals["debit"] or Decimal("0")) - (totals["credit"] or Decimal("0"))


@pytest.fixture
def p(request, company, make_user) -> Purchasing:
    activate(company, "accounting", "inventory", "purchasing", "approvals")
    accountant = make_user("accounting_manager", username="accountant")
    chart_install(actor=accountant, company=company, template="cn_enterprise", today=TODAY)
    from tessera.accounting.services.periods import fiscal_year_create

    for year in (2025, 2027):
        fiscal_year_create(actor=accountant, company=company, year=year)
    usd = currency("USD")
    ExchangeRate.objects.create(currency=usd, quote_currency=company.base_currency, rate_on=D(2025, 1, 1),
                                rate=dec("7.1"))
    warehouse = WarehouseFactory(company=company, code="WH", name="Main warehouse")
    count = UomCategoryFactory(company=company, name="Count")
    pcs = UomFactory(company=company, category=count, name="pcs", ratio=dec(1), is_reference=True)
    box = UomFactory(company=company, category=count, name="box", ratio=dec(12))
    weight = UomCategoryFactory(company=company, name="Weight")
    kg = UomFactory(company=company, category=weight, name="kg", ratio=dec(1), is_reference=True, decimal_places=3)
    vat13 = Tax.objects.get(company=company, kind="purchase", name="进项税 13%")
    goods = ProductCategoryFactory(company=company, name="Goods", costing_method="average",
                                   inventory_account=Account.objects.get(company=company, code="1405"),
                                   expense_account=Account.objects.get(company=company, code="6401"))
    services = ProductCategoryFactory(company=company, name="Services",
                                      expense_account=Account.objects.get(company=company, code="6602"))
    world = Purchasing(
        company=company,
        purchaser=make_user("purchaser", username="buyer"),
        manager=make_user("purchasing_manager", username="buyboss"),
        clerk=make_user("warehouse_clerk", username="clerk"),
        accountant=accountant,
        employee=make_user("employee", username="staff"),
        warehouse=warehouse, stock=warehouse.stock_location,
        supplier_location=virtual_location(company=company, usage=LocationUsage.SUPPLIER),
        pcs=pcs, box=box, kg=kg,
        widget=ProductFactory(company=company, sku="W-1", name="小部件", name_en="Widget", category=goods, uom=pcs,
                              purchase_uom=box, standard_cost=dec(5), purchase_tax=vat13),
        tea=ProductFactory(company=company, sku="TEA", name="茶叶", name_en="Tea", category=goods, uom=kg,
                           costing_method="fifo", tracking="lot", purchase_tax=vat13),
        phone=ProductFactory(company=company, sku="PH", name="手机", name_en="Phone", category=goods, uom=pcs,
                             tracking="serial", purchase_tax=vat13),
        cleaning=ProductFactory(company=company, sku="SV-CLEAN", name="保洁服务", name_en="Cleaning",
                                category=services, uom=pcs, type="service"),
        vat13=vat13,
        s1=PartnerFactory(company=company, code="S1", name="上海供应商有限公司", is_customer=False, is_supplier=True,
                          payment_term=PaymentTermFactory(company=company)),
        s2=PartnerFactory(company=company, code="S2", name="Acme Supply Inc.", is_customer=False, is_supplier=True,
                          country="US", currency=usd),
        usd=usd,
        purchase_journal=Journal.objects.get(company=company, kind="purchase"),
        bank_journal=Journal.objects.filter(company=company, kind="bank").first(),
    )
    yield world
    if request.node.get_closest_marker("corrupts_books") is None:
        assert run_checks(company) == []

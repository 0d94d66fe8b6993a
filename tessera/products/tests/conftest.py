"""Fixtures of the products tests: ACME with the standard units and a box of 12, a few accounts of the
Chinese chart, VAT rates, a category tree carrying accounts, and users who may or may not change products."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tessera.products.models import Uom
from tessera.products.services import uom_defaults_install

from .factories import AccountFactory, ProductCategoryFactory, ProductFactory, TaxFactory, UomFactory


@pytest.fixture
def manager(make_user):
    """May create and change products (the sales manager's role)."""
    return make_user("sales_manager", username="manager1")


@pytest.fixture
def salesperson_user(make_user):
    """May view products only."""
    return make_user("salesperson", username="sally1")


@pytest.fixture
def units(company) -> dict[str, Uom]:
    """The standard units of ACME by name, plus 箱 (a box of 12 pieces)."""
    uom_defaults_install(company=company)
    found = {uom.name: uom for uom in Uom.objects.filter(company=company).select_related("category")}
    found["箱"] = UomFactory(company=company, category=found["件"].category, name="箱", name_en="Box of 12",
                            symbol="box", ratio=Decimal("12"), decimal_places=0)
    return found


@dataclass
class Chart:
    inventory: object  # 1405 库存商品, asset
    revenue: object  # 6001 主营业务收入, income
    cogs: object  # 6401 主营业务成本, expense
    admin: object  # 6602 管理费用, expense
    production: object  # 5001 生产成本, cost
    gains: object  # 1901 待处理财产损溢, asset
    receivable: object  # 1122 应收账款, asset
    materials: object  # 1403 原材料: a parent account
    vat13: object
    vat6: object
    input13: object
    input6: object


@pytest.fixture
def chart(company) -> Chart:
    def account(code, name, type_, parent=None):
        return AccountFactory(company=company, code=code, name=name, type=type_, parent=parent)

    materials = account("1403", "原材料", "asset")
    account("140301", "原材料-主料", "asset", materials)
    return Chart(
        inventory=account("1405", "库存商品", "asset"), revenue=account("6001", "主营业务收入", "income"),
        cogs=account("6401", "主营业务成本", "expense"), admin=account("6602", "管理费用", "expense"),
        production=account("5001", "生产成本", "cost"), gains=account("1901", "待处理财产损溢", "asset"),
        receivable=account("1122", "应收账款", "asset"), materials=materials,
        vat13=TaxFactory(company=company, kind="sales", name="销项税 13%", rate=Decimal("13")),
        vat6=TaxFactory(company=company, kind="sales", name="销项税 6%", rate=Decimal("6")),
        input13=TaxFactory(company=company, kind="purchase", name="进项税 13%", rate=Decimal("13")),
        input6=TaxFactory(company=company, kind="purchase", name="进项税 6%", rate=Decimal("6")),
    )


@pytest.fixture
def goods(company, chart):
    """商品 (FIFO, inventory 1405, income 6001, expense 6401) with 电子产品 below it, which sets nothing."""
    root = ProductCategoryFactory(company=company, name="商品", name_en="Goods", costing_method="fifo",
                                  inventory_account=chart.inventory, income_account=chart.revenue,
                                  expense_account=chart.cogs)
    return root


@pytest.fixture
def electronics(company, goods):
    return ProductCategoryFactory(company=company, name="电子产品", name_en="Electronics", parent=goods)


@pytest.fixture
def product(company, units, electronics, chart):
    return ProductFactory(company=company, sku="EL-001", name="无线鼠标", name_en="Wireless mouse",
                          category=electronics, uom=units["件"], purchase_uom=units["箱"], barcode="6901234567892",
                          list_price=Decimal("99"), standard_cost=Decimal("45"), sales_tax=chart.vat13,
                          purchase_tax=chart.input13)

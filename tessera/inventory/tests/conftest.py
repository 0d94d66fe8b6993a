"""Fixtures of the inventory tests: ACME with the inventory module live, a warehouse clerk, warehouse WH
(WH/Stock with shelves A and B), the virtual locations, and products: pieces (with a box of 12), a lot-tracked
product with expiry dates, a serial-tracked product, a consumable. `receive`/`ship` make stock through the
move services; every test ends with the check-books invariants holding."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tessera.accounting.tests.factories import AccountFactory, JournalFactory, make_ledger
from tessera.core.checks_registry import run_checks
from tessera.core.tests.factories import activate
from tessera.inventory.choices import LocationUsage
from tessera.inventory.services import move_create, move_done, virtual_location
from tessera.products.models import Uom
from tessera.products.tests.factories import ProductCategoryFactory, ProductFactory, UomCategoryFactory, UomFactory

from .factories import LocationFactory, WarehouseFactory

D = datetime.date
TODAY = D(2026, 3, 2)


def dec(value) -> Decimal:
    return Decimal(str(value))


@dataclass
class Stock:
    company: object
    clerk: object
    warehouse: object
    stock: object  # WH/Stock
    shelf_a: object  # WH/Stock/A
    shelf_b: object  # WH/Stock/B
    supplier: object
    customer: object
    loss: object
    pcs: Uom
    box: Uom  # a box of 12 pieces
    widget: object  # pieces, not tracked
    tea: object  # tracked by lot, kilograms with 3 decimals
    phone: object  # tracked by serial number
    carton: object  # a consumable


@pytest.fixture
def clerk(make_user, company):
    activate(company, "inventory")
    return make_user("warehouse_clerk", username="clerk1")


@pytest.fixture
def books(company, make_user):
    """ACME's books (fiscal years 2025-2027, the stock journal, inventory, GR/IR, cost of goods sold and the
    inventory gain/loss account): done moves are valued and posted."""
    activate(company, "accounting")
    ledger = make_ledger(company, make_user("accounting_manager", username="finance1"))
    JournalFactory(company=company, code="STK", name="Stock", kind="stock")
    accounts = {code: AccountFactory(company=company, code=code, name=name, type=type_, role=role)
                for code, name, type_, role in (("1405", "库存商品", "asset", "inventory"),
                                                ("2202-GR", "暂估应付", "liability", "grir"),
                                                ("6401", "主营业务成本", "expense", ""),
                                                ("1901", "待处理财产损溢", "asset", ""))}
    return ledger, accounts


@pytest.fixture
def stock(request, company, clerk, books) -> Stock:
    _ledger, accounts = books
    warehouse = WarehouseFactory(company=company, code="WH", name="Main warehouse")
    count = UomCategoryFactory(company=company, name="Count")
    pcs = UomFactory(company=company, category=count, name="pcs", ratio=Decimal("1"), is_reference=True)
    box = UomFactory(company=company, category=count, name="box", ratio=Decimal("12"))
    weight = UomCategoryFactory(company=company, name="Weight")
    kg = UomFactory(company=company, category=weight, name="kg", ratio=Decimal("1"), is_reference=True,
                    decimal_places=3)
    category = ProductCategoryFactory(company=company, name="Goods", costing_method="average",
                                      inventory_account=accounts["1405"], expense_account=accounts["6401"],
                                      stock_adjustment_account=accounts["1901"])
    data = Stock(
        company=company, clerk=clerk, warehouse=warehouse, stock=warehouse.stock_location,
        shelf_a=LocationFactory(company=company, parent=warehouse.stock_location, name="A"),
        shelf_b=LocationFactory(company=company, parent=warehouse.stock_location, name="B"),
        supplier=virtual_location(company=company, usage=LocationUsage.SUPPLIER),
        customer=virtual_location(company=company, usage=LocationUsage.CUSTOMER),
        loss=virtual_location(company=company, usage=LocationUsage.INVENTORY),
        pcs=pcs, box=box,
        widget=ProductFactory(company=company, sku="W-1", name="Widget", category=category, uom=pcs),
        tea=ProductFactory(company=company, sku="TEA", name="Tea", category=category, uom=kg, tracking="lot"),
        phone=ProductFactory(company=company, sku="PH", name="Phone", category=category, uom=pcs, tracking="serial"),
        carton=ProductFactory(company=company, sku="CT", name="Carton", category=category, uom=pcs,
                              type="consumable"),
    )
    yield data
    if request.node.get_closest_marker("corrupts_books") is None:
        assert run_checks(company) == []


def receive(stock: Stock, product, quantity, *, location=None, lot_name=None, expiry_on=None, date=TODAY,
            uom=None, lines=None, unit_cost="10"):
    """A done receipt from the supplier location (at 10.00 per stock unit)."""
    move = move_create(actor=stock.clerk, company=stock.company, data={
        "product": product, "quantity": dec(quantity), "uom": uom or product.uom, "location": stock.supplier,
        "location_dest": location or stock.stock, "date": date, "reference": "IN", "unit_cost": dec(unit_cost)})
    if lot_name is not None and lines is None:
        lines = [{"quantity": dec(quantity), "lot_name": lot_name, "expiry_on": expiry_on}]
    return move_done(actor=stock.clerk, move=move, lines=lines)


def outgoing(stock: Stock, product, quantity, *, location=None, destination=None, date=TODAY, uom=None, lot=None):
    """A draft move out of WH/Stock (or `location`) to the customer."""
    data = {"product": product, "quantity": dec(quantity), "uom": uom or product.uom,
            "location": location or stock.stock, "location_dest": destination or stock.customer, "date": date,
            "reference": "OUT"}
    if lot is not None:
        data["lot"] = lot
    return move_create(actor=stock.clerk, company=stock.company, data=data)

"""Fixtures of the valuation tests: ACME on the cn_enterprise chart (fiscal year 2026, accounting and
inventory live), warehouse VW with its stock location, the supplier / customer / inventory-loss locations,
the category "Goods" (inventory 1405, cost of goods sold 6401, gain/loss 1901) with a moving-average and a
FIFO product, a supplier and a customer.

`Valued.move()` writes a done move as the stock engine leaves it (state done, `product_quantity` set) and
values it with `valuation_move_done`, so these tests do not depend on the stock engine's services (the
end-to-end tests go through `move_done`). Every test ends with `tessera check-books` finding nothing."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import Sum

from tessera.accounting.models import Account, JournalEntryLine
from tessera.accounting.services.setup import chart_install
from tessera.core.checks_registry import run_checks
from tessera.core.tests.factories import activate
from tessera.inventory.choices import LocationUsage, MoveState
from tessera.inventory.models import Location, ProductCost, StockMove, ValuationLayer, Warehouse
from tessera.inventory.services.valuation import valuation_move_done
from tessera.partners.tests.factories import PartnerFactory
from tessera.products.tests.factories import ProductCategoryFactory, ProductFactory, UomFactory

D = datetime.date
DAY = D(2026, 3, 2)


def dec(value) -> Decimal:
    return Decimal(str(value))


@dataclass
class Valued:
    company: object
    actor: object
    warehouse: Warehouse
    stock: Location
    supplier: Location
    customer: Location
    loss: Location
    category: object
    average: object  # moving average, standard cost 4.00
    fifo: object  # FIFO, standard cost 4.00
    vendor: object  # a supplier partner
    buyer: object  # a customer partner
    inventory: Account  # 1405
    grir: Account  # 220202
    cogs: Account  # 6401
    adjustment: Account  # 1901

    def move(self, product, quantity, source, destination, *, date=DAY, unit_cost=None, partner=None, origin=None,
             reference="") -> StockMove:
        """A done move of `quantity` (product's unit), valued; returned fresh from the database."""
        move = StockMove.objects.create(
            company=self.company, product=product, quantity=dec(quantity), uom=product.uom,
            product_quantity=dec(quantity), location=source, location_dest=destination, date=date,
            state=MoveState.DONE, unit_cost=None if unit_cost is None else dec(unit_cost), partner=partner,
            origin_move=origin, reference=reference)
        valuation_move_done(actor=self.actor, move=move)
        move.refresh_from_db()
        return move

    def receive(self, product, quantity, unit_cost, *, date=DAY, reference="IN") -> StockMove:
        return self.move(product, quantity, self.supplier, self.stock, date=date, unit_cost=unit_cost,
                         partner=self.vendor, reference=reference)

    def deliver(self, product, quantity, *, date=DAY, reference="OUT") -> StockMove:
        return self.move(product, quantity, self.stock, self.customer, date=date, partner=self.buyer,
                         reference=reference)

    def lose(self, product, quantity, *, date=DAY) -> StockMove:
        return self.move(product, quantity, self.stock, self.loss, date=date, reference="LOSS")

    def gain(self, product, quantity, *, date=DAY) -> StockMove:
        return self.move(product, quantity, self.loss, self.stock, date=date, reference="GAIN")

    def cost(self, product) -> ProductCost:
        return ProductCost.objects.get(product=product)

    def balance(self, account: Account, as_of: datetime.date | None = None) -> Decimal:
        """Debit minus credit of the posted lines on `account` (up to `as_of`)."""
        lines = JournalEntryLine.objects.filter(account=account, is_posted=True)
        if as_of is not None:
            lines = lines.filter(date__lte=as_of)
        totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
        return (totals["debit"] or Decimal("0")) - (totals["credit"] or Decimal("0"))

    def balances(self, as_of=None) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """(inventory 1405, GR/IR, cost of goods sold 6401, gain/loss 1901)."""
        return tuple(self.balance(account, as_of) for account in (self.inventory, self.grir, self.cogs,
                                                                    self.adjustment))

    def layers(self, product) -> list[tuple]:
        """The product's layers as (quantity, value, remaining quantity, remaining value), in order."""
        return [(layer.quantity, layer.value, layer.remaining_quantity, layer.remaining_value)
                for layer in ValuationLayer.objects.filter(product=product).order_by("date", "pk")]


@pytest.fixture
def actor(make_user, company):
    activate(company, "accounting", "inventory")
    return make_user("accounting_manager", "warehouse_clerk", username="valuer1")


@pytest.fixture
def valued(request, company, actor) -> Valued:
    chart_install(actor=actor, company=company, template="cn_enterprise", today=D(2026, 3, 15))

    def account(code):
        return Account.objects.get(company=company, code=code)

    warehouse = Warehouse.objects.create(company=company, code="VW", name="Valued warehouse")
    view = Location.objects.create(company=company, warehouse=warehouse, name="VW", full_name="VW",
                                   usage=LocationUsage.VIEW)
    stock = Location.objects.create(company=company, warehouse=warehouse, parent=view, name="Stock",
                                    full_name="VW/Stock", usage=LocationUsage.INTERNAL)
    warehouse.view_location, warehouse.stock_location = view, stock
    warehouse.save()

    def virtual(usage, name):
        return Location.objects.get_or_create(company=company, full_name=name,
                                              defaults={"name": name.split("/")[-1], "usage": usage})[0]

    inventory, cogs, adjustment = account("1405"), account("6401"), account("1901")
    category = ProductCategoryFactory(company=company, name="Goods", costing_method="average",
                                      inventory_account=inventory, expense_account=cogs,
                                      stock_adjustment_account=adjustment, income_account=account("6001"))
    pcs = UomFactory(company=company, name="pcs", is_reference=True)
    data = Valued(
        company=company, actor=actor, warehouse=warehouse, stock=stock,
        supplier=virtual(LocationUsage.SUPPLIER, "Partners/Suppliers"),
        customer=virtual(LocationUsage.CUSTOMER, "Partners/Customers"),
        loss=virtual(LocationUsage.INVENTORY, "Virtual/Inventory loss"),
        category=category,
        average=ProductFactory(company=company, sku="AVG", name="均价商品", name_en="Average item",
                               category=category, uom=pcs, standard_cost=Decimal("4")),
        fifo=ProductFactory(company=company, sku="FIFO", name="先进先出商品", name_en="FIFO item", category=category,
                            uom=pcs, costing_method="fifo", standard_cost=Decimal("4")),
        vendor=PartnerFactory(company=company, code="S001", name="Dongfang Paper", is_customer=False,
                              is_supplier=True),
        buyer=PartnerFactory(company=company, code="C001", name="Huaxin Trading"),
        inventory=inventory, grir=account("220202"), cogs=cogs, adjustment=adjustment,
    )
    yield data
    if request.node.get_closest_marker("corrupts_books") is None:
        assert run_checks(company) == []

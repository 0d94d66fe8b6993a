"""Orders ready to receive, built through the orders services (shared by the receipt and return tests)."""

from decimal import Decimal

from tessera.inventory.models import StockQuant
from tessera.purchasing.services.orders import order_confirm, order_create
from tessera.purchasing.services.settings import purchase_settings

from ..conftest import TODAY


def confirmed_order(p, *lines, partner=None, date=TODAY, **data):
    """A confirmed order of `lines` ({product, quantity, unit_price, ...}; ids filled in) from S1 (default)."""
    rows = [{key: getattr(value, "pk", value) for key, value in line.items()} for line in lines]
    order = order_create(actor=p.manager, company=p.company, data={
        "partner": (partner or p.s1).pk, "warehouse": p.warehouse.pk, "date": date, **data}, lines=rows)
    return order_confirm(actor=p.manager, order=order)


def widget_order(p, boxes="10", price="120"):
    """10 boxes of widgets at 120 CNY a box (10 CNY a piece), 13% VAT."""
    return confirmed_order(p, {"product": p.widget, "quantity": boxes, "unit_price": price})


def on_hand(p, product, lot=None) -> Decimal:
    """What WH/Stock holds of `product` (of `lot`), in the product's unit."""
    quants = StockQuant.objects.filter(product=product, location=p.stock)
    if lot is not None:
        quants = quants.filter(lot__name=lot)
    return sum((quant.quantity for quant in quants), Decimal("0"))


def set_tolerance(p, percent) -> None:
    settings = purchase_settings(p.company)
    settings.over_receipt_percent = Decimal(percent)
    settings.save()


def line_of(order, product):
    return order.lines.get(product=product)

"""Purchasing documents written straight to the tables, for the read-only report tests: orders in a given
state with their line totals, receipts and returns that keep the lines' received/returned quantities in
step. No stock moves or entries are made (the reports read only the purchasing tables)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from tessera.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    SupplierReturn,
    SupplierReturnLine,
)

CENT = Decimal("0.01")


def dec(value) -> Decimal:
    return Decimal(str(value))


def make_order(p, *, partner, date: datetime.date, state: str, number: str = "", expected_on=None,
               lines=()) -> PurchaseOrder:
    """An order with `lines` = [(product, quantity, uom, unit price, discount %, expected_on)], untaxed."""
    order = PurchaseOrder.objects.create(
        company=p.company, number=number or None, partner=partner, date=date, expected_on=expected_on,
        warehouse=p.warehouse, currency=partner.currency or p.company.base_currency, state=state, buyer=p.purchaser)
    total = Decimal("0")
    for sequence, (product, quantity, uom, price, discount, due) in enumerate(lines, start=1):
        subtotal = (dec(quantity) * dec(price) * (1 - dec(discount) / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
        PurchaseOrderLine.objects.create(
            company=p.company, order=order, sequence=sequence, product=product, description=product.name,
            quantity=dec(quantity), uom=uom, unit_price=dec(price), discount=dec(discount), expected_on=due,
            subtotal=subtotal, total=subtotal)
        total += subtotal
    order.total_untaxed = order.total = total
    order.save(update_fields=["total_untaxed", "total"])
    return order


def make_receipt(p, *, order, date: datetime.date, number: str, lines) -> Receipt:
    """A done receipt of `lines` = [(order line, quantity)], raising the lines' received quantities."""
    receipt = Receipt.objects.create(company=p.company, order=order, number=number, date=date,
                                     received_by=p.clerk)
    for line, quantity in lines:
        ReceiptLine.objects.create(company=p.company, receipt=receipt, order_line=line, quantity=dec(quantity))
        line.quantity_received += dec(quantity)
        line.save(update_fields=["quantity_received"])
    return receipt


def make_return(p, *, partner, order, date: datetime.date, number: str, lines, quality: bool = True
                ) -> SupplierReturn:
    """A done return of `lines` = [(order line, quantity)] in the lines' units, raising their returned
    quantities."""
    supplier_return = SupplierReturn.objects.create(
        company=p.company, number=number, partner=partner, order=order, warehouse=p.warehouse, date=date,
        reason="Damaged" if quality else "Ordered too many", is_quality_issue=quality, state="done")
    for line, quantity in lines:
        SupplierReturnLine.objects.create(company=p.company, supplier_return=supplier_return, order_line=line,
                                          product=line.product, quantity=dec(quantity), uom=line.uom)
        line.quantity_returned += dec(quantity)
        line.save(update_fields=["quantity_returned"])
    return supplier_return

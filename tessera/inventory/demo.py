"""Inventory demo: CN01's two warehouses, 上海总仓 (SH, with zones and shelves) and 北京仓 (BJ), and their opening
stock received from the supplier location at each product's standard cost — lots with expiry dates for the
tea and the earphones, serial numbers for the monitors — so the stock, ledger and trace screens have data.

Runs after the products demo. Idempotent: warehouses are found by code, locations by full name, and the
opening receipts (reference "OPENING") are made once.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.core import demo
from tessera.products.models import Product

from .choices import LocationUsage
from .models import Location, StockMove, Warehouse
from .services import location_create, move_confirm, move_create, move_done, virtual_location, warehouse_create

WAREHOUSES = [("SH", "上海总仓", "上海市浦东新区张江路88号"), ("BJ", "北京仓", "北京市大兴区物流园3号库")]
# (parent full name, name, barcode)
LOCATIONS = [("SH/Stock", "A区", "SH-A"), ("SH/Stock/A区", "A-01", "SH-A-01"), ("SH/Stock/A区", "A-02", "SH-A-02"),
             ("SH/Stock", "B区", "SH-B"), ("SH/Stock", "冷藏区", "SH-COLD"), ("BJ/Stock", "01", "BJ-01")]
# (sku, location, quantity, [(lot or serial, expiry date)])
OPENING = [
    ("EL-001", "SH/Stock/A区/A-01", "120", []),
    ("EL-002", "SH/Stock/A区/A-02", "40", []),
    ("EL-004", "SH/Stock/B区", "300", []),
    ("OF-001", "SH/Stock/B区", "80", []),
    ("OF-002", "SH/Stock/B区", "500", []),
    ("EL-001", "BJ/Stock/01", "30", []),
    ("EL-005", "SH/Stock/A区/A-02", "25", [("EP-2601", None)]),
    ("EL-005", "SH/Stock/A区/A-02", "15", [("EP-2602", None)]),
    ("FD-001", "SH/Stock/冷藏区", "12.500", [("LJ-2025-A", "expiry_soon")]),
    ("FD-001", "SH/Stock/冷藏区", "20.000", [("LJ-2026-A", "expiry_late")]),
    ("EL-003", "SH/Stock/A区/A-01", "3", [("MN-0001", None), ("MN-0002", None), ("MN-0003", None)]),
]


@demo.register(order=30)
def build_inventory(ctx: demo.DemoContext) -> None:
    """CN01's warehouses, locations and opening stock."""
    company = ctx.companies["CN01"]
    for code, name, address in WAREHOUSES:
        if not Warehouse.objects.filter(company=company, code=code).exists():
            warehouse_create(actor=ctx.admin, company=company, data={"code": code, "name": name, "address": address})
            ctx.out(_("Created warehouse %(code)s %(name)s") % {"code": code, "name": name})
    for parent, name, barcode in LOCATIONS:
        if not Location.objects.filter(company=company, full_name=f"{parent}/{name}").exists():
            location_create(actor=ctx.admin, company=company, data={
                "name": name, "parent": Location.objects.get(company=company, full_name=parent), "barcode": barcode})
    virtual_location(company=company, usage=LocationUsage.CUSTOMER)
    virtual_location(company=company, usage=LocationUsage.INVENTORY)
    if StockMove.objects.filter(company=company, reference="OPENING").exists():
        return
    _opening(ctx, company)


def _opening(ctx, company) -> None:
    supplier = virtual_location(company=company, usage=LocationUsage.SUPPLIER)
    day = ctx.today.replace(day=1)
    expiry = {"expiry_soon": ctx.today + datetime.timedelta(days=45),
              "expiry_late": ctx.today + datetime.timedelta(days=400), None: None}
    for sku, place, quantity, lots in OPENING:
        product = Product.objects.filter(company=company, sku=sku).first()
        if product is None:
            continue
        move = move_create(actor=ctx.admin, company=company, data={
            "product": product, "quantity": Decimal(quantity), "location": supplier,
            "location_dest": Location.objects.get(company=company, full_name=place), "date": day,
            "reference": "OPENING", "description": _("Opening stock"), "unit_cost": product.standard_cost})
        move = move_confirm(actor=ctx.admin, move=move)
        lines = None
        if lots:
            each = Decimal(quantity) / len(lots)
            lines = [{"quantity": each, "lot_name": name, "expiry_on": expiry[when]} for name, when in lots]
        move_done(actor=ctx.admin, move=move, lines=lines)
    ctx.out(_("Received the opening stock of %(company)s") % {"company": company.code})

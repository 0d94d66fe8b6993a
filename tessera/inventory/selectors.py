"""Reads of the inventory app: lists scoped to the user, stock on hand, availability, the stock ledger and
lot traceability.

Stock figures come from the quants (a few rows per product and location), never from summing the
ledger; the ledger selectors read the done move lines.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from tessera.core.models import Company
from tessera.core.selectors import model_list

from .choices import LocationUsage, MoveState
from .models import Location, Lot, ProductCost, StockMove, StockMoveLine, StockQuant, Warehouse

ZERO = Decimal("0")
CENT = Decimal("0.01")
QUANTUM = Decimal("0.0001")  # the quantity fields' decimal places
GROUPS = ("product", "warehouse", "location", "lot")
OPEN_MOVE_STATES = (MoveState.CONFIRMED, MoveState.ASSIGNED)


def _pk(value) -> int | None:
    return getattr(value, "pk", value) if value not in (None, "") else None


# --- Lists ---------------------------------------------------------------------------------------


def warehouse_list(user, company: Company | None) -> QuerySet[Warehouse]:
    """The company's warehouses (inventory.view_warehouse)."""
    return model_list(user, Warehouse, company).select_related("view_location", "stock_location")


def location_list(user, company: Company | None) -> QuerySet[Location]:
    """The company's locations, in path order (inventory.view_location)."""
    return model_list(user, Location, company).select_related("warehouse", "parent").order_by("full_name")


def lot_list(user, company: Company | None) -> QuerySet[Lot]:
    """Lots and serial numbers (inventory.view_lot)."""
    return model_list(user, Lot, company).select_related("product")


def move_list(user, company: Company | None) -> QuerySet[StockMove]:
    """Stock moves, newest first (inventory.view_stockmove)."""
    return model_list(user, StockMove, company).select_related(
        "product__uom", "uom", "location", "location_dest", "lot", "partner").order_by("-date", "-pk")


def location_scope(*, company: Company, warehouse=None, location=None) -> Q:
    """Locations that hold stock in a scope (for quant and line queries, prefix the field names yourself):
    a location and those below it (any usage), else a warehouse's internal locations, else all the
    company's internal locations."""
    if location is not None:
        location = location if isinstance(location, Location) else Location.objects.get(pk=location)
        return Q(company=company) & (Q(pk=location.pk) | Q(full_name__startswith=location.full_name + "/"))
    scope = Q(company=company, usage=LocationUsage.INTERNAL)
    if warehouse is not None:
        scope &= Q(warehouse_id=_pk(warehouse))
    return scope


def _scoped_location_ids(company, warehouse=None, location=None) -> QuerySet:
    return Location.objects.filter(location_scope(company=company, warehouse=warehouse, location=location)) \
        .values("pk")


# --- Stock on hand -------------------------------------------------------------------------------


def unit_values(company: Company, product_ids) -> dict[int, Decimal]:
    """Value of one stock unit per product: the valued stock's value over its quantity (moving average, or
    what FIFO layers still hold), else the average cost; products never valued are absent."""
    values = {}
    for cost in ProductCost.objects.filter(company=company, product_id__in=list(product_ids)):
        values[cost.product_id] = cost.value / cost.quantity if cost.quantity else cost.average_cost
    return values


def stock_rows(company: Company, *, product=None, warehouse=None, location=None, lot=None,
               group_by=("product", "warehouse")) -> list[dict]:
    """On hand, reserved, available and value of the company's stock, grouped by any of product, warehouse,
    location, lot (those not grouped by are None in the rows). Filters: product, warehouse (its internal
    locations), location (it and those below it, any usage: a transit location too), lot. Rows where on hand
    and reserved are both zero are left out. Values are in the company's currency, rounded to the cent."""
    group_by = tuple(name for name in GROUPS if name in group_by)
    quants = StockQuant.objects.filter(company=company, location__in=_scoped_location_ids(company, warehouse,
                                                                                           location))
    if product is not None:
        quants = quants.filter(product_id=_pk(product))
    if lot is not None:
        quants = quants.filter(lot_id=_pk(lot))
    fields = {"product": "product_id", "warehouse": "location__warehouse_id", "location": "location_id",
              "lot": "lot_id"}
    keys = ["product_id", *(fields[name] for name in group_by if name != "product")]
    raw = list(quants.values(*keys).annotate(on_hand=Sum("quantity"), reserved=Sum("reserved")).order_by(*keys))
    unit = unit_values(company, {row["product_id"] for row in raw})
    merged: dict[tuple, dict] = {}
    for row in raw:
        key = tuple(row[fields[name]] for name in group_by)
        out = merged.setdefault(key, {**{name: None for name in GROUPS},
                                      **{name: row[fields[name]] for name in group_by},
                                      "on_hand": ZERO, "reserved": ZERO, "value": ZERO})
        out["on_hand"] += row["on_hand"]
        out["reserved"] += row["reserved"]
        out["value"] += row["on_hand"] * unit.get(row["product_id"], ZERO)
    rows = []
    for out in merged.values():
        if not out["on_hand"] and not out["reserved"]:
            continue
        for name in ("on_hand", "reserved"):
            out[name] = out[name].quantize(QUANTUM)  # the same digits on every database
        out["available"] = out["on_hand"] - out["reserved"]
        out["value"] = out["value"].quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append(out)
    return rows


def stock_totals(rows: list[dict]) -> dict:
    """The sums of stock rows (on hand, reserved, available are meaningful for one product only)."""
    return {name: sum((row[name] for row in rows), ZERO) for name in ("on_hand", "reserved", "available", "value")}


def product_on_hand(company: Company, product, warehouse=None, location=None) -> Decimal:
    """Quantity on hand (product's unit) in the company's internal locations, a warehouse or a location."""
    total = StockQuant.objects.filter(company=company, product_id=_pk(product),
                                      location__in=_scoped_location_ids(company, warehouse, location)) \
        .aggregate(total=Sum("quantity"))["total"]
    return total or ZERO


def product_available(company: Company, product, warehouse=None, location=None) -> Decimal:
    """On hand less reserved (product's unit) in the company's internal locations, a warehouse or a
    location and those below it."""
    totals = StockQuant.objects.filter(company=company, product_id=_pk(product),
                                       location__in=_scoped_location_ids(company, warehouse, location)) \
        .aggregate(quantity=Sum("quantity"), reserved=Sum("reserved"))
    return (totals["quantity"] or ZERO) - (totals["reserved"] or ZERO)


def _open_moves(company, product, warehouse, date_to):
    moves = StockMove.objects.filter(company=company, product_id=_pk(product), state__in=OPEN_MOVE_STATES)
    if date_to is not None:
        moves = moves.filter(date__lte=date_to)
    return moves, _scoped_location_ids(company, warehouse)


def product_incoming(company: Company, product, warehouse=None, *, date_to: datetime.date | None = None) -> Decimal:
    """What open (confirmed or assigned) moves will bring into the warehouse (or the company's internal
    locations) from outside it, in the product's unit; with `date_to`, only moves dated up to then."""
    moves, scope = _open_moves(company, product, warehouse, date_to)
    total = moves.filter(location_dest__in=scope).exclude(location__in=scope) \
        .aggregate(total=Sum("product_quantity"))["total"]
    return total or ZERO


def product_outgoing(company: Company, product, warehouse=None, *, date_to: datetime.date | None = None) -> Decimal:
    """What open moves will take out of the warehouse and have not reserved yet (reserved stock is already
    out of `product_available`), in the product's unit."""
    moves, scope = _open_moves(company, product, warehouse, date_to)
    totals = moves.filter(location__in=scope).exclude(location_dest__in=scope) \
        .aggregate(quantity=Sum("product_quantity"), reserved=Sum("reserved_quantity"))
    return (totals["quantity"] or ZERO) - (totals["reserved"] or ZERO)


# --- Ledger and traceability ---------------------------------------------------------------------


@dataclass
class LedgerRow:
    line: StockMoveLine
    quantity_in: Decimal
    quantity_out: Decimal
    balance: Decimal
    value: Decimal | None  # the move's value share (signed), once valuation has valued it


def stock_ledger(company: Company, product, *, warehouse=None, location=None, lot=None,
                 date_from: datetime.date | None = None, date_to: datetime.date | None = None
                 ) -> tuple[Decimal, list[LedgerRow]]:
    """The stock card of a product: the opening quantity before `date_from` and every done line into or out
    of the scope (the company's internal locations, a warehouse's, or a location and those below it) in date
    order, with quantity in, out and the running balance. Lines inside the scope show in and out alike."""
    scope = set(Location.objects.filter(location_scope(company=company, warehouse=warehouse, location=location))
                .values_list("pk", flat=True))
    lines = StockMoveLine.objects.filter(company=company, product_id=_pk(product), is_done=True).filter(
        Q(location_id__in=scope) | Q(location_dest_id__in=scope))
    if lot is not None:
        lines = lines.filter(lot_id=_pk(lot))
    opening = ZERO
    if date_from is not None:
        before = lines.filter(date__lt=date_from)
        into = before.filter(location_dest_id__in=scope).aggregate(total=Sum("quantity"))["total"] or ZERO
        out = before.filter(location_id__in=scope).aggregate(total=Sum("quantity"))["total"] or ZERO
        opening = into - out
        lines = lines.filter(date__gte=date_from)
    if date_to is not None:
        lines = lines.filter(date__lte=date_to)
    balance, rows = opening, []
    for line in lines.select_related("move", "location", "location_dest", "lot").order_by("date", "move_id", "pk"):
        quantity_in = line.quantity if line.location_dest_id in scope else ZERO
        quantity_out = line.quantity if line.location_id in scope else ZERO
        balance += quantity_in - quantity_out
        move = line.move
        value = None
        if move.value and move.product_quantity:
            share = (abs(move.value) * line.quantity / move.product_quantity).quantize(CENT, rounding=ROUND_HALF_UP)
            value = share if quantity_in > quantity_out else -share if quantity_out > quantity_in else ZERO
        rows.append(LedgerRow(line, quantity_in, quantity_out, balance, value))
    return opening, rows


def lot_trace(lot: Lot) -> list[StockMoveLine]:
    """Where lot (or serial number) X came from and went: every done line of the lot in date order, with its
    move (reference, source document, partner) and the locations it left and reached."""
    return list(StockMoveLine.objects.filter(lot=lot, is_done=True).select_related(
        "move__partner", "location", "location_dest").order_by("date", "move_id", "pk"))


def lot_locations(lot: Lot) -> QuerySet[StockQuant]:
    """Where the lot is now: its quants with stock (or reservations) in the company's locations."""
    return StockQuant.objects.filter(lot=lot).filter(~Q(quantity=0) | ~Q(reserved=0)).select_related(
        "location__warehouse").order_by("location__full_name")

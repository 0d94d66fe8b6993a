"""Inventory reports from the valuation layers: the valuation as of a date (tied to the ledger), a product's
layers, the value columns of the stock ledger, and slow-moving and dead stock.

The valuation as of a date is the sum of the layers dated on or before it: every layer is dated as the
journal entry that posted it, so the total equals the inventory accounts' balance from stock postings
that day; the report shows the accounts' full balance beside it (the difference is what was posted to
them by hand, an opening balance say). Grouping by warehouse splits each product's value by the quantity
each warehouse held that day (from the done move lines), to the cent.

Every report takes an optional `actor`: when given, it needs VALUATION_PERMISSION in the company
(PermissionDenied otherwise). Bad parameters raise ValidationFailed naming the field.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from tessera.accounting.models import Account, JournalEntryLine
from tessera.accounting.reports import movements
from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.products.models import Product, ProductCategory, localized
from tessera.products.services import category_descendant_ids, category_path

from .choices import VALUED_USAGES, MoveState
from .models import StockMoveLine, ValuationLayer, Warehouse
from .services.valuation_common import SOURCE_PREFIX, books_kept, inventory_account_ids

VALUATION_PERMISSION = "inventory.view_valuationlayer"
GROUPS = ("product", "category", "warehouse")
ZERO = Decimal("0")
CENT = Decimal("0.01")
COST_STEP = Decimal("0.000001")
QUANTITY_STEP = Decimal("0.0001")


def summed(value, step: Decimal = CENT) -> Decimal:
    """A database sum as an exact Decimal (SQLite adds decimals as floats), without a negative zero."""
    return Decimal(value or 0).quantize(step, rounding=ROUND_HALF_UP) + 0


def _check(actor, company) -> None:
    if actor is not None:
        require(actor, VALUATION_PERMISSION, company)


def _unit_cost(value: Decimal, quantity: Decimal) -> Decimal | None:
    return (value / quantity).quantize(COST_STEP, rounding=ROUND_HALF_UP) if quantity > 0 else None


def split_value(value: Decimal, weights: dict) -> dict:
    """`value` shared by the positive `weights`, to the cent, the rounding left to the largest shares."""
    total = sum((weight for weight in weights.values() if weight > 0), ZERO)
    if total <= 0:
        return {None: value}
    exact = {key: value * weight / total for key, weight in weights.items() if weight > 0}
    shares = {key: amount.quantize(CENT, rounding="ROUND_DOWN" if value >= 0 else "ROUND_UP")
              for key, amount in exact.items()}
    left = value - sum(shares.values(), ZERO)
    step = CENT if left > 0 else -CENT
    for key in sorted(exact, key=lambda key: (-(abs(exact[key] - shares[key])), str(key))):
        if not left:
            break
        shares[key] += step
        left -= step
    return shares


# --- Valuation as of a date ---------------------------------------------------------------------------

@dataclass
class Valuation:
    company: Company
    as_of: datetime.date
    group: str
    category: ProductCategory | None
    warehouse: Warehouse | None
    rows: list[dict]
    totals: dict
    accounts: list[dict] = field(default_factory=list)  # inventory accounts: id, code, name, balance
    ledger_balance: Decimal | None = None  # the inventory accounts' balance (None: filtered, not comparable)
    stock_postings: Decimal | None = None  # the part of it posted by stock moves
    books_kept: bool = True

    @property
    def difference(self) -> Decimal | None:
        """The ledger balance less the valuation (postings to the inventory accounts by hand)."""
        return None if self.ledger_balance is None else self.ledger_balance - self.totals["value"]

    @property
    def is_filtered(self) -> bool:
        return self.category is not None or self.warehouse is not None


def _product_sums(company, as_of, category) -> dict[int, tuple[Decimal, Decimal]]:
    layers = ValuationLayer.objects.filter(company=company, date__lte=as_of)
    if category is not None:
        layers = layers.filter(product__category_id__in=category_descendant_ids(category))
    sums = {}
    for row in layers.values("product_id").annotate(quantity=Sum("quantity"), value=Sum("value")).order_by():
        quantity, value = summed(row["quantity"], QUANTITY_STEP), summed(row["value"])
        if quantity or value:
            sums[row["product_id"]] = (quantity, value)
    return sums


def warehouse_quantities(company, as_of, product_ids) -> dict[int, dict]:
    """product pk -> {warehouse pk (None: in transit): quantity} from the done lines up to `as_of`."""
    quantities: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: ZERO))
    lines = StockMoveLine.objects.filter(company=company, is_done=True, date__lte=as_of, product_id__in=product_ids)
    for side, sign in (("location_dest", 1), ("location", -1)):
        rows = (lines.filter(**{f"{side}__usage__in": VALUED_USAGES})
                .values("product_id", f"{side}__warehouse_id").annotate(total=Sum("quantity")).order_by())
        for row in rows:
            quantities[row["product_id"]][row[f"{side}__warehouse_id"]] += sign * row["total"]
    return quantities


def _ledger(company, as_of) -> tuple[list[dict], Decimal, Decimal]:
    ids = inventory_account_ids(company)
    totals = movements(company, None, as_of)
    accounts = []
    for account in Account.objects.filter(pk__in=ids).order_by("code"):
        debit, credit = totals.get(account.pk, (ZERO, ZERO))
        accounts.append({"account": account.pk, "code": account.code, "name": localized(account.name, account.name_en),
                         "balance": summed(debit - credit)})
    stock = (JournalEntryLine.objects.filter(company=company, is_posted=True, account_id__in=ids, date__lte=as_of)
             .filter(Q(entry__source__startswith=SOURCE_PREFIX)
                     | Q(entry__reversal_of__source__startswith=SOURCE_PREFIX))
             .aggregate(debit=Sum("debit"), credit=Sum("credit")))
    stock_postings = summed((stock["debit"] or ZERO) - (stock["credit"] or ZERO))
    return accounts, sum((row["balance"] for row in accounts), ZERO), stock_postings


def valuation(company: Company, as_of: datetime.date, *, group: str = "product", category=None, warehouse=None,
              actor=None) -> Valuation:
    """Quantity, value and unit cost of the valued stock as of `as_of` per product (or summed per category
    or warehouse), optionally for one category (and those below it) or one warehouse; with the inventory
    accounts' ledger balance beside an unfiltered report."""
    _check(actor, company)
    if group not in GROUPS:
        raise ValidationFailed(fields={"group": [_("Choose product, category or warehouse.")]})
    for name, value, model in (("category", category, ProductCategory), ("warehouse", warehouse, Warehouse)):
        if value is not None and (not isinstance(value, model) or value.company_id != company.pk):
            raise ValidationFailed(fields={name: [_("Choose one of this company's records.")]})
    sums = _product_sums(company, as_of, category)
    products = {product.pk: product for product in Product.objects.filter(pk__in=sums)
                .select_related("category", "uom")}
    by_warehouse = warehouse_quantities(company, as_of, list(sums)) if (group == "warehouse" or warehouse) else {}
    names = {item.pk: str(item) for item in Warehouse.objects.filter(company=company)}
    rows = []
    for pk, (quantity, value) in sums.items():
        product = products[pk]
        base = {"product": pk, "sku": product.sku, "name": product.display_name, "category": product.category_id,
                "category_name": category_path(product.category), "uom": product.uom.short_name}
        if not by_warehouse:
            rows.append({**base, "warehouse": None, "warehouse_name": "", "quantity": quantity, "value": value})
            continue
        held = by_warehouse.get(pk, {})
        shares = split_value(value, held)
        for place, share in shares.items():
            if warehouse is not None and place != warehouse.pk:
                continue
            rows.append({**base, "warehouse": place, "quantity": held.get(place, ZERO) if place in held else ZERO,
                         "warehouse_name": names.get(place, "") if place else _("Not in a warehouse (in transit)"),
                         "value": share})
    rows = [row for row in rows if row["quantity"] or row["value"]]
    if group == "category":
        rows = _grouped(rows, "category", lambda row: {"category_name": row["category_name"]})
    elif group == "warehouse":
        rows = _grouped(rows, "warehouse", lambda row: {"warehouse_name": row["warehouse_name"]})
    key = {"product": "sku", "category": "category_name", "warehouse": "warehouse_name"}[group]
    rows.sort(key=lambda row: str(row[key]))
    for row in rows:
        row["unit_cost"] = _unit_cost(row["value"], row["quantity"]) if group == "product" else None
    totals = {"value": sum((row["value"] for row in rows), ZERO),
              "quantity": sum((row["quantity"] for row in rows), ZERO) if group == "product" else None}
    report = Valuation(company=company, as_of=as_of, group=group, category=category, warehouse=warehouse, rows=rows,
                       totals=totals, books_kept=books_kept(company))
    if not report.is_filtered and report.books_kept:
        report.accounts, report.ledger_balance, report.stock_postings = _ledger(company, as_of)
    return report


def _grouped(rows: list[dict], key: str, extra) -> list[dict]:
    groups: dict = {}
    for row in rows:
        found = groups.setdefault(row[key], {key: row[key], **extra(row), "quantity": ZERO, "value": ZERO,
                                             "products": 0})
        found["quantity"] += row["quantity"]
        found["value"] += row["value"]
        found["products"] += 1
    return list(groups.values())


# --- A product's layers ----------------------------------------------------------------------------------

@dataclass
class ProductLayers:
    company: Company
    product: Product
    as_of: datetime.date | None
    rows: list[dict]
    quantity: Decimal
    value: Decimal


def product_layers(company: Company, product: Product, *, as_of: datetime.date | None = None,
                   actor=None) -> ProductLayers:
    """The product's valuation layers in order (date, then as valued) with the running quantity and value,
    what remains of each, and the move and entry behind it."""
    _check(actor, company)
    if product.company_id != company.pk:
        raise ValidationFailed(fields={"product": [_("Choose one of this company's products.")]})
    layers = ValuationLayer.objects.filter(company=company, product=product).select_related("move", "entry")
    if as_of is not None:
        layers = layers.filter(date__lte=as_of)
    quantity = value = ZERO
    rows = []
    for layer in layers.order_by("date", "pk"):
        quantity += layer.quantity
        value += layer.value
        move = layer.move
        rows.append({"id": layer.pk, "date": layer.date, "kind": layer.kind,
                     "kind_display": layer.get_kind_display(), "move": layer.move_id,
                     "reference": move.reference if move else "", "description": layer.description,
                     "quantity": layer.quantity, "unit_cost": layer.unit_cost if layer.quantity else None,
                     "value": layer.value, "remaining_quantity": layer.remaining_quantity,
                     "remaining_value": layer.remaining_value, "entry": layer.entry_id,
                     "entry_number": layer.entry.number if layer.entry else "",
                     "running_quantity": quantity, "running_value": value})
    return ProductLayers(company=company, product=product, as_of=as_of, rows=rows, quantity=quantity, value=value)


def move_values(company: Company, move_ids) -> dict[int, dict]:
    """The value columns of stock ledger rows: per move, its signed value (into the stock positive) and
    unit cost, from its layers (corrections included); moves without layers are absent."""
    values: dict[int, dict] = {}
    rows = (ValuationLayer.objects.filter(company=company, move_id__in=list(move_ids)).values("move_id")
            .annotate(quantity=Sum("quantity"), value=Sum("value")).order_by())
    for row in rows:
        quantity, value = summed(row["quantity"], QUANTITY_STEP), summed(row["value"])
        values[row["move_id"]] = {"value": value, "unit_cost": _unit_cost(abs(value), abs(quantity))}
    return values


# --- Slow-moving and dead stock ----------------------------------------------------------------------------

@dataclass
class SlowMoving:
    company: Company
    as_of: datetime.date
    days: int
    category: ProductCategory | None
    rows: list[dict]
    totals: dict
    buckets: list[dict]  # label, value, products: the value by time since the last delivery


def _bucket_bounds(days: int) -> list[tuple[int, int | None]]:
    return [(days, 2 * days), (2 * days, 4 * days), (4 * days, None)]


def slow_moving(company: Company, as_of: datetime.date, days: int, *, category=None, actor=None) -> SlowMoving:
    """Products in stock on `as_of` whose last delivery (any move out of the valued stock) is `days` or more
    before it, or that never left: quantity, value, last delivery and last movement, days since each.
    Dead stock is stock that has not moved at all (in or out) for `days` or more."""
    _check(actor, company)
    if not isinstance(days, int) or days < 1 or days > 3650:
        raise ValidationFailed(fields={"days": [_("Enter a number of days from 1 to 3650.")]})
    if category is not None and category.company_id != company.pk:
        raise ValidationFailed(fields={"category": [_("Choose one of this company's records.")]})
    sums = {pk: pair for pk, pair in _product_sums(company, as_of, category).items() if pair[0] > 0}
    done = ValuationLayer.objects.filter(company=company, product_id__in=list(sums), date__lte=as_of,
                                         move__state=MoveState.DONE).exclude(quantity=0)
    last = {row["product_id"]: row for row in done.values("product_id").annotate(
        last_out=Max("date", filter=Q(quantity__lt=0)), last_in=Max("date", filter=Q(quantity__gt=0))).order_by()}
    threshold = as_of - datetime.timedelta(days=days)
    products = {product.pk: product for product in Product.objects.filter(pk__in=list(sums))
                .select_related("category", "uom")}
    rows = []
    for pk, (quantity, value) in sums.items():
        dates = last.get(pk, {})
        last_out, last_in = dates.get("last_out"), dates.get("last_in")
        if last_out is not None and last_out > threshold:
            continue
        last_move = max(item for item in (last_out, last_in) if item is not None) if (last_out or last_in) else None
        product = products[pk]
        rows.append({
            "product": pk, "sku": product.sku, "name": product.display_name,
            "category_name": category_path(product.category), "uom": product.uom.short_name,
            "quantity": quantity, "value": value, "last_delivery": last_out, "last_movement": last_move,
            "days_since_delivery": (as_of - last_out).days if last_out else None,
            "days_since_movement": (as_of - last_move).days if last_move else None,
            "status": "dead" if last_move is None or last_move <= threshold else "slow",
        })
    rows.sort(key=lambda row: (-row["value"], row["sku"]))
    buckets = []
    for low, high in _bucket_bounds(days):
        label = (_("%(low)s–%(high)s days") % {"low": low, "high": high - 1}) if high else \
            _("%(low)s days or more") % {"low": low}
        chosen = [row for row in rows if row["days_since_delivery"] is not None
                  and row["days_since_delivery"] >= low and (high is None or row["days_since_delivery"] < high)]
        buckets.append({"label": label, "value": sum((row["value"] for row in chosen), ZERO),
                        "products": len(chosen)})
    never = [row for row in rows if row["days_since_delivery"] is None]
    buckets.append({"label": _("Never delivered"), "value": sum((row["value"] for row in never), ZERO),
                    "products": len(never)})
    totals = {"value": sum((row["value"] for row in rows), ZERO),
              "dead_value": sum((row["value"] for row in rows if row["status"] == "dead"), ZERO),
              "products": len(rows)}
    return SlowMoving(company=company, as_of=as_of, days=days, category=category, rows=rows, totals=totals,
                      buckets=buckets)

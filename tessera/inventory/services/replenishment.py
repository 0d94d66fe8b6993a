"""Replenishment: min/max reorder rules per product and warehouse, the replenishment list, and the
"below reorder point" event.

- `reorder_rule_create/update/delete`: one rule per product and warehouse (a stocked product of the
  company; max >= min; multiple > 0; supplier a supplier partner).
- `replenishment_rows(company, warehouse=None)`: per active rule, forecast = available in the warehouse
  (on hand - reserved, its internal locations) + incoming (open moves into it from outside it). When the
  forecast is below the minimum, the suggestion is max - forecast rounded *up* to the rule's multiple
  (in the product's unit); rows below the minimum only, with the supplier and the lead time (and the date
  to order by for the goods to arrive: today + lead days). Purchasing turns these rows into draft orders.
- `reorder_point_check(*, move)`: called with a done move (in its transaction); for each rule of the product
  in the warehouses the move took stock out of, when on hand - reserved there went from >= min before the
  move to < min after it, emits `inventory.stock.below_reorder_point` (once per crossing: a move that
  leaves it below emits nothing more until it has been back at or above the minimum).
"""

import datetime
from decimal import ROUND_CEILING, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import events
from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate
from tessera.partners.models import Partner
from tessera.products.choices import ProductType
from tessera.products.models import Product

from ..models import ReorderRule, StockMove, Warehouse
from ..selectors import QUANTUM, product_available, product_incoming

ZERO = Decimal("0")
RULE_FIELDS = {"product", "warehouse", "min_quantity", "max_quantity", "multiple", "supplier", "lead_days",
               "is_active"}
BELOW_REORDER_POINT = "inventory.stock.below_reorder_point"


def _check(rule: ReorderRule) -> None:
    errors = {}
    product = Product.objects.filter(pk=rule.product_id).first()
    if product is None or product.company_id != rule.company_id or product.type != ProductType.STOCK:
        errors["product"] = [_("Choose one of this company's stocked products.")]
    if not Warehouse.objects.filter(pk=rule.warehouse_id, company_id=rule.company_id).exists():
        errors["warehouse"] = [_("Choose one of this company's warehouses.")]
    if rule.supplier_id and not Partner.objects.filter(pk=rule.supplier_id, company_id=rule.company_id,
                                                       is_supplier=True).exists():
        errors["supplier"] = [_("Choose one of this company's suppliers.")]
    if not errors and ReorderRule.objects.filter(product_id=rule.product_id, warehouse_id=rule.warehouse_id) \
            .exclude(pk=rule.pk).exists():
        errors["product"] = [_("This product has a reorder rule in this warehouse already.")]
    if errors:
        raise ValidationFailed(fields=errors)
    validate(rule)


def _save(rule: ReorderRule) -> ReorderRule:
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise ValidationFailed(fields={"product": [
            _("This product has a reorder rule in this warehouse already.")]}) from None
    return rule


def _related_ids(data: dict) -> dict:
    return {(f"{key}_id" if key in {"product", "warehouse", "supplier"} else key):
            (getattr(value, "pk", value) if key in {"product", "warehouse", "supplier"} else value)
            for key, value in data.items()}


def reorder_rule_create(*, actor, company: Company, data: dict) -> ReorderRule:
    """A min/max rule. Raises PermissionDenied (inventory.add_reorderrule), ValidationFailed."""
    require(actor, "inventory.add_reorderrule", company)
    rule = ReorderRule(company=company)
    assign(rule, _related_ids(data), {f"{name}_id" if name in {"product", "warehouse", "supplier"} else name
                                      for name in RULE_FIELDS})
    _check(rule)
    return _save(rule)


def reorder_rule_update(*, actor, rule: ReorderRule, data: dict) -> ReorderRule:
    """Change a rule. Raises PermissionDenied (inventory.change_reorderrule), ValidationFailed."""
    require(actor, "inventory.change_reorderrule", rule.company)
    with transaction.atomic():
        rule = ReorderRule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
        assign(rule, _related_ids(data), {f"{name}_id" if name in {"product", "warehouse", "supplier"} else name
                                          for name in RULE_FIELDS})
        _check(rule)
        rule.save()
    return rule


def reorder_rule_delete(*, actor, rule: ReorderRule) -> None:
    """Delete a rule. Raises PermissionDenied (inventory.delete_reorderrule)."""
    require(actor, "inventory.delete_reorderrule", rule.company)
    rule.delete()


def suggested_quantity(*, forecast: Decimal, min_quantity: Decimal, max_quantity: Decimal,
                       multiple: Decimal) -> Decimal:
    """0 when the forecast is at or above the minimum, else max - forecast rounded up to the multiple."""
    if forecast >= min_quantity:
        return ZERO
    need = max_quantity - forecast
    if need <= 0:
        return ZERO
    multiple = multiple if multiple and multiple > 0 else Decimal("1")
    return (need / multiple).to_integral_value(rounding=ROUND_CEILING) * multiple


def replenishment_rows(company: Company, warehouse=None, *, today: datetime.date | None = None) -> list[dict]:
    """What to order: a row per active rule whose forecast is below its minimum — {rule, product, warehouse,
    supplier, available, incoming, forecast, min_quantity, max_quantity, multiple, quantity (suggested, product's
    unit), uom, lead_days, order_by (date), arrives_on}. Ordered by warehouse code, product SKU."""
    today = today or timezone.localdate()
    rules = ReorderRule.objects.filter(company=company, is_active=True).select_related(
        "product__uom", "warehouse", "supplier").order_by("warehouse__code", "product__sku")
    if warehouse is not None:
        rules = rules.filter(warehouse_id=getattr(warehouse, "pk", warehouse))
    rows = []
    for rule in rules:
        # The same digits on every database (SQLite's sums drop trailing zeros), as the stock screen shows them.
        available = product_available(company, rule.product, rule.warehouse).quantize(QUANTUM)
        incoming = product_incoming(company, rule.product, rule.warehouse).quantize(QUANTUM)
        forecast = available + incoming
        quantity = suggested_quantity(forecast=forecast, min_quantity=rule.min_quantity,
                                      max_quantity=rule.max_quantity, multiple=rule.multiple)
        if quantity <= 0:
            continue
        rows.append({"rule": rule, "product": rule.product, "warehouse": rule.warehouse, "supplier": rule.supplier,
                     "available": available, "incoming": incoming, "forecast": forecast,
                     "min_quantity": rule.min_quantity, "max_quantity": rule.max_quantity, "multiple": rule.multiple,
                     "quantity": quantity, "uom": rule.product.uom, "lead_days": rule.lead_days,
                     "order_by": today, "arrives_on": today + datetime.timedelta(days=rule.lead_days)})
    return rows


def reorder_point_check(*, move: StockMove) -> int:
    """After a done move (same transaction): emit `inventory.stock.below_reorder_point` for each active rule of
    the move's product in a warehouse the move took stock out of, when available there crossed from at or above
    the minimum to below it. Returns how many events were emitted."""
    lines = list(move.lines.filter(is_done=True).select_related("location", "location_dest"))
    taken: dict[int, Decimal] = {}
    for line in lines:
        source, destination = line.location, line.location_dest
        if source.warehouse_id and source.usage == "internal" and source.warehouse_id != (
                destination.warehouse_id if destination.usage == "internal" else None):
            taken[source.warehouse_id] = taken.get(source.warehouse_id, ZERO) + line.quantity
    emitted = 0
    for rule in ReorderRule.objects.filter(company_id=move.company_id, product_id=move.product_id, is_active=True,
                                           warehouse_id__in=list(taken)).select_related("warehouse", "product"):
        after = product_available(move.company, move.product_id, rule.warehouse_id)
        before = after + taken[rule.warehouse_id]
        if before >= rule.min_quantity > after:
            events.emit(BELOW_REORDER_POINT, company=move.company, obj=rule, payload={
                "product": rule.product_id, "sku": rule.product.sku, "warehouse": rule.warehouse_id,
                "warehouse_code": rule.warehouse.code, "available": str(after), "min_quantity": str(rule.min_quantity),
                "move": move.pk})
            emitted += 1
    return emitted

"""Stock counts (adjustments): count a location and the locations below it, then post the differences.

Life cycle: draft ("counting") -> posted, or draft -> cancelled (ADJUSTMENT_TRANSITIONS).

- `adjustment_create` snapshots the stock: one line per product, internal location and lot with a
  non-zero quantity on hand in the counted location's subtree, `expected_quantity` = that quantity at
  the start of the count. Products found that were not expected are added as new lines (expected 0).
- Counted quantities are entered per line (`adjustment_count`) or by scanning barcodes
  (`adjustment_scan`: +1 on the product's line, a new line when the product is not on the count).
- Stock found under a lot or serial number not in Tessera yet: a new line with `lot_name` (and `expiry_on`), or a
  scan of the unknown code with the tracked `product` chosen, creates the lot (services.lots.lot_get_or_create,
  an existing name of the product is reused) in the count's transaction. A serial number counts 1 at most.
- **Posting rule (like Odoo's "applied" quantities)**: the counted quantity is the truth at the time
  of posting. Each counted line moves `counted - on hand now` (not `counted - expected`): when stock moved
  in or out of the location after the count started, those moves are kept and only what is still
  different from the count is adjusted. Lines left uncounted (counted is empty) change nothing.
  A gain comes from the company's inventory-loss location, a loss goes to it; `move_done` carries the
  moves out and valuation posts them (Dr/Cr inventory against the category's stock adjustment
  account, gains at the current average/standard cost). The count gets its number (INV-{fy}-00001)
  from the core numbering sequence when posted; posted counts are never changed.

Locking: the adjustment row (select_for_update), then the moves in (product, line pk) order, each of
which locks its quants in pk order (services.moves).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.numbering import sequence_default, sequence_next_number
from tessera.products.choices import ProductType, Tracking
from tessera.products.models import Product
from tessera.products.services.uoms import uom_quantity_check

from ..choices import ADJUSTMENT_TRANSITIONS, AdjustmentState, LocationUsage
from ..models import Adjustment, AdjustmentLine, Location, Lot, StockQuant
from .locations import subtree_filter, virtual_location
from .lots import lot_get_or_create
from .moves import move_create, move_done

sequence_default("stock_adjustment", name="Stock count", prefix="INV-{fy}-", padding=5)

ZERO = Decimal("0")
ADJUSTMENT_FIELDS = {"location", "date", "description"}
COUNT_FIELDS = {"line", "product", "location", "lot", "lot_name", "expiry_on", "counted_quantity"}


def _pk(value) -> int | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return getattr(value, "pk", None)


def _internal_locations(adjustment: Adjustment):
    return Location.objects.filter(subtree_filter(adjustment.location), usage=LocationUsage.INTERNAL)


def _lock(adjustment: Adjustment, transition: str | None = None) -> Adjustment:
    locked = Adjustment.objects.select_for_update(of=("self",)).select_related(
        "company", "location", "warehouse").get(pk=adjustment.pk)
    allowed = ADJUSTMENT_TRANSITIONS[transition][0] if transition else {AdjustmentState.DRAFT}
    if locked.state not in allowed:
        raise InvalidState(_("Stock count %(count)s is %(state)s.") % {"count": locked,
                                                                       "state": locked.get_state_display()})
    return locked


def adjustment_create(*, actor, company: Company, data: dict) -> Adjustment:
    """A stock count of `location` (an internal location, or a warehouse's root: the whole warehouse) and the
    locations below it, with one line per product/location/lot on hand now (the snapshot: `expected_quantity`).

    `data`: location, date (default today), description. Raises PermissionDenied (inventory.add_adjustment),
    ValidationFailed; nothing written then."""
    require(actor, "inventory.add_adjustment", company)
    unknown = set(data) - ADJUSTMENT_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    location = data.get("location")
    if location is not None and not isinstance(location, Location):
        location = Location.objects.filter(pk=_pk(location)).first()
    if location is None or location.company_id != company.pk or location.warehouse_id is None \
            or location.usage not in (LocationUsage.INTERNAL, LocationUsage.VIEW):
        raise ValidationFailed(fields={"location": [_("Choose a location of one of this company's warehouses.")]})
    if not location.is_active:
        raise ValidationFailed(fields={"location": [_("Location %(location)s is archived.") % {"location": location}]})
    adjustment = Adjustment(company=company, location=location, warehouse_id=location.warehouse_id,
                            date=data.get("date") or timezone.localdate(),
                            description=(data.get("description") or "").strip())
    validate(adjustment)
    with transaction.atomic():
        adjustment.save()
        quants = StockQuant.objects.filter(company=company, location__in=_internal_locations(adjustment)) \
            .exclude(quantity=0).filter(product__type=ProductType.STOCK) \
            .select_related("product", "location", "lot").order_by("location__full_name", "product__sku", "lot__name")
        AdjustmentLine.objects.bulk_create([
            AdjustmentLine(company=company, adjustment=adjustment, product_id=quant.product_id,
                           location_id=quant.location_id, lot_id=quant.lot_id, expected_quantity=quant.quantity)
            for quant in quants])
        events.emit("inventory.adjustment.started", company=company, obj=adjustment,
                    payload={"location": location.pk, "lines": adjustment.lines.count()})
    return adjustment


def _date(value) -> datetime.date | None:
    if value in (None, "") or isinstance(value, datetime.date):
        return value or None
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(fields={"expiry_on": [_("Enter a valid date.")]}) from None


def _new_lot(adjustment: Adjustment, product: Product, item: dict, prefix: str, errors: dict) -> Lot | None:
    """The lot `lot_name` of `product` found during the count: created now (inside the count's transaction,
    so it is rolled back with bad input) unless the product has it already."""
    if product.tracking == Tracking.NONE:
        errors[prefix + "lot_name"] = [_("%(product)s is not tracked by lot or serial number.")
                                       % {"product": product}]
        return None
    if item.get("lot") not in (None, ""):
        errors[prefix + "lot_name"] = [_("Choose a lot or enter a new lot number, not both.")]
        return None
    try:
        expiry_on = _date(item.get("expiry_on"))
        return lot_get_or_create(company=adjustment.company, product=product, name=str(item["lot_name"]),
                                 expiry_on=expiry_on)
    except ValidationFailed as error:
        errors.update({prefix + name: messages for name, messages in error.fields.items()})
        return None


def _new_line(adjustment: Adjustment, item: dict, prefix: str, errors: dict) -> AdjustmentLine | None:
    """A line for a product (and location, lot) found that the snapshot did not have: expected 0. A lot or
    serial number not in Tessera yet is given as `lot_name` (and `expiry_on`): it is created."""
    product = Product.objects.filter(pk=_pk(item.get("product")), company_id=adjustment.company_id).first()
    if product is None or product.type != ProductType.STOCK:
        errors[prefix + "product"] = [_("Choose one of this company's stocked products.")]
        return None
    location = adjustment.location
    if item.get("location") not in (None, ""):
        location = _internal_locations(adjustment).filter(pk=_pk(item["location"])).first()
    if location is None or location.usage != LocationUsage.INTERNAL:
        errors[prefix + "location"] = [_("Choose %(location)s or an internal location below it.")
                                       % {"location": adjustment.location}]
        return None
    lot = None
    if item.get("lot_name") not in (None, ""):
        lot = _new_lot(adjustment, product, item, prefix, errors)
        if lot is None:
            return None
    elif item.get("lot") not in (None, ""):
        lot = Lot.objects.filter(pk=_pk(item["lot"]), company_id=adjustment.company_id, product=product).first()
        if lot is None:
            errors[prefix + "lot"] = [_("Choose a lot of this product.")]
            return None
    elif product.tracking != Tracking.NONE:
        errors[prefix + "lot"] = [_("%(product)s is tracked: say which lot or serial number was counted.")
                                  % {"product": product}]
        return None
    if item.get("expiry_on") not in (None, "") and item.get("lot_name") in (None, ""):
        errors[prefix + "expiry_on"] = [_("An expiry date is given with a new lot number only.")]
        return None
    line = adjustment.lines.filter(product=product, location=location, lot=lot).first()
    return line or AdjustmentLine(company_id=adjustment.company_id, adjustment=adjustment, product=product,
                                  location=location, lot=lot, expected_quantity=ZERO)


def _serial_check(line: AdjustmentLine, counted: Decimal, field: str) -> dict:
    if line.lot_id and line.product.tracking == Tracking.SERIAL and counted > 1:
        return {field: [_("%(serial)s is a serial number: it counts 1 at most.") % {"serial": line.lot.name}]}
    return {}


def adjustment_count(*, actor, adjustment: Adjustment, lines: list[dict], version: int | None = None) -> Adjustment:
    """Enter counted quantities: `lines` = [{"line": <line id>, "counted_quantity"}] for lines on the count, or
    [{"product", "location" (default the counted location), "lot", "counted_quantity"}] for stock found that
    was not expected (the line of the same product/location/lot is reused). `counted_quantity` None clears a
    count. Raises PermissionDenied (inventory.change_adjustment), InvalidState (not counting; stale
    `version`), ValidationFailed (`lines.<i>.<field>`); nothing written then."""
    require(actor, "inventory.change_adjustment", adjustment.company)
    if not isinstance(lines, list | tuple):
        raise ValidationFailed(fields={"lines": [_("Send the lines as a list.")]})
    with transaction.atomic():
        adjustment = _lock(adjustment)
        if version is not None and version != adjustment.version:
            raise InvalidState(_("Someone else changed this count meanwhile: reload it and try again."))
        errors: dict[str, list] = {}
        changed: list[AdjustmentLine] = []
        for index, item in enumerate(lines):
            prefix = f"lines.{index}."
            if not isinstance(item, dict) or set(item) - COUNT_FIELDS:
                errors[prefix + "non_field_errors"] = [
                    _("Send each line as {line, counted_quantity} or {product, location, lot, counted_quantity}.")]
                continue
            if item.get("line") not in (None, ""):
                line = adjustment.lines.select_related("product__uom").filter(pk=_pk(item["line"])).first()
                if line is None:
                    errors[prefix + "line"] = [_("Not a line of this count.")]
                    continue
            else:
                line = _new_line(adjustment, item, prefix, errors)
                if line is None:
                    continue
            value = item.get("counted_quantity")
            if value in (None, ""):
                line.counted_quantity = None
            else:
                try:
                    counted = uom_quantity_check(quantity=value, uom=line.product.uom,
                                                 field=prefix + "counted_quantity")
                except ValidationFailed as error:
                    errors.update(error.fields)
                    continue
                if counted < 0:
                    errors[prefix + "counted_quantity"] = [_("Enter a quantity of zero or more.")]
                    continue
                serial_error = _serial_check(line, counted, prefix + "counted_quantity")
                if serial_error:
                    errors.update(serial_error)
                    continue
                line.counted_quantity = counted
            changed.append(line)
        if errors:
            raise ValidationFailed(fields=errors)
        for line in changed:
            line.save()
        adjustment.version += 1
        adjustment.save(update_fields=["version"])
    return adjustment


def adjustment_scan(*, actor, adjustment: Adjustment, code: str, location=None,
                    quantity: Decimal = Decimal("1"), product=None) -> AdjustmentLine:
    """A barcode read during the count: the product's barcode (or SKU), or a lot/serial number, adds `quantity`
    (default 1) to its line's counted quantity (empty counts as 0); a product not on the count gets a new line
    in `location` (default the counted location). A code that is no product and no lot becomes a new lot (or
    serial number) of `product` (a tracked product) when given: the lot is created with the count's line. A
    serial number counts 1 at most. Returns the line. Raises ValidationFailed (`code`: nothing found, or a
    tracked product scanned without its lot; `product`; `quantity`), InvalidState, PermissionDenied; nothing
    written then."""
    require(actor, "inventory.change_adjustment", adjustment.company)
    code = (code or "").strip()
    company_id = adjustment.company_id
    chosen = None
    if product not in (None, ""):
        chosen = product if isinstance(product, Product) else None
        chosen = Product.objects.filter(pk=_pk(chosen or product), company_id=company_id).first()
        if chosen is None or chosen.type != ProductType.STOCK or chosen.tracking == Tracking.NONE:
            raise ValidationFailed(fields={"product": [_("Choose one of this company's products tracked by lot or "
                                                         "serial number.")]})
    found = lot = lot_name = None
    if code:
        found = Product.objects.filter(Q(barcode=code) | Q(sku=code), company_id=company_id).first()
        if found is None:
            lots = Lot.objects.filter(company_id=company_id, name=code).select_related("product")
            lot = (lots.filter(product=chosen) if chosen else lots).first()
            found = lot.product if lot else None
    if found is None and chosen is not None and code:
        found, lot_name = chosen, code
    if found is None:
        raise ValidationFailed(fields={"code": [_("No product, lot or serial number %(code)s: to add it as a new lot "
                                                  "or serial number, choose its product.") % {"code": code}]})
    product = found
    if lot is None and lot_name is None and product.tracking != Tracking.NONE:
        raise ValidationFailed(fields={"code": [_("%(product)s is tracked: scan its lot or serial number.")
                                                % {"product": product}]})
    added = uom_quantity_check(quantity=quantity, uom=product.uom, field="quantity")
    with transaction.atomic():
        adjustment = _lock(adjustment)
        line = None
        if lot_name is None:
            lines = adjustment.lines.filter(product=product).select_related("product__uom", "lot").order_by(
                "location__full_name", "pk")
            if lot is not None:
                lines = lines.filter(lot=lot)
            if location not in (None, ""):
                lines = lines.filter(location_id=_pk(location))
            line = lines.first()
        if line is None:
            errors: dict = {}
            item = {"product": product.pk, "location": location}
            item.update({"lot_name": lot_name} if lot_name else {"lot": lot and lot.pk})
            line = _new_line(adjustment, item, "", errors)
            if line is None:
                raise ValidationFailed(fields={"code": [message for messages in errors.values()
                                                        for message in messages]})
        counted = (line.counted_quantity or ZERO) + added
        serial_error = _serial_check(line, counted, "code")
        if serial_error:
            raise ValidationFailed(fields=serial_error)
        line.counted_quantity = counted
        line.save()
        adjustment.version += 1
        adjustment.save(update_fields=["version"])
    return line


def _on_hand(line: AdjustmentLine) -> Decimal:
    quant = StockQuant.objects.filter(product_id=line.product_id, location_id=line.location_id,
                                      lot_id=line.lot_id).first()
    return quant.quantity if quant else ZERO


def adjustment_post(*, actor, adjustment: Adjustment) -> Adjustment:
    """Post a count: for each counted line, one move of `counted - on hand now` from (gain) or to (loss) the
    company's inventory-loss location, carried out and valued; number INV-{fy}-00001; state posted.

    Raises PermissionDenied (inventory.post_adjustment), InvalidState (not counting), ValidationFailed
    (nothing counted), InsufficientStock (409: a loss of stock that is reserved), PeriodClosed; nothing is
    written then."""
    require(actor, "inventory.post_adjustment", adjustment.company)
    with transaction.atomic():
        adjustment = _lock(adjustment, "post")
        lines = list(adjustment.lines.filter(counted_quantity__isnull=False)
                     .select_related("product__uom", "location", "lot").order_by("product_id", "pk"))
        if not lines:
            raise ValidationFailed(fields={"lines": [_("Count at least one line before posting.")]})
        loss = virtual_location(company=adjustment.company, usage=LocationUsage.INVENTORY)
        number = sequence_next_number(company=adjustment.company, code="stock_adjustment", on=adjustment.date)
        for line in lines:
            difference = line.counted_quantity - _on_hand(line)
            if not difference:
                continue
            source, destination = (loss, line.location) if difference > 0 else (line.location, loss)
            move = move_create(actor=actor, company=adjustment.company, data={
                "product": line.product, "quantity": abs(difference), "uom": line.product.uom, "location": source,
                "location_dest": destination, "lot": line.lot, "date": adjustment.date, "reference": number,
                "description": adjustment.description or _("Stock count"),
                "source": f"inventory.adjustment:{adjustment.pk}"})
            move_done(actor=actor, move=move, lines=[{"quantity": abs(difference), "lot": line.lot_id,
                                                      "location": source.pk, "location_dest": destination.pk}])
            line.move = move
            line.save(update_fields=["move"])
        adjustment.number = number
        adjustment.state = AdjustmentState.POSTED
        adjustment.posted_at = timezone.now()
        adjustment.posted_by = actor if getattr(actor, "is_authenticated", False) else None
        adjustment.save()
        audit.record_transition(adjustment, from_state=AdjustmentState.DRAFT, to_state=AdjustmentState.POSTED)
        events.emit("inventory.adjustment.posted", company=adjustment.company, obj=adjustment,
                    payload={"number": number, "location": adjustment.location_id,
                             "moves": sum(1 for line in lines if line.move_id)})
    return adjustment


def adjustment_cancel(*, actor, adjustment: Adjustment) -> Adjustment:
    """Give up a count that is not posted (nothing moves). Raises PermissionDenied (inventory.change_adjustment),
    InvalidState (posted or cancelled)."""
    require(actor, "inventory.change_adjustment", adjustment.company)
    with transaction.atomic():
        adjustment = _lock(adjustment, "cancel")
        adjustment.state = AdjustmentState.CANCELLED
        adjustment.save(update_fields=["state"])
        audit.record_transition(adjustment, from_state=AdjustmentState.DRAFT, to_state=AdjustmentState.CANCELLED)
        events.emit("inventory.adjustment.cancelled", company=adjustment.company, obj=adjustment, payload={})
    return adjustment

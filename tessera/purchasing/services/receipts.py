"""Goods receipts: what arrived of a confirmed order, carried out as the order lines' incoming stock moves.

`order_receive` takes, per order line, a quantity in the line's unit (and for tracked products the lots or
serial numbers with their quantities in the product's unit). For each stock or consumable line it
- finds the line's open incoming move (created when the order was confirmed; the backorder after an
  earlier partial receipt) or, when everything ordered has arrived already, creates one;
- sets the move's date to the receipt date and its `unit_cost` to the line's net price per product unit
  in the company's currency at the receipt date's rate (an over-receipt within the tolerance grows the
  move to what arrived);
- carries the move out (`move_done`): what is less than the move stays on the backorder move; the
  valuation posts Dr inventory / Cr GR/IR at that cost;
- records a ReceiptLine with the move and its value (what GR/IR was credited).
Service lines have no move: their receipt is recorded (value 0). The lines' `quantity_received` grows and
the order's state follows (`order_refresh_state`).

Locking: the order and its lines (`lock_order`, lines in pk order) first, so two receipts of the same
order run one after the other and the tolerance is checked against what is really received; then the
moves in line order (inventory locks its quants and the product's cost row).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, NotFound, ValidationFailed
from tessera.core.permissions import require
from tessera.core.services.currency import currency_rate
from tessera.core.services.numbering import sequence_default, sequence_next_number
from tessera.inventory.choices import LocationUsage, MoveState
from tessera.inventory.models import StockMove
from tessera.inventory.services import move_confirm, move_create, move_done, virtual_location
from tessera.products.choices import ProductType, Tracking
from tessera.products.services.uoms import uom_convert, uom_quantity_check

from ..choices import ORDER_TRANSITIONS, ReceiptState
from ..models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine
from .orders import line_source, line_unit_cost, lock_order, order_refresh_state
from .settings import purchase_settings

sequence_default("purchasing_receipt", name="Goods receipt", prefix="GRN-{fy}-", padding=5)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
LINE_KEYS = {"line", "quantity", "lots"}
LOT_KEYS = {"lot", "lot_name", "quantity", "expiry_on"}
OPEN_MOVE_STATES = (MoveState.DRAFT, MoveState.CONFIRMED, MoveState.ASSIGNED)


def is_stocked(line: PurchaseOrderLine) -> bool:
    return line.product.type in (ProductType.STOCK, ProductType.CONSUMABLE)


def receive_limit(line: PurchaseOrderLine, percent: Decimal) -> Decimal:
    """The most that may be received in all on the line (its unit): ordered + the over-receipt tolerance."""
    return line.quantity * (HUNDRED + percent) / HUNDRED


def receipt_unit_cost(line: PurchaseOrderLine, *, on: datetime.date) -> Decimal:
    """The line's net price per *product* unit in the company's currency at the rate of `on` (6 decimals).

    Raises ValidationFailed on `date` when the order's currency has no rate on that day."""
    order = line.order
    try:
        rate = currency_rate(currency=order.currency, quote=order.company.base_currency, on=on)
    except NotFound:
        raise ValidationFailed(fields={"date": [
            _("No exchange rate of %(currency)s on %(date)s: record one first.")
            % {"currency": order.currency.code, "date": on.isoformat()}]}) from None
    return line_unit_cost(line, rate)


@dataclass
class Planned:
    """One order line to receive: `quantity` in the line's unit, `product_quantity` in the product's, and
    the move lines (product's unit) for move_done."""

    index: int
    line: PurchaseOrderLine
    quantity: Decimal
    product_quantity: Decimal = ZERO
    move_lines: list = field(default_factory=list)


def _pk(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return getattr(value, "pk", None)


def _parse_lots(item: Planned, lots, prefix: str, errors: dict) -> None:
    """Move lines for a tracked product: each lot (or serial number) with its quantity in the product's unit;
    one lot without a quantity takes all; a serial number is one unit. They must add up to what arrived."""
    product = item.line.product
    if product.tracking == Tracking.NONE:
        if lots:
            errors[prefix + "lots"] = [_("%(product)s is not tracked by lot.") % {"product": product}]
        else:
            item.move_lines = [{"quantity": item.product_quantity}]
        return
    if not isinstance(lots, list | tuple) or not lots:
        errors[prefix + "lots"] = [_("%(product)s is tracked: give the lots or serial numbers received.")
                                   % {"product": product}]
        return
    serial = product.tracking == Tracking.SERIAL
    names, total, built = set(), ZERO, []
    for number, lot in enumerate(lots):
        lot_prefix = f"{prefix}lots.{number}."
        if not isinstance(lot, dict) or set(lot) - LOT_KEYS or not (lot.get("lot") or lot.get("lot_name")):
            errors[lot_prefix + "lot_name"] = [_("Give each lot as {lot or lot_name, quantity, expiry_on}.")]
            continue
        name = str(lot.get("lot_name") or "").strip()
        key = f"id:{_pk(lot['lot'])}" if lot.get("lot") else f"name:{name.casefold()}"
        if key in names:
            errors[lot_prefix + "lot_name"] = [_("Lot or serial number %(name)s is given twice.")
                                               % {"name": name or lot.get("lot")}]
            continue
        names.add(key)
        quantity = lot.get("quantity")
        if quantity in (None, ""):
            quantity = Decimal(1) if serial else (item.product_quantity if len(lots) == 1 else None)
        if quantity is None:
            errors[lot_prefix + "quantity"] = [_("This field is required.")]
            continue
        try:
            quantity = uom_quantity_check(quantity=quantity, uom=product.uom, field=lot_prefix + "quantity")
        except ValidationFailed as error:
            errors.update(error.fields)
            continue
        if quantity <= 0 or (serial and quantity != 1):
            errors[lot_prefix + "quantity"] = [_("A serial number is one unit.") if serial
                                               else _("Enter a quantity above zero.")]
            continue
        total += quantity
        move_line = {"quantity": quantity}
        if lot.get("lot"):
            move_line["lot"] = _pk(lot["lot"])
        else:
            move_line["lot_name"] = name
            if lot.get("expiry_on"):
                move_line["expiry_on"] = lot["expiry_on"]
        built.append(move_line)
    if built and prefix + "lots" not in errors and not any(key.startswith(prefix + "lots.") for key in errors) \
            and total != item.product_quantity:
        errors[prefix + "lots"] = [_("The lots add up to %(total)s %(unit)s, not the %(quantity)s %(unit)s received.")
                                   % {"total": total.normalize(), "quantity": item.product_quantity.normalize(),
                                      "unit": product.uom.short_name}]
    item.move_lines = built


def _plan(order: PurchaseOrder, lines, percent: Decimal) -> list[Planned]:
    """Check the receipt's lines against the locked order lines; raise ValidationFailed with every error."""
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationFailed(fields={"lines": [_("Give at least one line with the quantity received.")]})
    order_lines = {line.pk: line for line in order.lines.select_related("product__uom", "uom")}
    for line in order_lines.values():
        line.order = order
    errors: dict[str, list] = {}
    planned, seen = [], set()
    for index, raw in enumerate(lines):
        prefix = f"lines.{index}."
        if not isinstance(raw, dict) or set(raw) - LINE_KEYS:
            errors[prefix + "non_field_errors"] = [_("Send each line as {line, quantity, lots}.")]
            continue
        line = order_lines.get(_pk(raw.get("line")))
        if line is None:
            errors[prefix + "line"] = [_("Choose a line of this order.")]
            continue
        if line.pk in seen:
            errors[prefix + "line"] = [_("This order line is given twice.")]
            continue
        seen.add(line.pk)
        try:
            quantity = uom_quantity_check(quantity=raw.get("quantity"), uom=line.uom, field=prefix + "quantity")
        except ValidationFailed as error:
            errors.update(error.fields)
            continue
        if quantity <= 0:
            errors[prefix + "quantity"] = [_("Enter a quantity above zero.")]
            continue
        limit = receive_limit(line, percent)
        if line.quantity_received + quantity > limit:
            errors[prefix + "quantity"] = [
                _("%(quantity)s %(unit)s is more than may be received: %(ordered)s ordered, %(received)s received, "
                  "tolerance %(percent)s%%.") % {
                    "quantity": quantity.normalize(), "unit": line.uom.short_name,
                    "ordered": line.quantity.normalize(), "received": line.quantity_received.normalize(),
                    "percent": percent.normalize()}]
            continue
        item = Planned(index, line, quantity)
        if is_stocked(line):
            try:
                item.product_quantity = uom_convert(quantity=quantity, from_uom=line.uom, to_uom=line.product.uom)
            except ValidationFailed as error:
                errors[prefix + "quantity"] = error.fields.get("quantity") or [str(error.message)]
                continue
            _parse_lots(item, raw.get("lots"), prefix, errors)
        elif raw.get("lots"):
            errors[prefix + "lots"] = [_("A service has no lots.")]
        planned.append(item)
    if errors:
        raise ValidationFailed(fields=errors)
    return planned


def _open_move(order: PurchaseOrder, item: Planned, on: datetime.date, actor) -> StockMove:
    """The line's open incoming move, locked, dated `on`, at the line's cost, grown to what arrives (an
    over-receipt); a new confirmed move when none is open."""
    line = item.line
    cost = receipt_unit_cost(line, on=on)
    move = (StockMove.objects.select_for_update(of=("self",)).filter(
        company_id=order.company_id, source=line_source(line), state__in=OPEN_MOVE_STATES).order_by("pk").first())
    if move is None:
        move = move_create(actor=actor, company=order.company, data={
            "product": line.product, "quantity": item.product_quantity, "uom": line.product.uom,
            "location": virtual_location(company=order.company, usage=LocationUsage.SUPPLIER),
            "location_dest": order.warehouse.stock_location, "partner": order.partner, "date": on,
            "reference": order.number or "", "description": line.description, "unit_cost": cost,
            "source": line_source(line)})
        return move_confirm(actor=actor, move=move, reserve="none")
    changes = {"date": on, "unit_cost": cost}
    if item.product_quantity > move.product_quantity:  # over-receipt within the tolerance
        changes["product_quantity"] = item.product_quantity
        try:
            changes["quantity"] = uom_convert(quantity=item.product_quantity, from_uom=line.product.uom,
                                              to_uom=move.uom)
        except ValidationFailed:
            changes["quantity"], changes["uom"] = item.product_quantity, line.product.uom
    StockMove.objects.filter(pk=move.pk).update(**changes)
    move.refresh_from_db()
    return move


def _prefixed(error: ValidationFailed, item: Planned) -> ValidationFailed:
    """A move_done error (keys `lines.<j>.<field>`) as keys of the receipt line (`lines.<i>.lots.<j>.…`)."""
    fields = {}
    for key, messages in error.fields.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3:
            name = "lot_name" if parts[2] == "lot" else parts[2]
            fields[f"lines.{item.index}.lots.{parts[1]}.{name}"] = messages
        else:
            fields[f"lines.{item.index}.{key}"] = messages
    return ValidationFailed(error.message, fields=fields)


def order_receive(*, actor, order: PurchaseOrder, lines, date: datetime.date | None = None,
                  reference: str = "") -> Receipt:
    """Record a goods receipt against a confirmed order (see the module docstring), numbered GRN-{fy}-00001.

    `lines`: [{"line": <order line id>, "quantity": "5" (line's unit), "lots": [{"lot_name" | "lot",
    "quantity" (product's unit; a serial number is one unit), "expiry_on"}]}]. Partial receipts leave the
    rest on the backorder move; up to `over_receipt_percent` of a line more than ordered may arrive.

    Raises PermissionDenied (purchasing.receive_purchaseorder), InvalidState (the order is not confirmed,
    partially received, received or billed), ValidationFailed (`lines.<i>.<field>`: beyond the tolerance,
    a line of another order, lots missing or not adding up, a serial number already in stock...),
    InsufficientStock. Nothing is written when it raises.
    """
    require(actor, "purchasing.receive_purchaseorder", order.company)
    day = date or timezone.localdate()
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            raise ValidationFailed(fields={"date": [_("Enter a date as YYYY-MM-DD.")]}) from None
    reference = (reference or "").strip()
    if len(reference) > 100:
        raise ValidationFailed(fields={"reference": [_("At most 100 characters.")]})
    with transaction.atomic():
        order = lock_order(order)
        if order.state not in ORDER_TRANSITIONS["receive"]:
            raise InvalidState(_("Purchase order %(order)s is %(state)s: goods cannot be received against it.")
                               % {"order": order, "state": order.get_state_display()})
        percent = purchase_settings(order.company).over_receipt_percent
        planned = _plan(order, lines, percent)
        receipt = Receipt.objects.create(
            company=order.company, order=order, date=day, reference=reference, received_by=actor,
            number=sequence_next_number(company=order.company, code="purchasing_receipt", on=day),
            state=ReceiptState.DONE)
        for item in sorted(planned, key=lambda item: (item.line.product_id, item.line.pk)):
            move, value = None, ZERO
            if is_stocked(item.line):
                move = _open_move(order, item, day, actor)
                try:
                    move = move_done(actor=actor, move=move, lines=item.move_lines)
                except ValidationFailed as error:
                    raise _prefixed(error, item) from None
                value = move.value or ZERO
            ReceiptLine.objects.create(company=order.company, receipt=receipt, order_line=item.line,
                                       quantity=item.quantity, move=move, value=value)
            item.line.quantity_received += item.quantity
            item.line.save(update_fields=["quantity_received"])
        order_refresh_state(order)
        audit.record_transition(receipt, from_state="", to_state=ReceiptState.DONE)
        events.emit("purchasing.receipt.done", company=order.company, obj=receipt, payload={
            "number": receipt.number, "order": order.number,
            "lines": [{"line": item.line.pk, "quantity": str(item.quantity)} for item in planned]})
    return receipt

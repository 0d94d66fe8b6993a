"""Stock moves: create, confirm, reserve, unreserve, carry out (done) and cancel.

A move asks for a quantity of a product from one location to another; its lines say which concrete
locations and lots it takes and brings. Lines of an open move are reservations (they hold `reserved` on
the source quants); lines of a done move are the stock ledger. The quants of internal and transit
locations (the company's stock) are kept here, in the same transaction as the lines:

- quant.quantity = done lines into the location - done lines out of it (per product, location, lot);
- quant.reserved = open lines out of it; move.reserved_quantity = its open lines;
- an internal location never goes below zero available unless its warehouse allows negative stock
  (409 `insufficient_stock`); a serial number is never in stock twice.

Locking: each service locks the move row, then (serial lots and) the quant rows it reads or changes, in
pk order (missing quants are created first, race-safely on their unique constraints). Callers that
handle several moves in one transaction go through them in a fixed order (product, then pk) so that two
documents never wait for each other. Reservation picks first-expiry-first-out (lot expiry date), then
first-in-first-out (the quant's `in_date`).

These services do not check permissions: moves are made by documents (receipts, deliveries, counts,
transfers) whose services check their own; `actor` is recorded as who did it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import audit, events
from tessera.core.errors import Conflict, InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.services.base import validate
from tessera.products.choices import ProductType, Tracking
from tessera.products.services.uoms import as_decimal, uom_convert, uom_quantity_check

from ..choices import MOVE_TRANSITIONS, VALUED_USAGES, LocationUsage, MoveState
from ..models import Location, Lot, StockMove, StockMoveLine, StockQuant
from .lots import lot_get_or_create
from .replenishment import reorder_point_check
from .valuation import valuation_move_done

ZERO = Decimal("0")
MOVE_FIELDS = {"product", "quantity", "uom", "location", "location_dest", "lot", "partner", "date", "reference",
               "description", "unit_cost", "source", "origin_move"}
LINE_FIELDS = {"quantity", "lot", "lot_name", "expiry_on", "location", "location_dest"}
OPEN_STATES = (MoveState.CONFIRMED, MoveState.ASSIGNED)
RESERVE_MODES = ("partial", "all", "none")


class InsufficientStock(Conflict):
    """409 `insufficient_stock`: the stock available does not cover what is asked for."""

    code = "insufficient_stock"
    default_message = gettext_lazy("Not enough stock.")


def is_valued(location: Location) -> bool:
    """Internal and transit locations hold the company's stock: their quants are kept."""
    return location.usage in VALUED_USAGES


def _within(location: Location, root: Location) -> bool:
    return location.pk == root.pk or location.full_name.startswith(root.full_name + "/")


def _reserves(move: StockMove) -> bool:
    """Moves out of an internal location of a stockable product reserve what they take."""
    return move.location.usage == LocationUsage.INTERNAL and move.product.type == ProductType.STOCK


def _checks_stock(location: Location, product) -> bool:
    return (location.usage == LocationUsage.INTERNAL and product.type == ProductType.STOCK
            and not (location.warehouse_id and location.warehouse.allow_negative_stock))


# --- Create --------------------------------------------------------------------------------------


def _set_related(instance, name: str, value) -> None:
    if value is None or value == "":
        setattr(instance, name, None)
    elif isinstance(value, int) and not isinstance(value, bool):
        setattr(instance, f"{name}_id", value)
    else:
        setattr(instance, name, value)


def _related(instance, name: str):
    try:
        return getattr(instance, name)
    except Exception:  # noqa: BLE001  (an id that names no row: reported as a field error)
        return None


def _location_errors(move: StockMove, name: str) -> list[str]:
    location = _related(move, name)
    if location is None:
        return [_("This field is required.")]
    if location.company_id != move.company_id:
        return [_("Choose one of this company's locations.")]
    if location.usage == LocationUsage.VIEW:
        return [_("%(location)s groups other locations and takes no stock: choose a location below it.")
                % {"location": location}]
    if not location.is_active:
        return [_("Location %(location)s is archived.") % {"location": location}]
    return []


def move_create(*, actor, company: Company, data: dict) -> StockMove:
    """A draft move. `data`: product (stockable or consumable), quantity (> 0, decimal) in `uom` (default the
    product's unit; same unit category), location, location_dest (this company's, not view locations, not the
    same), lot (the product's), partner, date (default today), reference, description, unit_cost (incoming:
    per stock unit, company currency), source ("app.model:id"), origin_move (the done move a return undoes).
    `product_quantity` is the quantity converted exactly to the product's unit. Raises ValidationFailed
    (field errors; nothing written)."""
    unknown = set(data) - MOVE_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    move = StockMove(company=company, date=timezone.localdate())
    errors: dict[str, list] = {}
    for name, value in data.items():
        if name in {"product", "uom", "location", "location_dest", "lot", "partner", "origin_move"}:
            _set_related(move, name, value)
        elif name in {"reference", "description", "source"}:
            setattr(move, name, (value or "").strip())
        elif name == "date":
            move.date = value or move.date
        elif name == "unit_cost" and value is not None:
            try:
                move.unit_cost = as_decimal(value, "unit_cost")
            except ValidationFailed as error:
                errors.update(error.fields)
            else:
                if move.unit_cost < 0:
                    errors["unit_cost"] = [_("Enter a cost of zero or more.")]
    product = _related(move, "product")
    if product is None or product.company_id != company.pk:
        errors["product"] = [_("Choose one of this company's products.")]
        product = None
    elif product.type == ProductType.SERVICE:
        errors["product"] = [_("%(product)s is a service: services are not stocked.") % {"product": product}]
    if product is not None and move.uom_id is None:
        move.uom = product.uom
    for name in ("location", "location_dest"):
        found = _location_errors(move, name)
        if found:
            errors[name] = found
    if not errors.keys() & {"location", "location_dest"} and move.location_id == move.location_dest_id:
        errors["location_dest"] = [_("A move goes from one location to another.")]
    lot = _related(move, "lot")
    if move.lot_id and (lot is None or product is None or lot.product_id != product.pk):
        errors["lot"] = [_("Choose a lot of this product.")]
    partner = _related(move, "partner")
    if move.partner_id and (partner is None or partner.company_id != company.pk):
        errors["partner"] = [_("Choose one of this company's partners.")]
    origin = _related(move, "origin_move")
    if move.origin_move_id and (origin is None or origin.company_id != company.pk or origin.state != MoveState.DONE
                                or product is None or origin.product_id != product.pk):
        errors["origin_move"] = [_("Choose a done move of this product.")]
    uom = _related(move, "uom")
    if "quantity" not in data or data["quantity"] in (None, ""):
        errors["quantity"] = [_("This field is required.")]
    elif uom is not None and product is not None and "product" not in errors and "uom" not in errors:
        try:
            move.quantity = uom_quantity_check(quantity=data["quantity"], uom=uom)
            if move.quantity <= 0:
                raise ValidationFailed(fields={"quantity": [_("Enter a quantity above zero.")]})
            move.product_quantity = uom_convert(quantity=move.quantity, from_uom=uom, to_uom=product.uom)
        except ValidationFailed as error:
            errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    validate(move)
    with transaction.atomic():
        move.save()
    return move


# --- Locks and quants ----------------------------------------------------------------------------


def _lock_move(move: StockMove, transition: str) -> StockMove:
    locked = StockMove.objects.select_for_update(of=("self",)).select_related(
        "product__uom", "uom", "location__warehouse", "location_dest__warehouse", "lot", "company").get(pk=move.pk)
    allowed, _target = MOVE_TRANSITIONS[transition]
    if locked.state not in allowed:
        raise InvalidState(_("Stock move %(move)s is %(state)s.") % {"move": locked.reference or locked.pk,
                                                                     "state": locked.get_state_display()})
    return locked


def _quant_filter(keys) -> Q:
    condition = Q(pk__in=[])
    for location_id, lot_id in keys:
        condition |= Q(location_id=location_id, lot_id=lot_id) if lot_id else Q(location_id=location_id,
                                                                                 lot__isnull=True)
    return condition


def _lock_quants(move: StockMove, keys: set[tuple[int, int | None]]) -> dict[tuple, StockQuant]:
    """The quants of the move's product at (location, lot) `keys`, created when missing, locked in pk order."""
    if not keys:
        return {}
    existing = set(StockQuant.objects.filter(product_id=move.product_id).filter(_quant_filter(keys))
                   .values_list("location_id", "lot_id"))
    for location_id, lot_id in sorted(keys - existing, key=lambda key: (key[0], key[1] or 0)):
        try:
            with transaction.atomic():
                StockQuant.objects.create(company_id=move.company_id, product_id=move.product_id,
                                          location_id=location_id, lot_id=lot_id)
        except IntegrityError:
            pass  # a concurrent move created it: it is locked below like any other
    rows = StockQuant.objects.select_for_update(of=("self",)).filter(product_id=move.product_id).filter(
        _quant_filter(keys)).select_related("lot", "location").order_by("pk")
    return {(quant.location_id, quant.lot_id): quant for quant in rows}


def _release(move: StockMove, quants: dict | None = None) -> None:
    """Give back what the move's open lines hold (quants locked here unless given) and delete those lines."""
    lines = list(move.lines.filter(is_done=False).order_by("pk"))
    if not lines:
        return
    quants = quants if quants is not None else _lock_quants(move, {(ln.location_id, ln.lot_id) for ln in lines})
    for line in lines:
        quant = quants[(line.location_id, line.lot_id)]
        quant.reserved -= line.quantity
    for quant in {id(q): q for q in (quants[(ln.location_id, ln.lot_id)] for ln in lines)}.values():
        quant.save(update_fields=["reserved"])
    StockMoveLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
    move.reserved_quantity = ZERO


def _pick_order(quant: StockQuant):
    expiry = quant.lot.expiry_on if quant.lot_id else None
    return (expiry is None, expiry or datetime.date.min, quant.in_date is None, quant.in_date or datetime.date.min,
            quant.pk)


def _reserve(move: StockMove, *, require_all: bool) -> Decimal:
    """Reserve what the move still needs from its source location and the locations below it, first expiry
    then first in; returns the quantity reserved now. Raises InsufficientStock when `require_all` and the
    available stock falls short (the caller's transaction is then rolled back)."""
    needed = move.product_quantity - move.reserved_quantity
    if needed <= 0:
        return ZERO
    location_ids = list(Location.objects.filter(
        Q(pk=move.location_id) | Q(full_name__startswith=move.location.full_name + "/"),
        company_id=move.company_id, usage=LocationUsage.INTERNAL).values_list("pk", flat=True))
    quants = StockQuant.objects.select_for_update(of=("self",)).select_related("lot", "location").filter(
        product_id=move.product_id, location_id__in=location_ids).order_by("pk")
    if move.lot_id:
        quants = quants.filter(lot_id=move.lot_id)
    candidates = sorted((quant for quant in quants if quant.quantity - quant.reserved > 0), key=_pick_order)
    remaining, picks = needed, []
    for quant in candidates:
        if remaining <= 0:
            break
        take = min(quant.quantity - quant.reserved, remaining)
        picks.append((quant, take))
        remaining -= take
    if require_all and remaining > 0:
        raise InsufficientStock(
            _("Not enough %(product)s in %(location)s: %(needed)s needed, %(available)s available.")
            % {"product": move.product, "location": move.location, "needed": needed.normalize(),
               "available": (needed - remaining).normalize()})
    open_lines = {(line.location_id, line.lot_id): line for line in move.lines.filter(is_done=False)}
    for quant, take in picks:
        quant.reserved += take
        quant.save(update_fields=["reserved"])
        line = open_lines.get((quant.location_id, quant.lot_id))
        if line is not None:
            line.quantity += take
            line.save(update_fields=["quantity"])
        else:
            StockMoveLine.objects.create(company_id=move.company_id, move=move, product_id=move.product_id,
                                         location_id=quant.location_id, location_dest_id=move.location_dest_id,
                                         lot_id=quant.lot_id, quantity=take)
    reserved = needed - remaining
    move.reserved_quantity += reserved
    return reserved


def _settle_state(move: StockMove, from_state: str) -> None:
    """assigned when nothing is left to reserve (or nothing needs reserving), else confirmed."""
    if not _reserves(move) or move.reserved_quantity >= move.product_quantity:
        move.state = MoveState.ASSIGNED
    else:
        move.state = MoveState.CONFIRMED
    move.save(update_fields=["state", "reserved_quantity"])
    if move.state != from_state:
        audit.record_transition(move, from_state=from_state, to_state=move.state)


def _payload(move: StockMove) -> dict:
    return {"product": move.product_id, "quantity": str(move.product_quantity), "location": move.location_id,
            "location_dest": move.location_dest_id, "reference": move.reference, "source": move.source}


# --- Transitions ---------------------------------------------------------------------------------


def move_confirm(*, actor, move: StockMove, reserve: str = "partial") -> StockMove:
    """draft -> confirmed, reserving at once when it takes stockable goods out of an internal location:
    `reserve` "partial" (what is available; the rest waits), "all" (409 `insufficient_stock` and nothing
    written unless the stock covers the whole quantity) or "none". A move with everything reserved, or one
    that needs no reservation (from a supplier, the inventory-loss location, transit...), becomes assigned.
    Raises InvalidState (not a draft), InsufficientStock."""
    if reserve not in RESERVE_MODES:
        raise ValidationFailed(fields={"reserve": [_("Choose partial, all or none.")]})
    with transaction.atomic():
        move = _lock_move(move, "confirm")
        if _reserves(move) and reserve != "none":
            _reserve(move, require_all=reserve == "all")
        _settle_state(move, MoveState.DRAFT)
        events.emit("inventory.move.confirmed", company=move.company, obj=move, payload=_payload(move))
    return move


def move_reserve(*, actor, move: StockMove, require_all: bool = False) -> StockMove:
    """Reserve what a confirmed move still needs (first expiry, then first in, from its source location and
    those below it); with `require_all`, 409 `insufficient_stock` (nothing written) unless it all fits.
    A fully reserved move is left as it is. Raises InvalidState (not confirmed or assigned)."""
    with transaction.atomic():
        move = _lock_move(move, "reserve")
        from_state = move.state
        reserved = _reserve(move, require_all=require_all) if _reserves(move) else ZERO
        _settle_state(move, from_state)
        if reserved:
            events.emit("inventory.move.reserved", company=move.company, obj=move,
                        payload={**_payload(move), "reserved": str(move.reserved_quantity)})
    return move


def move_unreserve(*, actor, move: StockMove) -> StockMove:
    """Release a move's reservation: it waits (confirmed) again. Raises InvalidState (not confirmed or
    assigned, or nothing reserved)."""
    with transaction.atomic():
        move = _lock_move(move, "unreserve")
        if not move.reserved_quantity:
            raise InvalidState(_("Stock move %(move)s has nothing reserved.") % {"move": move.reference or move.pk})
        from_state = move.state
        _release(move)
        move.state = MoveState.CONFIRMED
        move.save(update_fields=["state", "reserved_quantity"])
        if from_state != move.state:
            audit.record_transition(move, from_state=from_state, to_state=move.state)
        events.emit("inventory.move.unreserved", company=move.company, obj=move, payload=_payload(move))
    return move


def move_cancel(*, actor, move: StockMove) -> StockMove:
    """Cancel a move that is not done, releasing its reservation. A done move is never cancelled: a return
    move (origin_move) undoes it. Raises InvalidState."""
    with transaction.atomic():
        move = _lock_move(move, "cancel")
        from_state = move.state
        _release(move)
        move.state = MoveState.CANCELLED
        move.save(update_fields=["state", "reserved_quantity"])
        audit.record_transition(move, from_state=from_state, to_state=move.state)
        events.emit("inventory.move.cancelled", company=move.company, obj=move, payload=_payload(move))
    return move


# --- Done ----------------------------------------------------------------------------------------


@dataclass
class DoneLine:
    """One line to carry out, in the product's unit."""

    quantity: Decimal
    lot: Lot | None
    location: Location
    location_dest: Location


def _pk_of(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return getattr(value, "pk", None)


def _line_location(move: StockMove, value, root: Location, found: dict) -> Location | None:
    """The line's location: the move's when not given, else one in the move's location (or below it)."""
    if value is None or value == "":
        return root
    location = found.get(_pk_of(value))
    if location is None or location.company_id != move.company_id or location.usage == LocationUsage.VIEW \
            or not _within(location, root):
        return None
    return location


def _line_lot(move: StockMove, item: dict, source: Location, prefix: str, errors: dict) -> Lot | None:
    product = move.product
    if item.get("lot") not in (None, ""):
        lot = Lot.objects.filter(pk=_pk_of(item["lot"]), company_id=move.company_id, product_id=product.pk).first()
        if lot is None:
            errors[prefix + "lot"] = [_("Choose a lot of this product.")]
        return lot
    name = (item.get("lot_name") or "").strip()
    if not name:
        return move.lot
    if is_valued(source):  # taking stock out: the lot must exist
        lot = Lot.objects.filter(company_id=move.company_id, product_id=product.pk, name=name).first()
        if lot is None:
            errors[prefix + "lot_name"] = [_("%(product)s has no lot or serial number %(name)s.")
                                           % {"product": product, "name": name}]
        return lot
    try:
        return lot_get_or_create(company=move.company, product=product, name=name, expiry_on=item.get("expiry_on"))
    except ValidationFailed as error:
        errors.update({prefix + field: messages for field, messages in error.fields.items()})
        return None


def _parse_lines(move: StockMove, lines) -> list[DoneLine]:
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationFailed(fields={"lines": [_("Send the lines as a non-empty list.")]})
    wanted = {_pk_of(item.get(name)) for item in lines if isinstance(item, dict)
              for name in ("location", "location_dest")} - {None}
    found = Location.objects.select_related("warehouse").in_bulk(wanted)
    parsed, errors = [], {}
    for index, item in enumerate(lines):
        prefix = f"lines.{index}."
        if not isinstance(item, dict) or set(item) - LINE_FIELDS:
            errors[prefix + "non_field_errors"] = [
                _("Send each line as {quantity, lot or lot_name (and expiry_on), location, location_dest}.")]
            continue
        try:
            quantity = uom_quantity_check(quantity=item.get("quantity"), uom=move.product.uom,
                                          field=prefix + "quantity")
        except ValidationFailed as error:
            errors.update(error.fields)
            continue
        if quantity <= 0:
            errors[prefix + "quantity"] = [_("Enter a quantity above zero.")]
            continue
        location = _line_location(move, item.get("location"), move.location, found)
        destination = _line_location(move, item.get("location_dest"), move.location_dest, found)
        if location is None:
            errors[prefix + "location"] = [_("Choose %(location)s or a location below it.")
                                           % {"location": move.location}]
        if destination is None:
            errors[prefix + "location_dest"] = [_("Choose %(location)s or a location below it.")
                                                % {"location": move.location_dest}]
        if location is None or destination is None:
            continue
        lot = _line_lot(move, item, location, prefix, errors)
        parsed.append(DoneLine(quantity, lot, location, destination))
    if errors:
        raise ValidationFailed(fields=errors)
    return parsed


def _default_lines(move: StockMove) -> list[DoneLine]:
    """The reserved lines (reserving what is available first), and the rest from the move's own location."""
    if _reserves(move):
        _reserve(move, require_all=False)
    lines = [DoneLine(line.quantity, line.lot, line.location, line.location_dest) for line in
             move.lines.filter(is_done=False).select_related("lot", "location__warehouse", "location_dest")]
    rest = move.product_quantity - sum((line.quantity for line in lines), ZERO)
    if rest > 0:
        lines.append(DoneLine(rest, move.lot, move.location, move.location_dest))
    return lines


def _check_tracking(move: StockMove, lines: list[DoneLine]) -> None:
    tracking, errors = move.product.tracking, {}
    serials: set[int] = set()
    for index, line in enumerate(lines):
        field = f"lines.{index}.lot"
        if tracking == Tracking.NONE and line.lot is not None:
            errors[field] = [_("%(product)s is not tracked by lot.") % {"product": move.product}]
        elif tracking != Tracking.NONE and line.lot is None:
            errors[field] = [_("%(product)s is tracked: say which lot or serial number moves.")
                             % {"product": move.product}]
        elif tracking == Tracking.SERIAL:
            if line.quantity != 1:
                errors[f"lines.{index}.quantity"] = [_("A serial number is one unit: give one line per serial "
                                                       "number.")]
            elif line.lot.pk in serials:
                errors[field] = [_("Serial number %(name)s is given twice.") % {"name": line.lot.name}]
            serials.add(line.lot.pk)
    if errors:
        raise ValidationFailed(fields=errors)


def _split(move: StockMove, done: Decimal) -> StockMove:
    """Keep `done` (product unit) on the move and put the rest on a new move (a backorder) in the move's
    unit when it converts exactly, else in the product's unit."""
    rest = move.product_quantity - done
    product = move.product
    try:
        done_in_uom = uom_convert(quantity=done, from_uom=product.uom, to_uom=move.uom)
        uom, rest_in_uom = move.uom, move.quantity - done_in_uom
    except ValidationFailed:
        uom, done_in_uom, rest_in_uom = product.uom, done, rest
    backorder = StockMove.objects.create(
        company_id=move.company_id, reference=move.reference, source=move.source, description=move.description,
        product=product, quantity=rest_in_uom, uom=uom, product_quantity=rest, location=move.location,
        location_dest=move.location_dest, lot=move.lot, partner_id=move.partner_id, date=move.date,
        unit_cost=move.unit_cost, origin_move_id=move.origin_move_id,
        state=MoveState.DRAFT if move.state == MoveState.DRAFT else MoveState.CONFIRMED)
    move.quantity, move.uom, move.product_quantity = done_in_uom, uom, done
    return backorder


def _apply(move: StockMove, lines: list[DoneLine]) -> None:
    """Release the move's reservation, move the quants (stock checked) and write the done lines."""
    keys = {(line.location_id, line.lot_id) for line in move.lines.filter(is_done=False)}
    for line in lines:
        lot_id = line.lot.pk if line.lot else None
        keys |= {(location.pk, lot_id) for location in (line.location, line.location_dest) if is_valued(location)}
    quants = _lock_quants(move, keys)
    _release(move, quants)
    touched, done_lines = {}, []
    for line in lines:
        lot_id = line.lot.pk if line.lot else None
        arriving = move.date
        if is_valued(line.location):
            quant = quants[(line.location.pk, lot_id)]
            if _checks_stock(line.location, move.product) and quant.quantity - quant.reserved < line.quantity:
                raise InsufficientStock(
                    _("Not enough %(product)s%(lot)s in %(location)s: %(needed)s needed, %(available)s available.")
                    % {"product": move.product, "lot": f" ({line.lot.name})" if line.lot else "",
                       "location": line.location, "needed": line.quantity.normalize(),
                       "available": max(quant.quantity - quant.reserved, ZERO).normalize()})
            arriving = quant.in_date or move.date  # stock moved inside the company keeps its age
            quant.quantity -= line.quantity
            touched[quant.pk] = quant
        if is_valued(line.location_dest):
            quant = quants[(line.location_dest.pk, lot_id)]
            quant.in_date = arriving if quant.quantity <= 0 or quant.in_date is None else min(quant.in_date, arriving)
            quant.quantity += line.quantity
            touched[quant.pk] = quant
        done_lines.append(StockMoveLine(company_id=move.company_id, move=move, product_id=move.product_id,
                                        location=line.location, location_dest=line.location_dest, lot=line.lot,
                                        quantity=line.quantity, is_done=True, date=move.date))
    for quant in touched.values():
        quant.save(update_fields=["quantity", "in_date"])
    StockMoveLine.objects.bulk_create(done_lines)


def _check_serials(move: StockMove, lines: list[DoneLine]) -> None:
    if move.product.tracking != Tracking.SERIAL:
        return
    for index, line in enumerate(lines):
        in_stock = StockQuant.objects.filter(lot=line.lot, location__usage__in=VALUED_USAGES).aggregate(
            total=Sum("quantity"))["total"] or ZERO
        if in_stock > 1:
            raise ValidationFailed(fields={f"lines.{index}.lot": [
                _("Serial number %(name)s is in stock already.") % {"name": line.lot.name}]})


def move_done(*, actor, move: StockMove, lines: list[dict] | None = None) -> StockMove:
    """Carry out a move (draft, confirmed or assigned): update the quants, write the done lines dated the
    move's date, state done, then value it (`valuation_move_done`), all in one transaction.

    `lines` (product's unit): [{"quantity", "lot" | "lot_name" (+ "expiry_on"), "location",
    "location_dest"}], locations within the move's (default: the move's own), a lot_name received is
    created. Without lines: the reserved lines (reserving what is available first), the rest from the
    move's location. Lines adding up to less than the move leave the rest on a new move (a backorder,
    reserved again); more is refused. Tracked products need a lot per line; a serial number is one unit
    and never in stock twice.

    Raises InvalidState (done or cancelled), ValidationFailed (`lines.<i>.<field>`), InsufficientStock
    (409: an internal location would go below what is available, unless its warehouse allows negative
    stock); nothing is written then.
    """
    with transaction.atomic():
        move = _lock_move(move, "done")
        from_state = move.state
        planned = _default_lines(move) if lines is None else _parse_lines(move, lines)
        _check_tracking(move, planned)
        total = sum((line.quantity for line in planned), ZERO)
        if total > move.product_quantity:
            raise ValidationFailed(fields={"lines": [
                _("The lines add up to %(total)s, more than the move's %(quantity)s.")
                % {"total": total.normalize(), "quantity": move.product_quantity.normalize()}]})
        backorder = _split(move, total) if total < move.product_quantity else None
        if move.product.tracking == Tracking.SERIAL:
            list(Lot.objects.select_for_update(of=("self",)).filter(
                pk__in=[line.lot.pk for line in planned]).order_by("pk"))  # one receipt of a serial at a time
        _apply(move, planned)
        _check_serials(move, planned)
        move.state = MoveState.DONE
        move.done_at = timezone.now()
        move.done_by = actor if getattr(actor, "is_authenticated", False) else None
        move.reserved_quantity = ZERO
        move.save()
        audit.record_transition(move, from_state=from_state, to_state=MoveState.DONE)
        events.emit("inventory.move.done", company=move.company, obj=move, payload=_payload(move))
        valuation_move_done(actor=actor, move=move)
        reorder_point_check(move=move)
        if backorder is not None:
            if backorder.state != MoveState.DRAFT:
                if _reserves(backorder):
                    _reserve(backorder, require_all=False)
                _settle_state(backorder, MoveState.CONFIRMED)
    return move

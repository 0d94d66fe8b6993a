"""Transfers between internal locations (usually two warehouses) through the company's transit location.

Life cycle (TRANSFER_TRANSITIONS): draft -> confirmed -> in_transit -> done; confirmed -> done does both
steps at once; draft or confirmed -> cancelled.

- confirm: number TRF-{fy}-00001 (core numbering); one move per line from the source to
  "Virtual/Transit" (`move_out`), confirmed, which reserves what is available at the source (the rest
  waits; shipping then needs the stock: 409 `insufficient_stock`).
- ship: `move_out` done (the lots it reserved leave the source); one move per line from transit to the
  destination (`move_in`, confirmed) carrying the same lots.
- done: ship first when still confirmed, then `move_in` done.
- cancel: the open moves are cancelled (reservations released). Goods in transit are not cancelled: they
  arrive (done) and go back with a new transfer.
Internal and transit locations are both valued, so no journal entry is posted: the stock stays in the
inventory account while in transit (valuation counts transit stock).

Locking: the transfer row, then its moves in (product, line pk) order (services.moves lock their quants).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.numbering import sequence_default, sequence_next_number
from tessera.products.choices import ProductType
from tessera.products.models import Product, Uom
from tessera.products.services.uoms import uom_quantity_check

from ..choices import TRANSFER_TRANSITIONS, LocationUsage, MoveState, TransferState
from ..models import Location, Lot, Transfer, TransferLine
from .locations import virtual_location
from .moves import move_cancel, move_confirm, move_create, move_done

sequence_default("stock_transfer", name="Transfer", prefix="TRF-{fy}-", padding=5)

TRANSFER_FIELDS = {"location", "location_dest", "date", "description"}
LINE_FIELDS = {"product", "quantity", "uom", "lot"}


def _pk(value) -> int | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return getattr(value, "pk", None)


def _header(transfer: Transfer, data: dict) -> None:
    unknown = set(data) - TRANSFER_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    errors = {}
    for name in ("location", "location_dest"):
        if name in data:
            setattr(transfer, f"{name}_id", _pk(data[name]))
        location = Location.objects.filter(pk=getattr(transfer, f"{name}_id")).first()
        if location is None or location.company_id != transfer.company_id or location.usage != LocationUsage.INTERNAL:
            errors[name] = [_("Choose one of this company's internal locations.")]
        elif not location.is_active:
            errors[name] = [_("Location %(location)s is archived.") % {"location": location}]
    if not errors and transfer.location_id == transfer.location_dest_id:
        errors["location_dest"] = [_("A transfer goes from one location to another.")]
    if "date" in data:
        transfer.date = data["date"] or timezone.localdate()
    if "description" in data:
        transfer.description = (data["description"] or "").strip()
    if errors:
        raise ValidationFailed(fields=errors)
    validate(transfer)


def _lines(transfer: Transfer, lines) -> list[TransferLine]:
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    built, errors = [], {}
    for index, item in enumerate(lines):
        prefix = f"lines.{index}."
        if not isinstance(item, dict) or set(item) - LINE_FIELDS:
            errors[prefix + "non_field_errors"] = [_("Send each line as {product, quantity, uom, lot}.")]
            continue
        product = Product.objects.select_related("uom").filter(pk=_pk(item.get("product")),
                                                               company_id=transfer.company_id).first()
        if product is None or product.type != ProductType.STOCK:
            errors[prefix + "product"] = [_("Choose one of this company's stocked products.")]
            continue
        uom = product.uom
        if item.get("uom") not in (None, ""):
            uom = Uom.objects.filter(pk=_pk(item["uom"]), category_id=product.uom.category_id).first()
            if uom is None:
                errors[prefix + "uom"] = [_("Choose a unit of the product's unit category.")]
                continue
        try:
            quantity = uom_quantity_check(quantity=item.get("quantity"), uom=uom, field=prefix + "quantity")
        except ValidationFailed as error:
            errors.update(error.fields)
            continue
        if quantity <= 0:
            errors[prefix + "quantity"] = [_("Enter a quantity above zero.")]
            continue
        lot = None
        if item.get("lot") not in (None, ""):
            lot = Lot.objects.filter(pk=_pk(item["lot"]), company_id=transfer.company_id, product=product).first()
            if lot is None:
                errors[prefix + "lot"] = [_("Choose a lot of this product.")]
                continue
        built.append(TransferLine(company_id=transfer.company_id, product=product, quantity=quantity, uom=uom,
                                  lot=lot))
    if errors:
        raise ValidationFailed(fields=errors)
    return built


def _save_lines(transfer: Transfer, built: list[TransferLine]) -> None:
    for line in built:
        line.transfer = transfer
        line.save()


def transfer_create(*, actor, company: Company, data: dict, lines: list[dict]) -> Transfer:
    """A draft transfer. `data`: location, location_dest (internal, different), date (default today),
    description; `lines`: [{product (stocked), quantity (> 0, decimal string), uom (default the product's),
    lot}]. Raises PermissionDenied (inventory.add_transfer), ValidationFailed; nothing written then."""
    require(actor, "inventory.add_transfer", company)
    transfer = Transfer(company=company, date=timezone.localdate())
    _header(transfer, data)
    built = _lines(transfer, lines)
    with transaction.atomic():
        transfer.save()
        _save_lines(transfer, built)
    return transfer


def _lock(transfer: Transfer, transition: str | None = None) -> Transfer:
    locked = Transfer.objects.select_for_update(of=("self",)).select_related("company").get(pk=transfer.pk)
    allowed = TRANSFER_TRANSITIONS[transition][0] if transition else {TransferState.DRAFT}
    if locked.state not in allowed:
        raise InvalidState(_("Transfer %(transfer)s is %(state)s.") % {"transfer": locked,
                                                                       "state": locked.get_state_display()})
    return locked


def transfer_update(*, actor, transfer: Transfer, data: dict, lines: list[dict] | None = None,
                    version: int | None = None) -> Transfer:
    """Change a draft transfer (and replace its lines when given). Raises InvalidState (not a draft, stale
    `version`), ValidationFailed, PermissionDenied (inventory.change_transfer)."""
    require(actor, "inventory.change_transfer", transfer.company)
    with transaction.atomic():
        transfer = _lock(transfer)
        if version is not None and version != transfer.version:
            raise InvalidState(_("Someone else changed this transfer meanwhile: reload it and try again."))
        _header(transfer, data)
        built = _lines(transfer, lines) if lines is not None else None
        transfer.version += 1
        transfer.save()
        if built is not None:
            transfer.lines.all().delete()
            _save_lines(transfer, built)
    return transfer


def transfer_delete(*, actor, transfer: Transfer) -> None:
    """Delete a draft transfer. Raises InvalidState otherwise, PermissionDenied (inventory.delete_transfer)."""
    require(actor, "inventory.delete_transfer", transfer.company)
    with transaction.atomic():
        _lock(transfer).delete()


def _ordered_lines(transfer: Transfer) -> list[TransferLine]:
    return list(transfer.lines.select_related("product__uom", "uom", "lot", "move_out", "move_in")
                .order_by("product_id", "pk"))


def _transition(transfer: Transfer, from_state: str, to_state: str) -> None:
    transfer.state = to_state
    transfer.save()
    audit.record_transition(transfer, from_state=from_state, to_state=to_state)
    events.emit(f"inventory.transfer.{to_state}", company=transfer.company, obj=transfer,
                payload={"number": transfer.number, "location": transfer.location_id,
                         "location_dest": transfer.location_dest_id})


def transfer_confirm(*, actor, transfer: Transfer) -> Transfer:
    """draft -> confirmed: number, and per line a move to transit that reserves what is available at the
    source. Raises PermissionDenied (inventory.confirm_transfer), InvalidState."""
    require(actor, "inventory.confirm_transfer", transfer.company)
    with transaction.atomic():
        transfer = _lock(transfer, "confirm")
        transit = virtual_location(company=transfer.company, usage=LocationUsage.TRANSIT)
        transfer.number = sequence_next_number(company=transfer.company, code="stock_transfer", on=transfer.date)
        for line in _ordered_lines(transfer):
            move = move_create(actor=actor, company=transfer.company, data={
                "product": line.product, "quantity": line.quantity, "uom": line.uom, "location": transfer.location_id,
                "location_dest": transit, "lot": line.lot, "date": transfer.date, "reference": transfer.number,
                "description": transfer.description, "source": f"inventory.transfer:{transfer.pk}"})
            line.move_out = move_confirm(actor=actor, move=move)
            line.save(update_fields=["move_out"])
        _transition(transfer, TransferState.DRAFT, TransferState.CONFIRMED)
    return transfer


def _ship(actor, transfer: Transfer) -> None:
    transit = virtual_location(company=transfer.company, usage=LocationUsage.TRANSIT)
    for line in _ordered_lines(transfer):
        move_done(actor=actor, move=line.move_out)
        move = move_create(actor=actor, company=transfer.company, data={
            "product": line.product, "quantity": line.quantity, "uom": line.uom, "location": transit,
            "location_dest": transfer.location_dest_id, "lot": line.lot, "date": transfer.date,
            "reference": transfer.number, "description": transfer.description,
            "source": f"inventory.transfer:{transfer.pk}"})
        line.move_in = move_confirm(actor=actor, move=move)
        line.save(update_fields=["move_in"])
    transfer.shipped_at = timezone.now()


def transfer_ship(*, actor, transfer: Transfer) -> Transfer:
    """confirmed -> in transit: the goods leave the source (reserved lots first) for the transit location.
    Raises PermissionDenied (inventory.post_transfer), InvalidState, InsufficientStock (409)."""
    require(actor, "inventory.post_transfer", transfer.company)
    with transaction.atomic():
        transfer = _lock(transfer, "ship")
        _ship(actor, transfer)
        _transition(transfer, TransferState.CONFIRMED, TransferState.IN_TRANSIT)
    return transfer


def transfer_done(*, actor, transfer: Transfer) -> Transfer:
    """confirmed or in transit -> done: (ship when still confirmed, then) the goods arrive at the destination
    with the lots that left. Raises PermissionDenied (inventory.post_transfer), InvalidState, InsufficientStock."""
    require(actor, "inventory.post_transfer", transfer.company)
    with transaction.atomic():
        transfer = _lock(transfer, "done")
        from_state = transfer.state
        if from_state == TransferState.CONFIRMED:
            _ship(actor, transfer)
        transit = virtual_location(company=transfer.company, usage=LocationUsage.TRANSIT)
        for line in _ordered_lines(transfer):
            out_lines = line.move_out.lines.filter(is_done=True).order_by("pk")
            move_done(actor=actor, move=line.move_in, lines=[
                {"quantity": moved.quantity, "lot": moved.lot_id, "location": transit.pk,
                 "location_dest": transfer.location_dest_id} for moved in out_lines])
        transfer.done_at = timezone.now()
        _transition(transfer, from_state, TransferState.DONE)
    return transfer


def transfer_cancel(*, actor, transfer: Transfer) -> Transfer:
    """draft or confirmed -> cancelled, releasing what the moves to transit reserved. Raises PermissionDenied
    (inventory.cancel_transfer), InvalidState (in transit, done, cancelled)."""
    require(actor, "inventory.cancel_transfer", transfer.company)
    with transaction.atomic():
        transfer = _lock(transfer, "cancel")
        from_state = transfer.state
        for line in _ordered_lines(transfer):
            if line.move_out is not None and line.move_out.state not in (MoveState.DONE, MoveState.CANCELLED):
                move_cancel(actor=actor, move=line.move_out)
        _transition(transfer, from_state, TransferState.CANCELLED)
    return transfer


"""Lots and serial numbers of tracked products.

A lot belongs to one product of one company and its name is unique there; `expiry_on` drives
first-expiry-first-out picking. A serial number is a lot of a product tracked by serial: one unit, never
in stock twice (checked by the move services when it moves).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate
from tessera.products.choices import Tracking

from ..models import Lot

LOT_FIELDS = {"product", "name", "expiry_on", "notes"}


def _check_product(lot: Lot) -> None:
    product = lot.product if lot.product_id else None
    if product is None or product.company_id != lot.company_id:
        raise ValidationFailed(fields={"product": [_("Choose one of this company's products.")]})
    if product.tracking == Tracking.NONE:
        raise ValidationFailed(fields={"product": [
            _("%(product)s is not tracked by lot or serial number.") % {"product": product}]})


def _clean(lot: Lot) -> None:
    lot.name = (lot.name or "").strip()
    if not lot.name:
        raise ValidationFailed(fields={"name": [_("This field is required.")]})
    _check_product(lot)
    if Lot.objects.filter(company_id=lot.company_id, product_id=lot.product_id, name=lot.name) \
            .exclude(pk=lot.pk).exists():
        raise ValidationFailed(fields={"name": [_("This product has a lot or serial number %(name)s already.")
                                                % {"name": lot.name}]})
    validate(lot, exclude=["product"])


def lot_create(*, actor, company: Company, data: dict) -> Lot:
    """A lot or serial number: `data` product (tracked), name (unique per product), expiry_on, notes.
    Raises PermissionDenied (inventory.add_lot), ValidationFailed."""
    require(actor, "inventory.add_lot", company)
    lot = Lot(company=company)
    assign(lot, data, LOT_FIELDS)
    _clean(lot)
    try:
        with transaction.atomic():
            lot.save()
    except IntegrityError:
        raise ValidationFailed(fields={"name": [_("This product has a lot or serial number %(name)s already.")
                                                % {"name": lot.name}]}) from None
    return lot


def lot_update(*, actor, lot: Lot, data: dict) -> Lot:
    """Change a lot's name, expiry date or notes (its product is fixed). Raises PermissionDenied
    (inventory.change_lot), ValidationFailed."""
    require(actor, "inventory.change_lot", lot.company)
    if "product" in data and getattr(data["product"], "pk", data["product"]) != lot.product_id:
        raise ValidationFailed(fields={"product": [_("A lot's product cannot change.")]})
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).get(pk=lot.pk)
        assign(lot, {key: value for key, value in data.items() if key != "product"}, LOT_FIELDS - {"product"})
        _clean(lot)
        lot.save()
    return lot


def lot_get_or_create(*, company: Company, product, name: str, expiry_on: datetime.date | None = None) -> Lot:
    """The product's lot `name`, created when new (with `expiry_on`); an existing lot without an expiry date
    takes the one given. Safe when two receipts create the same lot at once. Raises ValidationFailed
    (product not tracked, empty name). Called by the move services: no permission of its own."""
    name = (name or "").strip()
    lot = Lot(company=company, product=product, name=name, expiry_on=expiry_on)
    if not name:
        raise ValidationFailed(fields={"lot_name": [_("Enter the lot or serial number.")]})
    _check_product(lot)
    for _attempt in range(2):
        found = Lot.objects.filter(company=company, product=product, name=name).first()
        if found is not None:
            if expiry_on is not None and found.expiry_on is None:
                found.expiry_on = expiry_on
                found.save(update_fields=["expiry_on"])
            return found
        try:
            with transaction.atomic():
                lot.save()
            return lot
        except IntegrityError:
            lot.pk = None
            continue  # created by a concurrent receipt meanwhile: read it
    return Lot.objects.get(company=company, product=product, name=name)

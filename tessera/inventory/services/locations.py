"""Warehouses and their location trees, and the company's virtual locations.

Invariants kept here:
- a warehouse has a root `view_location` ("<CODE>", usage view: groups, takes no stock) and a default
  `stock_location` ("<CODE>/Stock", internal) created with it;
- every internal location belongs to a warehouse (its parent's); a location's warehouse is its parent's;
- `full_name` is the path of names from the root ("SH/Stock/A-01"), unique per company, kept for the
  whole subtree when a location is renamed or moved; a location is never moved below itself;
- a location that ever held stock or appears on a move is never deleted (it can be deactivated once empty);
- the company has one location of each virtual usage ("Partners/Suppliers", "Partners/Customers",
  "Virtual/Inventory loss", "Virtual/Transit", "Virtual/Production"), created on first use, race-safe.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate

from ..choices import LocationUsage
from ..models import Location, StockMove, StockMoveLine, StockQuant, Warehouse

WAREHOUSE_FIELDS = {"code", "name", "address", "allow_negative_stock", "stock_location"}
LOCATION_FIELDS = {"name", "parent", "usage", "barcode", "is_active"}
VIRTUAL_USAGES = {
    LocationUsage.SUPPLIER: ("Partners", "Suppliers"),
    LocationUsage.CUSTOMER: ("Partners", "Customers"),
    LocationUsage.INVENTORY: ("Virtual", "Inventory loss"),
    LocationUsage.TRANSIT: ("Virtual", "Transit"),
    LocationUsage.PRODUCTION: ("Virtual", "Production"),
}
STOCK_NAME = "Stock"


def subtree_filter(location: Location) -> Q:
    """The location and every location below it (by path, one indexable condition)."""
    return Q(company_id=location.company_id) & (Q(pk=location.pk) | Q(full_name__startswith=location.full_name + "/"))


def location_subtree_ids(location: Location) -> list[int]:
    """Pks of `location` and its descendants."""
    return list(Location.objects.filter(subtree_filter(location)).values_list("pk", flat=True))


def _lock_location(location: Location) -> Location:
    return Location.objects.select_for_update(of=("self",)).get(pk=location.pk)


def _lock_warehouse(warehouse: Warehouse) -> Warehouse:
    return Warehouse.objects.select_for_update(of=("self",)).get(pk=warehouse.pk)


def _clean_name(name, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(fields={field: [_("This field is required.")]})
    if "/" in name:
        raise ValidationFailed(fields={field: [_("A name cannot contain “/”: it separates the levels of a "
                                                 "location's full name.")]})
    return name


def _full_name_taken(company_id: int, full_name: str, exclude_pk: int | None = None) -> bool:
    taken = Location.objects.filter(company_id=company_id, full_name=full_name)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


def _barcode_check(location: Location) -> None:
    location.barcode = (location.barcode or "").strip()
    if location.barcode and Location.objects.filter(company_id=location.company_id, barcode=location.barcode) \
            .exclude(pk=location.pk).exists():
        raise ValidationFailed(fields={"barcode": [_("Another location has this barcode.")]})


def _save_location(location: Location) -> None:
    """Save; a path or barcode taken meanwhile by a concurrent request reads as the same field error."""
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:
        _barcode_check(location)
        raise ValidationFailed(fields={"name": [_("A location named %(name)s exists already.")
                                                % {"name": location.full_name}]}) from None


# --- Warehouses ----------------------------------------------------------------------------------


def _warehouse_clean(warehouse: Warehouse) -> None:
    warehouse.code = (warehouse.code or "").strip().upper()
    warehouse.name = (warehouse.name or "").strip()
    errors = {}
    if not warehouse.code:
        errors["code"] = [_("This field is required.")]
    elif "/" in warehouse.code or " " in warehouse.code:
        errors["code"] = [_("A warehouse code has no spaces and no “/”.")]
    elif Warehouse.objects.filter(company_id=warehouse.company_id, code=warehouse.code) \
            .exclude(pk=warehouse.pk).exists():
        errors["code"] = [_("Another warehouse has this code.")]
    if errors:
        raise ValidationFailed(fields=errors)
    validate(warehouse, exclude=["view_location", "stock_location"])


def warehouse_create(*, actor, company: Company, data: dict) -> Warehouse:
    """A warehouse with its root view location "<CODE>" and its stock location "<CODE>/Stock".

    `data`: code (unique in the company, upper-cased), name, address, allow_negative_stock.
    Raises PermissionDenied (inventory.add_warehouse), ValidationFailed; nothing written then.
    """
    require(actor, "inventory.add_warehouse", company)
    warehouse = Warehouse(company=company)
    assign(warehouse, data, WAREHOUSE_FIELDS - {"stock_location"})
    _warehouse_clean(warehouse)
    if _full_name_taken(company.pk, warehouse.code):
        raise ValidationFailed(fields={"code": [_("A location named %(name)s exists already.")
                                                % {"name": warehouse.code}]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                warehouse.save()
        except IntegrityError:
            raise ValidationFailed(fields={"code": [_("Another warehouse has this code.")]}) from None
        view = Location(company=company, warehouse=warehouse, name=warehouse.code, full_name=warehouse.code,
                        usage=LocationUsage.VIEW)
        _save_location(view)
        stock = Location(company=company, warehouse=warehouse, parent=view, name=STOCK_NAME,
                         full_name=f"{warehouse.code}/{STOCK_NAME}", usage=LocationUsage.INTERNAL)
        _save_location(stock)
        warehouse.view_location, warehouse.stock_location = view, stock
        warehouse.save(update_fields=["view_location", "stock_location"])
    return warehouse


def warehouse_update(*, actor, warehouse: Warehouse, data: dict) -> Warehouse:
    """Change a warehouse's code, name, address, negative-stock setting or default stock location (an
    active internal location of this warehouse). A new code renames its root location and so the full
    names of all its locations. Raises PermissionDenied (inventory.change_warehouse), ValidationFailed."""
    require(actor, "inventory.change_warehouse", warehouse.company)
    with transaction.atomic():
        warehouse = _lock_warehouse(warehouse)
        old_code = warehouse.code
        assign(warehouse, data, WAREHOUSE_FIELDS)
        _warehouse_clean(warehouse)
        stock = warehouse.stock_location
        if "stock_location" in data and (stock is None or stock.warehouse_id != warehouse.pk
                                         or stock.usage != LocationUsage.INTERNAL or not stock.is_active):
            raise ValidationFailed(fields={"stock_location": [
                _("Choose an active internal location of this warehouse.")]})
        warehouse.save()
        if warehouse.code != old_code and warehouse.view_location_id:
            root = _lock_location(warehouse.view_location)
            if _full_name_taken(warehouse.company_id, warehouse.code, root.pk):
                raise ValidationFailed(fields={"code": [_("A location named %(name)s exists already.")
                                                        % {"name": warehouse.code}]})
            root.name = warehouse.code
            _rename_subtree(root, warehouse.code)
    return warehouse


def warehouse_set_active(*, actor, warehouse: Warehouse, is_active: bool) -> Warehouse:
    """Archive a warehouse (it must hold no stock and have no open moves) or bring it back; its locations
    follow. Raises PermissionDenied (inventory.change_warehouse), InvalidState."""
    require(actor, "inventory.change_warehouse", warehouse.company)
    with transaction.atomic():
        warehouse = _lock_warehouse(warehouse)
        if warehouse.is_active == is_active:
            raise InvalidState(_("Warehouse %(warehouse)s is active already.") % {"warehouse": warehouse.code}
                               if is_active else
                               _("Warehouse %(warehouse)s is archived already.") % {"warehouse": warehouse.code})
        if not is_active:
            _refuse_if_stocked(Location.objects.filter(warehouse=warehouse).values_list("pk", flat=True),
                               _("Warehouse %(name)s") % {"name": warehouse.code})
        warehouse.is_active = is_active
        warehouse.save()
        for location in Location.objects.filter(warehouse=warehouse).order_by("pk"):
            if location.is_active != is_active:
                location.is_active = is_active
                location.save()
    return warehouse


def _refuse_if_stocked(location_ids, label: str) -> None:
    ids = list(location_ids)
    if StockQuant.objects.filter(location_id__in=ids).filter(~Q(quantity=0) | ~Q(reserved=0)).exists():
        raise InvalidState(_("%(what)s still holds stock: move or count it out first.") % {"what": label})
    open_moves = StockMove.objects.filter(state__in=["draft", "confirmed", "assigned"]).filter(
        Q(location_id__in=ids) | Q(location_dest_id__in=ids))
    if open_moves.exists():
        raise InvalidState(_("%(what)s has open stock moves: finish or cancel them first.") % {"what": label})


# --- Locations -----------------------------------------------------------------------------------


def _place(location: Location) -> None:
    """Derive warehouse and full name from the parent and check the tree rules."""
    location.name = _clean_name(location.name)
    parent = location.parent
    errors = {}
    if parent is not None:
        if parent.company_id != location.company_id:
            raise ValidationFailed(fields={"parent": [_("Choose one of this company's locations.")]})
        if location.pk and (parent.pk == location.pk or parent.full_name.startswith(location.full_name + "/")):
            raise ValidationFailed(fields={"parent": [_("A location cannot be placed below itself.")]})
        location.warehouse_id = parent.warehouse_id
        location.full_name = f"{parent.full_name}/{location.name}"
    else:
        location.warehouse_id = None
        location.full_name = location.name
    if location.usage == LocationUsage.INTERNAL and location.warehouse_id is None:
        errors["parent"] = [_("An internal location belongs to a warehouse: choose a parent in one.")]
    if len(location.full_name) > Location._meta.get_field("full_name").max_length:
        errors["name"] = [_("The full name is too long.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if _full_name_taken(location.company_id, location.full_name, location.pk):
        raise ValidationFailed(fields={"name": [_("A location named %(name)s exists already.")
                                                % {"name": location.full_name}]})
    _barcode_check(location)
    validate(location, exclude=["full_name"])


def location_create(*, actor, company: Company, data: dict) -> Location:
    """A location: `data` name, parent (its warehouse and path come from it), usage (default internal),
    barcode, is_active. Internal locations need a parent in a warehouse. Raises PermissionDenied
    (inventory.add_location), ValidationFailed."""
    require(actor, "inventory.add_location", company)
    location = Location(company=company)
    assign(location, data, LOCATION_FIELDS)
    _place(location)
    with transaction.atomic():
        _save_location(location)
    return location


def _has_history(location_ids) -> bool:
    ids = list(location_ids)
    return (StockQuant.objects.filter(location_id__in=ids).exists()
            or StockMoveLine.objects.filter(Q(location_id__in=ids) | Q(location_dest_id__in=ids)).exists()
            or StockMove.objects.filter(Q(location_id__in=ids) | Q(location_dest_id__in=ids)).exists())


def _rename_subtree(root: Location, new_full_name: str) -> None:
    """Set `root.full_name` and rewrite the paths of its descendants (locked, in pk order)."""
    old = root.full_name
    descendants = list(Location.objects.select_for_update(of=("self",)).filter(
        company_id=root.company_id, full_name__startswith=old + "/").order_by("pk"))
    root.full_name = new_full_name
    _save_location(root)
    for child in descendants:
        child.full_name = new_full_name + child.full_name[len(old):]
        child.warehouse_id = root.warehouse_id
        _save_location(child)


def _is_warehouse_root_or_stock(location: Location) -> bool:
    return Warehouse.objects.filter(Q(view_location=location) | Q(stock_location=location)).exists()


def location_update(*, actor, location: Location, data: dict) -> Location:
    """Rename, move (new parent; not below itself, not into another warehouse while it or its subtree has
    stock or moves), change usage (only while unused), barcode, active flag (deactivating needs an empty
    subtree). Full names of the subtree follow. Raises PermissionDenied (inventory.change_location),
    ValidationFailed, InvalidState."""
    require(actor, "inventory.change_location", location.company)
    with transaction.atomic():
        location = _lock_location(location)
        before = {"usage": location.usage, "warehouse_id": location.warehouse_id, "full_name": location.full_name,
                  "is_active": location.is_active, "parent_id": location.parent_id}
        assign(location, data, LOCATION_FIELDS)
        if location.parent_id and location.parent.company_id != location.company_id:
            raise ValidationFailed(fields={"parent": [_("Choose one of this company's locations.")]})
        is_root = Warehouse.objects.filter(view_location=location).exists()
        if is_root and (location.parent_id != before["parent_id"] or location.usage != before["usage"]
                        or location.name != before["full_name"]):
            raise ValidationFailed(fields={"name": [_("The root location of a warehouse follows the warehouse: "
                                                      "change the warehouse's code instead.")]})
        _place(location)  # checks cycles against the stored path, then sets the new one
        new_full_name, location.full_name = location.full_name, before["full_name"]
        subtree = location_subtree_ids(location)
        if location.usage != before["usage"] and _has_history([location.pk]):
            raise ValidationFailed(fields={"usage": [_("This location has stock or moves: its usage is fixed.")]})
        if location.usage != before["usage"] and _is_warehouse_root_or_stock(location):
            raise ValidationFailed(fields={"usage": [_("A warehouse's root and stock locations keep their usage.")]})
        if location.warehouse_id != before["warehouse_id"] and _has_history(subtree):
            raise ValidationFailed(fields={"parent": [_("This location (or one below it) has stock or moves: it "
                                                        "cannot move to another warehouse.")]})
        if before["is_active"] and not location.is_active:
            if _is_warehouse_root_or_stock(location) and location.warehouse.is_active:
                raise InvalidState(_("A warehouse's root and stock locations stay active while the warehouse is."))
            _refuse_if_stocked(subtree, _("Location %(name)s") % {"name": before["full_name"]})
        if new_full_name != before["full_name"] or location.warehouse_id != before["warehouse_id"]:
            _rename_subtree(location, new_full_name)
        else:
            _save_location(location)
    return location


def location_delete(*, actor, location: Location) -> None:
    """Delete a location that never held stock nor appeared on a move, has no sub-locations and is not a
    warehouse's root or stock location. Raises PermissionDenied (inventory.delete_location), InvalidState."""
    require(actor, "inventory.delete_location", location.company)
    with transaction.atomic():
        location = _lock_location(location)
        if _is_warehouse_root_or_stock(location):
            raise InvalidState(_("A warehouse's root and stock locations cannot be deleted."))
        if location.children.exists():
            raise InvalidState(_("Delete or move the locations below %(name)s first.") % {"name": location})
        if _has_history([location.pk]):
            raise InvalidState(_("Location %(name)s has stock or moves: it can be archived, not deleted.")
                               % {"name": location})
        location.delete()


def virtual_location(*, company: Company, usage: str) -> Location:
    """The company's location of a virtual `usage` (supplier, customer, inventory, transit, production),
    created on first use below a view location ("Partners", "Virtual"). Safe when two requests create it
    at once: get-or-create on the unique full name inside a savepoint."""
    if usage not in VIRTUAL_USAGES:
        raise ValidationFailed(fields={"usage": [_("Not a virtual location usage.")]})
    group, name = VIRTUAL_USAGES[usage]
    found = Location.objects.filter(company=company, usage=usage, warehouse__isnull=True,
                                    full_name=f"{group}/{name}").first()
    if found is not None:
        return found
    parent = _get_or_create_location(company, group, group, LocationUsage.VIEW, None)
    return _get_or_create_location(company, f"{group}/{name}", name, usage, parent)


def _get_or_create_location(company, full_name, name, usage, parent) -> Location:
    for _attempt in range(2):
        found = Location.objects.filter(company=company, full_name=full_name).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return Location.objects.create(company=company, full_name=full_name, name=name, usage=usage,
                                               parent=parent)
        except IntegrityError:
            continue  # created by a concurrent request meanwhile: read it
    return Location.objects.get(company=company, full_name=full_name)

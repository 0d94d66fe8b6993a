"""Units of measure: categories, units, exact conversion, and the standard units every company starts with.

Invariants: every unit belongs to a category of its company; a category with units has exactly one
reference unit, of ratio 1, and it stays the reference; ratios are > 0. Once any record uses a unit
(products, and later stock moves and order lines), its ratio, category and reference flag are fixed
and its decimal places only grow: quantities already recorded in it keep their meaning.

Conversion is exact: quantity × from.ratio ÷ to.ratio computed on fractions, refused when the two
units measure different things or when the result does not fit the target unit's decimal places
(5 pieces are not a whole number of boxes of 12) — unless the caller asks for rounding (display).
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate

from ..models import Uom, UomCategory
from .common import InUse, delete_unused, in_company, references, save

UOM_CATEGORY_FIELDS = {"name", "name_en"}
UOM_FIELDS = {"category", "name", "name_en", "symbol", "ratio", "is_reference", "decimal_places", "is_active"}
MAX_DECIMAL_PLACES = 6  # finer than a milligram in kilograms; quantity fields keep at least this many


# --- Conversion ----------------------------------------------------------------------------------


def as_decimal(value, field: str = "quantity") -> Decimal:
    """A quantity from a Decimal, an int or a decimal string; floats are refused (they are not exact)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationFailed(fields={field: [_("Give the quantity as a decimal, not a floating-point number.")]})
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(fields={field: [_("Enter a number.")]}) from None
    if not result.is_finite():
        raise ValidationFailed(fields={field: [_("Enter a number.")]})
    return result


def _round_fraction(value: Fraction, places: int, rounding: str) -> Decimal:
    """`value` rounded to `places` decimals with a `decimal` rounding mode, exactly: the digits past
    `places` are replaced by one digit that only says zero, below half, half or above half."""
    scaled = abs(value) * 10**places
    whole = scaled.numerator // scaled.denominator
    rest = scaled - whole
    digit = 0 if rest == 0 else 5 if rest == Fraction(1, 2) else 1 if rest < Fraction(1, 2) else 9
    sign = "-" if value < 0 else ""
    with localcontext() as context:
        context.prec = 80
        marked = Decimal(f"{sign}{whole}.{digit}").scaleb(-places)
        return marked.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def _fits(value: Fraction, places: int) -> bool:
    return (value * 10**places).denominator == 1


def uom_quantity_check(*, quantity, uom: Uom, field: str = "quantity") -> Decimal:
    """`quantity` as a Decimal when it has no more decimals than `uom` allows (0 for pieces); otherwise
    ValidationFailed on `field`."""
    value = as_decimal(quantity, field)
    if not _fits(Fraction(value), uom.decimal_places):
        raise ValidationFailed(fields={field: [
            _("A quantity in %(unit)s has at most %(places)s decimal places.")
            % {"unit": uom.short_name, "places": uom.decimal_places}
        ]})
    return value.quantize(Decimal(1).scaleb(-uom.decimal_places))


def uom_convert(*, quantity, from_uom: Uom, to_uom: Uom, rounding: str | None = None) -> Decimal:
    """`quantity` of `from_uom` expressed in `to_uom`: quantity × from.ratio ÷ to.ratio, with
    `to_uom.decimal_places` decimals (1 box of 12 → 12 pieces; 1500 g → 1.500 kg; 3 斤 → 1.500 kg).

    Raises ValidationFailed: on `uom` when the units belong to different categories (or companies); on
    `quantity` when the result has more decimals than the target unit allows (5 pieces in boxes of 12)
    and `rounding` is None. With `rounding` (a `decimal` mode such as ROUND_HALF_UP) the result is rounded
    instead — for display, never for quantities that are booked.
    """
    value = as_decimal(quantity)
    if from_uom.category_id != to_uom.category_id or from_uom.company_id != to_uom.company_id:
        raise ValidationFailed(fields={"uom": [
            _("%(from)s (%(from_category)s) and %(to)s (%(to_category)s) measure different things: they do not "
              "convert into each other.")
            % {"from": from_uom, "from_category": from_uom.category, "to": to_uom, "to_category": to_uom.category}
        ]})
    exact = Fraction(value) * Fraction(from_uom.ratio) / Fraction(to_uom.ratio)
    places = to_uom.decimal_places
    if rounding is not None:
        return _round_fraction(exact, places, rounding)
    if not _fits(exact, places):
        approximately = _round_fraction(exact, max(places, 4) + 2, ROUND_HALF_UP).normalize()
        raise ValidationFailed(fields={"quantity": [
            _("%(quantity)s %(from)s is not an exact quantity of %(to)s (%(places)s decimal places): it is about "
              "%(approximately)s %(to)s.")
            % {"quantity": value.normalize(), "from": from_uom.short_name, "to": to_uom.short_name, "places": places,
               "approximately": f"{approximately:f}"}
        ]})
    return _round_fraction(exact, places, ROUND_HALF_UP)  # exact: the rounding mode changes nothing


def uom_reference(category: UomCategory) -> Uom | None:
    """The reference unit of a category (None while it has no units)."""
    return category.uoms.filter(is_reference=True).first()


# --- Unit categories -----------------------------------------------------------------------------


def _clean_category(category: UomCategory) -> None:
    category.name = (category.name or "").strip()
    category.name_en = (category.name_en or "").strip()
    taken = UomCategory.objects.filter(company_id=category.company_id, name=category.name).exclude(pk=category.pk)
    if category.name and taken.exists():
        raise ValidationFailed(fields={"name": [_("A unit category named %(name)s exists already.")
                                                % {"name": category.name}]})
    validate(category)


def uom_category_create(*, actor, company: Company, data: dict) -> UomCategory:
    """A unit category (weight, length, ...) in `company`. Raises PermissionDenied, ValidationFailed."""
    require(actor, "products.add_uomcategory", company)
    category = UomCategory(company=company)
    assign(category, data, UOM_CATEGORY_FIELDS)
    _clean_category(category)
    save(category, lambda: _clean_category(category))
    return category


def uom_category_update(*, actor, category: UomCategory, data: dict, company: Company | None = None) -> UomCategory:
    """Rename a unit category under a row lock. Raises NotFound, PermissionDenied, ValidationFailed."""
    in_company(category, company)
    require(actor, "products.change_uomcategory", category.company)
    with transaction.atomic():
        locked = UomCategory.objects.select_for_update().get(pk=category.pk)
        assign(locked, data, UOM_CATEGORY_FIELDS)
        _clean_category(locked)
        save(locked, lambda: _clean_category(locked))
    return locked


def uom_category_delete(*, actor, category: UomCategory, company: Company | None = None) -> None:
    """Delete a unit category without units; one with units raises InUse (409), nothing deleted."""
    in_company(category, company)
    require(actor, "products.delete_uomcategory", category.company)
    delete_unused(category, _("Unit category %(category)s has units: delete them first.") % {"category": category})


# --- Units -----------------------------------------------------------------------------------------


def _check_uniqueness(uom: Uom) -> None:
    taken = Uom.objects.filter(company_id=uom.company_id, name=uom.name).exclude(pk=uom.pk)
    if uom.name and taken.exists():
        raise ValidationFailed(fields={"name": [_("A unit named %(name)s exists already.") % {"name": uom.name}]})


def _clean_uom(uom: Uom, *, reference_check: bool = False) -> None:
    for name in ("name", "name_en", "symbol"):
        setattr(uom, name, (getattr(uom, name) or "").strip())
    errors = {}
    if not uom.category_id:
        errors["category"] = [_("Choose the unit's category.")]
    elif uom.category.company_id != uom.company_id:
        errors["category"] = [_("Choose one of this company's unit categories.")]
    if uom.ratio is not None and uom.ratio <= 0:
        errors["ratio"] = [_("The ratio is greater than zero.")]
    elif uom.is_reference and uom.ratio != 1:
        errors["ratio"] = [_("The reference unit has ratio 1: the other units are measured against it.")]
    if uom.decimal_places is not None and uom.decimal_places > MAX_DECIMAL_PLACES:
        errors["decimal_places"] = [_("At most %(places)s decimal places.") % {"places": MAX_DECIMAL_PLACES}]
    if errors:
        raise ValidationFailed(fields=errors)
    if reference_check:
        _check_reference(uom)
    _check_uniqueness(uom)
    validate(uom)


def _check_reference(uom: Uom) -> None:
    """A category's first unit is its reference; a category never has two."""
    reference = Uom.objects.filter(category_id=uom.category_id, is_reference=True).exclude(pk=uom.pk).first()
    if reference is None and not uom.is_reference:
        raise ValidationFailed(fields={"is_reference": [
            _("%(category)s has no units yet: its first unit is the reference unit (ratio 1) the others are "
              "measured against.") % {"category": uom.category}
        ]})
    if reference is not None and uom.is_reference:
        raise ValidationFailed(fields={"is_reference": [
            _("%(category)s has its reference unit already: %(unit)s.") % {"category": uom.category, "unit": reference}
        ]})


def _lock_category(category_id) -> None:
    # Units of one category are checked against each other (one reference): serialise their writers.
    if category_id:
        list(UomCategory.objects.select_for_update().filter(pk=category_id))


def uom_create(*, actor, company: Company, data: dict) -> Uom:
    """A unit in one of `company`'s categories (`data`: category, name, name_en, symbol, ratio,
    is_reference, decimal_places, is_active). The first unit of a category is its reference (ratio 1).

    Raises PermissionDenied, ValidationFailed (another company's category, ratio ≤ 0, a second reference
    unit, a taken name, too many decimal places)."""
    require(actor, "products.add_uom", company)
    uom = Uom(company=company)
    assign(uom, data, UOM_FIELDS)
    with transaction.atomic():
        _lock_category(uom.category_id)
        _clean_uom(uom, reference_check=True)
        save(uom, lambda: _check_uniqueness(uom))
    return uom


def uom_update(*, actor, uom: Uom, data: dict, company: Company | None = None) -> Uom:
    """Change a unit under a row lock. Its reference flag never changes; a reference unit stays in its
    category. Once any record uses the unit, its ratio and category are fixed and its decimal places
    can only grow. Raises NotFound, PermissionDenied, ValidationFailed, InUse (409, a used unit)."""
    in_company(uom, company)
    require(actor, "products.change_uom", uom.company)
    with transaction.atomic():
        locked = Uom.objects.select_for_update().select_related("category").get(pk=uom.pk)
        before = {"category_id": locked.category_id, "ratio": locked.ratio, "is_reference": locked.is_reference,
                  "decimal_places": locked.decimal_places}
        assign(locked, data, UOM_FIELDS)
        if locked.is_reference != before["is_reference"]:
            raise ValidationFailed(fields={"is_reference": [
                _("The reference unit of a category stays its reference: the ratios of the other units depend "
                  "on it.")]})
        if locked.category_id != before["category_id"] and locked.is_reference:
            raise ValidationFailed(fields={"category": [
                _("A reference unit stays in its category: the other units are measured against it.")]})
        moved = locked.category_id != before["category_id"]
        if moved:
            _lock_category(locked.category_id)
        _clean_uom(locked, reference_check=moved)
        meaning_changed = [name for name in ("ratio", "category_id") if getattr(locked, name) != before[name]]
        fewer_places = locked.decimal_places < before["decimal_places"]
        if meaning_changed or fewer_places:
            used_by = references(locked)
            if used_by:
                raise InUse(
                    _("%(unit)s is used (%(kinds)s): its ratio and category cannot change and its decimal places "
                      "cannot shrink, or quantities already recorded would change meaning. Create a new unit "
                      "instead.") % {"unit": locked, "kinds": ", ".join(used_by)},
                    fields={"ratio" if "ratio" in meaning_changed else "category" if meaning_changed
                            else "decimal_places": [_("This unit is in use.")]},
                )
        save(locked, lambda: _check_uniqueness(locked))
    return locked


def uom_delete(*, actor, uom: Uom, company: Company | None = None) -> None:
    """Delete a unit nothing uses. A used unit raises InUse (409; deactivate it instead); the reference
    unit of a category with other units raises InvalidState (409). Nothing is deleted on failure."""
    in_company(uom, company)
    require(actor, "products.delete_uom", uom.company)
    with transaction.atomic():
        _lock_category(uom.category_id)
        locked = Uom.objects.select_for_update().get(pk=uom.pk)
        if locked.is_reference and Uom.objects.filter(category_id=locked.category_id).exclude(pk=locked.pk).exists():
            raise InvalidState(_("%(unit)s is the reference unit of its category: delete the other units of the "
                                 "category first.") % {"unit": locked})
        delete_unused(locked, _("%(unit)s is used and cannot be deleted: deactivate it instead.") % {"unit": locked})


# --- Standard units ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardUnit:
    name: str
    name_en: str
    symbol: str
    ratio: str
    decimal_places: int


# (category name, English name, [reference unit, other units...]): names in Chinese, English names and
# symbols for an English UI. A day is a working day of 8 hours.
STANDARD_UNITS = [
    ("数量", "Units", [StandardUnit("件", "Piece", "pcs", "1", 0), StandardUnit("打", "Dozen", "dz", "12", 0)]),
    ("重量", "Weight", [
        StandardUnit("千克", "Kilogram", "kg", "1", 3), StandardUnit("克", "Gram", "g", "0.001", 1),
        StandardUnit("吨", "Tonne", "t", "1000", 3), StandardUnit("斤", "Jin (500 g)", "jin", "0.5", 2),
    ]),
    ("长度", "Length", [
        StandardUnit("米", "Metre", "m", "1", 3), StandardUnit("厘米", "Centimetre", "cm", "0.01", 1),
        StandardUnit("毫米", "Millimetre", "mm", "0.001", 0), StandardUnit("千米", "Kilometre", "km", "1000", 3),
    ]),
    ("体积", "Volume", [
        StandardUnit("升", "Litre", "L", "1", 3), StandardUnit("毫升", "Millilitre", "mL", "0.001", 0),
        StandardUnit("立方米", "Cubic metre", "m³", "1000", 3),
    ]),
    ("工作时间", "Working time", [
        StandardUnit("小时", "Hour", "h", "1", 2), StandardUnit("天", "Day (8 hours)", "d", "8", 2),
    ]),
]


@dataclass(frozen=True)
class InstallResult:
    categories: int
    units: int


def _standard_names(company: Company, name: str, name_en: str) -> tuple[str, str]:
    # Chinese companies name units in Chinese with the English name beside; others in English only.
    return (name, name_en) if company.country == "CN" else (name_en, "")


def uom_defaults_install(*, company: Company, actor=None) -> InstallResult:
    """Seed the standard unit categories and units in `company` (pieces and dozens; kg, g, t, 斤;
    m, cm, mm, km; L, mL, m³; hours and 8-hour days), named in Chinese with English names for a Chinese
    company, in English for others. Idempotent: categories and units whose name exists are left as the
    company edited them; only missing ones are added. With `actor`, requires products.add_uom. Returns
    how many categories and units were created."""
    if actor is not None:
        require(actor, "products.add_uom", company)
    created_categories = created_units = 0
    with transaction.atomic():
        for category_name, category_name_en, specs in STANDARD_UNITS:
            category_name, category_name_en = _standard_names(company, category_name, category_name_en)
            units = [replace(unit, name=name, name_en=name_en) for unit in specs
                     for name, name_en in [_standard_names(company, unit.name, unit.name_en)]]
            # get_or_create on the (company, name) constraint: safe when two installers race, and audited.
            category, created = UomCategory.objects.get_or_create(
                company=company, name=category_name, defaults={"name_en": category_name_en})
            created_categories += created
            _lock_category(category.pk)
            reference = uom_reference(category)
            if reference is not None and reference.name != units[0].name:
                continue  # another reference unit: the standard ratios would not be ratios to it
            if reference is None and Uom.objects.filter(company=company, name=units[0].name).exists():
                continue  # the reference unit's name is taken in another category: leave this one alone
            for index, unit in enumerate(units):
                if (index == 0 and reference is not None) or (
                        index > 0 and Uom.objects.filter(company=company, name=unit.name).exists()):
                    continue
                uom = Uom(company=company, category=category, name=unit.name, name_en=unit.name_en,
                          symbol=unit.symbol, ratio=Decimal(unit.ratio), is_reference=index == 0,
                          decimal_places=unit.decimal_places)
                validate(uom)
                uom.save()
                created_units += 1
    return InstallResult(categories=created_categories, units=created_units)


def uom_in_use(uom: Uom) -> bool:
    """Whether any record uses the unit (its ratio and category are then fixed)."""
    return bool(references(uom))



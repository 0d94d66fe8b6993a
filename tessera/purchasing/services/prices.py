"""Supplier prices (`purchasing/price-lists/`) and the price an order line takes from them.

A supplier price is for one product from one supplier, in one currency and unit, from a quantity
(`min_quantity`, in its unit), valid from/to (empty: open), with a discount. `supplier_price_for` finds
the best price of a supplier for a quantity on a date: among the active rows valid that day (and in
the currency asked for, when one is), those whose quantity break is not above the quantity (converted
exactly into the row's unit) — the highest break wins, then the lowest net price. Its price is given
per the unit asked for (price × unit ratio ÷ row unit ratio, rounded to 6 decimals).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company, Currency
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.partners.models import Partner
from tessera.products.models import Product, Uom
from tessera.products.services.uoms import as_decimal

from ..models import SupplierPrice

PRICE_FIELDS = {"partner", "product", "supplier_sku", "currency", "uom", "min_quantity", "price", "discount",
                "valid_from", "valid_to", "lead_days", "is_active"}
DECIMAL_FIELDS = ("min_quantity", "price", "discount")
PRICE_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class PriceQuote:
    """A supplier price applied to a quantity: `unit_price` per the unit asked for, in the price's currency."""

    price: SupplierPrice
    unit_price: Decimal
    discount: Decimal
    source: str


def pk_of(value) -> int | None:
    """An id from an int, a digit string or a model instance (None for anything else)."""
    if value in (None, "") or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return getattr(value, "pk", None)


def _assign(price: SupplierPrice, company: Company, data: dict) -> None:
    unknown = set(data) - PRICE_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    errors: dict[str, list] = {}
    for name, value in data.items():
        if name == "partner":
            partner = Partner.objects.filter(company=company, pk=pk_of(value), is_supplier=True).first()
            if partner is None:
                errors[name] = [_("Choose one of this company's suppliers.")]
            price.partner = partner
        elif name == "product":
            product = Product.objects.filter(company=company, pk=pk_of(value)).select_related("uom").first()
            if product is None:
                errors[name] = [_("Choose one of this company's products.")]
            price.product = product
        elif name == "currency":
            found = Currency.objects.filter(pk=pk_of(value)).first() if pk_of(value) else \
                Currency.objects.filter(code=str(value or "")).first()
            if found is None:
                errors[name] = [_("Choose a currency.")]
            price.currency = found
        elif name == "uom":
            price.uom = Uom.objects.filter(company=company, pk=pk_of(value)).first()
            if price.uom is None:
                errors[name] = [_("Choose one of this company's units.")]
        elif name in DECIMAL_FIELDS:
            try:
                setattr(price, name, as_decimal(value, name))
            except ValidationFailed as error:
                errors.update(error.fields)
        elif name in ("valid_from", "valid_to"):
            setattr(price, name, value or None)
        elif name == "supplier_sku":
            price.supplier_sku = (value or "").strip()
        else:
            setattr(price, name, value)
    if errors:
        raise ValidationFailed(fields=errors)
    if price.product_id and price.uom_id is None:
        price.uom = price.product.purchase_uom or price.product.uom
    if price.product_id and price.uom_id and price.uom.category_id != price.product.uom.category_id:
        errors["uom"] = [_("Choose a unit of the product's unit category.")]
    if price.currency_id is None and price.partner_id:
        price.currency_id = price.partner.currency_id or company.base_currency_id
    if errors:
        raise ValidationFailed(fields=errors)
    validate(price)


def supplier_price_create(*, actor, company: Company, data: dict) -> SupplierPrice:
    """A supplier price. `data`: partner (a supplier), product, currency (default: the supplier's, else
    the base currency), uom (default the product's purchase unit), min_quantity, price, discount,
    valid_from, valid_to, lead_days, supplier_sku, is_active. Raises PermissionDenied
    (purchasing.add_supplierprice), ValidationFailed (nothing written)."""
    require(actor, "purchasing.add_supplierprice", company)
    price = SupplierPrice(company=company)
    _assign(price, company, data)
    with transaction.atomic():
        price.save()
    return price


def supplier_price_update(*, actor, price: SupplierPrice, data: dict) -> SupplierPrice:
    """Change a supplier price (row locked). Raises PermissionDenied (purchasing.change_supplierprice),
    ValidationFailed (nothing written)."""
    require(actor, "purchasing.change_supplierprice", price.company)
    with transaction.atomic():
        locked = SupplierPrice.objects.select_for_update(of=("self",)).select_related("company").get(pk=price.pk)
        _assign(locked, locked.company, data)
        locked.save()
    return locked


def supplier_price_delete(*, actor, price: SupplierPrice) -> None:
    """Delete a supplier price (order lines keep the text of where their price came from). Raises
    PermissionDenied (purchasing.delete_supplierprice)."""
    require(actor, "purchasing.delete_supplierprice", price.company)
    with transaction.atomic():
        SupplierPrice.objects.filter(pk=price.pk).delete()


def _in_unit(quantity: Decimal, from_uom: Uom, to_uom: Uom) -> Fraction | None:
    if from_uom.category_id != to_uom.category_id:
        return None
    return Fraction(quantity) * Fraction(from_uom.ratio) / Fraction(to_uom.ratio)


def price_in_unit(price: Decimal, from_uom: Uom, to_uom: Uom) -> Decimal:
    """A unit price per `from_uom` expressed per `to_uom` (same category), rounded to 6 decimals."""
    if from_uom.pk == to_uom.pk:
        return Decimal(price)
    exact = Fraction(price) * Fraction(to_uom.ratio) / Fraction(from_uom.ratio)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)


def _source(row: SupplierPrice) -> str:
    parts = [_("Price list of %(supplier)s") % {"supplier": row.partner.code or row.partner.name}]
    if row.min_quantity:
        parts.append(_("from %(quantity)s %(unit)s") % {"quantity": f"{row.min_quantity.normalize():f}",
                                                         "unit": row.uom.short_name})
    if row.valid_from or row.valid_to:
        parts.append(_("valid %(start)s – %(end)s") % {
            "start": date_format(row.valid_from, "SHORT_DATE_FORMAT") if row.valid_from else "…",
            "end": date_format(row.valid_to, "SHORT_DATE_FORMAT") if row.valid_to else "…"})
    return ", ".join(str(part) for part in parts)[:120]


def supplier_price_for(*, company: Company, partner, product, quantity, uom: Uom, on: datetime.date,
                       currency: Currency | None = None) -> PriceQuote | None:
    """The best valid active price of `partner` for `quantity` of `product` in `uom` on `on` (in `currency`
    when given), or None. The quantity break is the highest `min_quantity` not above the quantity (in the
    row's unit, exactly); among rows with that break the lowest net price wins. Nothing is written."""
    quantity = as_decimal(quantity)
    rows = (SupplierPrice.objects.filter(company=company, partner_id=pk_of(partner), product_id=pk_of(product),
                                         is_active=True)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .select_related("uom", "partner", "currency"))
    if currency is not None:
        rows = rows.filter(currency=currency)
    best, best_key = None, None
    for row in rows:
        in_row_unit = _in_unit(quantity, uom, row.uom)
        if in_row_unit is None or Fraction(row.min_quantity) > in_row_unit:
            continue
        unit_price = price_in_unit(row.price, row.uom, uom)
        net = unit_price * (100 - row.discount) / 100
        key = (Fraction(row.min_quantity) * Fraction(row.uom.ratio), -net, -row.pk)
        if best_key is None or key > best_key:
            best, best_key = (row, unit_price), key
    if best is None:
        return None
    row, unit_price = best
    return PriceQuote(price=row, unit_price=unit_price, discount=row.discount, source=_source(row))


"""Parsing and totals of purchase orders (header and lines), shared by the order services.

Nothing here writes: `order_header` sets the header fields on an unsaved or locked order, `order_lines`
builds the unsaved lines (with their taxes and where their price came from) and `order_totals` computes
each line's and the order's totals with accounting's `document_taxes` (rounded per line, as the bill
will be). Errors are collected per field (`lines.<i>.<field>`) and raised together.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from tessera.accounting.models import Tax
from tessera.accounting.services.taxes import document_taxes
from tessera.core.errors import ValidationFailed
from tessera.core.models import Currency
from tessera.inventory.models import Warehouse
from tessera.partners.models import Partner, PaymentTerm
from tessera.products.models import Product, Uom
from tessera.products.services.uoms import as_decimal, uom_quantity_check

from ..models import PurchaseOrder, PurchaseOrderLine
from .prices import pk_of, price_in_unit, supplier_price_for

HEADER_FIELDS = {"partner", "date", "expected_on", "warehouse", "currency", "payment_term", "reference", "notes",
                 "buyer"}
LINE_FIELDS = {"id", "product", "description", "quantity", "uom", "unit_price", "discount", "taxes", "expected_on",
               "price_source"}
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def _date(value, field: str, errors: dict) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    parsed = parse_date(str(value)) if isinstance(value, str) else None
    if parsed is None:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
    return parsed


def order_header(order: PurchaseOrder, data: dict, *, actor=None, creating: bool = False) -> None:
    """Set the header fields in `data` (HEADER_FIELDS) on `order`, with the defaults when `creating`.
    Raises ValidationFailed with every field error."""
    unknown = set(data) - HEADER_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    company, errors = order.company, {}
    if "partner" in data or creating:
        partner = Partner.objects.filter(company=company, pk=pk_of(data.get("partner"))).first()
        if partner is None or not partner.is_supplier:
            errors["partner"] = [_("Choose one of this company's suppliers.")]
        elif not partner.is_active:
            errors["partner"] = [_("Supplier %(partner)s is archived.") % {"partner": partner.name}]
        else:
            partner_changed = order.partner_id != partner.pk
            order.partner = partner
            if creating or partner_changed:
                if "currency" not in data:
                    order.currency_id = partner.currency_id or company.base_currency_id
                if "payment_term" not in data:
                    order.payment_term_id = partner.payment_term_id
    if "date" in data or creating:
        order.date = _date(data.get("date"), "date", errors) or order.date or timezone.localdate()
    if "expected_on" in data:
        order.expected_on = _date(data["expected_on"], "expected_on", errors)
    if "warehouse" in data or creating:
        warehouses = Warehouse.objects.filter(company=company, is_active=True)
        if data.get("warehouse") in (None, ""):
            warehouse = warehouses.order_by("pk").first() if creating else None
        else:
            warehouse = warehouses.filter(pk=pk_of(data["warehouse"])).first()
        if warehouse is None or warehouse.stock_location_id is None:
            errors["warehouse"] = [_("Choose one of this company's active warehouses.")]
        else:
            order.warehouse = warehouse
    if data.get("currency") not in (None, ""):
        value = data["currency"]
        currency = (Currency.objects.filter(pk=pk_of(value)).first() if pk_of(value)
                    else Currency.objects.filter(code=str(value).upper()).first())
        if currency is None or not getattr(currency, "is_active", True):
            errors["currency"] = [_("Choose an active currency.")]
        else:
            order.currency = currency
    if "payment_term" in data:
        if data["payment_term"] in (None, ""):
            order.payment_term = None
        else:
            order.payment_term = PaymentTerm.objects.filter(company=company, pk=pk_of(data["payment_term"])).first()
            if order.payment_term is None:
                errors["payment_term"] = [_("Choose one of this company's payment terms.")]
    if "buyer" in data or (creating and order.buyer_id is None):
        value = data.get("buyer")
        if value in (None, ""):
            order.buyer = actor if creating and getattr(actor, "is_authenticated", False) else None
        else:
            order.buyer = get_user_model().objects.filter(pk=pk_of(value), is_active=True).first()
            if order.buyer is None:
                errors["buyer"] = [_("Choose an active user.")]
    for name in ("reference", "notes"):
        if name in data:
            setattr(order, name, (data[name] or "").strip())
    if errors:
        raise ValidationFailed(fields=errors)


def _taxes(order: PurchaseOrder, value, product: Product, prefix: str, errors: dict) -> list[Tax]:
    if value is None:
        return [product.purchase_tax] if product.purchase_tax_id else []
    if not isinstance(value, list | tuple):
        errors[prefix + "taxes"] = [_("Send the taxes as a list of ids.")]
        return []
    ids = [pk_of(item) for item in value]
    found = {tax.pk: tax for tax in Tax.objects.filter(company_id=order.company_id, kind="purchase", is_active=True,
                                                        pk__in=[pk for pk in ids if pk])}
    if any(pk not in found for pk in ids):
        errors[prefix + "taxes"] = [_("Choose active purchase taxes of this company.")]
        return []
    return [found[pk] for pk in dict.fromkeys(ids)]


def _decimal(item: dict, name: str, prefix: str, errors: dict, *, default=None) -> Decimal | None:
    value = item.get(name)
    if value in (None, ""):
        return default
    try:
        return as_decimal(value, prefix + name)
    except ValidationFailed as error:
        errors.update(error.fields)
        return None


def _price(order: PurchaseOrder, line: PurchaseOrderLine, item: dict, prefix: str, errors: dict, *,
           product_changed: bool) -> None:
    """The line's price and discount: given, else (an existing line of the same product) its own, else the
    supplier's price list, else the standard cost (in the line's unit) when the order is in the company's
    currency."""
    unit_price = _decimal(item, "unit_price", prefix, errors)
    discount = _decimal(item, "discount", prefix, errors)
    if prefix + "unit_price" in errors or prefix + "discount" in errors:
        return
    if unit_price is None and line.pk and not product_changed:
        if discount is not None:
            line.discount = discount
        return
    if unit_price is not None:
        if line.pk is None or unit_price != line.unit_price or item.get("price_source"):
            line.price_source = (item.get("price_source") or "")[:120]
        line.unit_price = unit_price
        line.discount = discount if discount is not None else (line.discount if line.pk else ZERO)
        return
    quote = None
    if order.partner_id:
        quote = supplier_price_for(company=order.company, partner=order.partner, product=line.product,
                                   quantity=line.quantity, uom=line.uom, on=order.date, currency=order.currency)
    if quote is not None:
        line.unit_price, line.price_source = quote.unit_price, quote.source
        line.discount = discount if discount is not None else quote.discount
    elif order.currency_id == order.company.base_currency_id:
        product = line.product
        line.unit_price = price_in_unit(product.standard_cost, product.uom, line.uom)
        line.price_source = _("Standard cost")
        line.discount = discount if discount is not None else ZERO
    else:
        errors[prefix + "unit_price"] = [_("%(supplier)s has no price for %(product)s in %(currency)s: enter the "
                                           "unit price.") % {"supplier": order.partner.name,
                                                             "product": line.product.display_name,
                                                             "currency": order.currency.code}]


def order_lines(order: PurchaseOrder, lines, *, existing: dict | None = None
                ) -> list[tuple[PurchaseOrderLine, list[Tax]]]:
    """Unsaved (or changed existing, by "id") lines with their taxes. `lines`: [{id (an existing line to
    change), product, description, quantity, uom, unit_price, discount, taxes, expected_on, price_source}].
    Raises ValidationFailed (`lines.<i>.<field>`)."""
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    existing = existing or {}
    built, errors = [], {}
    for index, item in enumerate(lines):
        prefix = f"lines.{index}."
        if not isinstance(item, dict) or set(item) - LINE_FIELDS:
            errors[prefix + "non_field_errors"] = [_("Send each line as {product, description, quantity, uom, "
                                                     "unit_price, discount, taxes, expected_on}.")]
            continue
        line_id = pk_of(item.get("id"))
        if item.get("id") not in (None, "") and line_id not in existing:
            errors[prefix + "id"] = [_("This line is not on this order.")]
            continue
        line = existing.get(line_id) or PurchaseOrderLine(company_id=order.company_id)
        line.sequence = index + 1
        product_value = item.get("product", line.product_id if line.pk else None)
        product = Product.objects.select_related("uom", "purchase_uom", "purchase_tax").filter(
            company_id=order.company_id, pk=pk_of(product_value)).first()
        if product is None or not product.is_active or not product.is_purchased:
            errors[prefix + "product"] = [_("Choose one of this company's active products that are bought.")]
            continue
        product_changed = line.product_id != product.pk
        line.product = product
        uom_value = item.get("uom")
        if uom_value in (None, ""):
            uom = line.uom if line.pk and not product_changed and "uom" not in item else (
                product.purchase_uom or product.uom)
        else:
            uom = Uom.objects.filter(pk=pk_of(uom_value), category_id=product.uom.category_id).first()
            if uom is None:
                errors[prefix + "uom"] = [_("Choose a unit of the product's unit category.")]
                continue
        line.uom = uom
        if item.get("quantity") in (None, "") and line.pk:
            quantity = line.quantity
        else:
            try:
                quantity = uom_quantity_check(quantity=item.get("quantity"), uom=uom, field=prefix + "quantity")
            except ValidationFailed as error:
                errors.update(error.fields)
                continue
        if quantity <= 0:
            errors[prefix + "quantity"] = [_("Enter a quantity above zero.")]
            continue
        line.quantity = quantity
        description = (item.get("description") or "").strip()
        if description or product_changed or not line.description:
            line.description = (description or product.display_name)[:255]
        if "expected_on" in item or not line.pk:
            line.expected_on = _date(item.get("expected_on"), prefix + "expected_on", errors) or order.expected_on
        _price(order, line, item, prefix, errors, product_changed=product_changed)
        if line.discount is not None and not ZERO <= line.discount <= HUNDRED:
            errors[prefix + "discount"] = [_("Enter a discount between 0 and 100.")]
        if line.unit_price is not None and line.unit_price < 0:
            errors[prefix + "unit_price"] = [_("Enter a price of zero or more.")]
        taxes = _taxes(order, item.get("taxes") if "taxes" in item else (
            list(line.taxes.all()) if line.pk and not product_changed else None), product, prefix, errors)
        built.append((line, taxes))
    if errors:
        raise ValidationFailed(fields=errors)
    return built


def line_gross(line: PurchaseOrderLine) -> Decimal:
    """Quantity × unit price less the discount, unrounded (as accounting computes an invoice line)."""
    return line.quantity * line.unit_price * (HUNDRED - line.discount) / HUNDRED


def order_totals(order: PurchaseOrder, built: list[tuple[PurchaseOrderLine, list[Tax]]]):
    """Set each line's subtotal / tax / total and the order's totals; return accounting's DocumentTaxes."""
    result = document_taxes([(line_gross(line), taxes) for line, taxes in built], order.currency, "line")
    for (line, _taxes_of_line), line_result in zip(built, result.lines, strict=True):
        line.subtotal, line.total_tax, line.total = line_result.untaxed, line_result.tax_total, line_result.total
    order.total_untaxed, order.total_tax, order.total = result.untaxed, result.tax_total, result.total
    return result

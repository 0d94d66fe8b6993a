"""Requests for quotation: one RFQ asks several suppliers for prices on the same lines; their quotes are
entered side by side and the winner (the whole RFQ, or each line) becomes purchase orders.

Life cycle (RFQ_TRANSITIONS): draft -> sent (numbered RFQ-{fy}-00001) -> awarded; draft or sent -> cancelled.

- `rfq_create/update/delete`: header (date, quote_by, warehouse, currency (default the company's),
  description), `lines` [{product, description, quantity, uom}] and `suppliers` (partner ids); drafts only.
- `rfq_send`: needs lines and suppliers; numbers it.
- `rfq_quote_set`: one supplier's quote (terms and a price per line; an empty price removes it), while sent.
- `rfq_comparison(rfq)`: the grid (suppliers as columns, lines as rows, cheapest per line, totals).
- `rfq_award`: the whole RFQ to one supplier or each line to a supplier: one order per supplier through
  `order_create` at the quoted prices (in the RFQ's currency); the orders point back to the RFQ, the
  requisition lines on the RFQ point to their order lines; optionally the quotes become supplier prices.
- `rfq_cancel`: requisition lines that were on it become convertible again (their requisitions approved).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company, Currency
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.numbering import sequence_default, sequence_next_number
from tessera.inventory.models import Warehouse
from tessera.partners.models import Partner
from tessera.products.models import Product, Uom
from tessera.products.services.uoms import as_decimal, uom_quantity_check

from ..choices import RFQ_TRANSITIONS, RequisitionState, RfqState
from ..models import Requisition, RequisitionLine, Rfq, RfqLine, RfqQuote, RfqSupplier

sequence_default("purchase_rfq", name="Request for quotation", prefix="RFQ-{fy}-", padding=5)

ZERO = Decimal("0")
CENT = Decimal("0.01")
RFQ_FIELDS = {"date", "quote_by", "warehouse", "currency", "description"}
RFQ_LINE_FIELDS = {"product", "description", "quantity", "uom"}
QUOTE_TERMS = {"quoted_on", "valid_to", "lead_days", "notes"}


# --- helpers shared with the requisition services -------------------------------------------------

def pk_of(value) -> int | None:
    """An id from an int, a digit string or a record (None otherwise)."""
    if value in (None, "") or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return getattr(value, "pk", None)


def refuse_unknown(data: dict, allowed: set[str], prefix: str = "") -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(fields={prefix + name: [_("This field cannot be set.")] for name in sorted(unknown)})


def warehouse_of(company_id: int, value) -> Warehouse | None:
    return Warehouse.objects.filter(pk=pk_of(value), company_id=company_id, is_active=True).first()


def supplier_of(company_id: int, value) -> Partner | None:
    return Partner.objects.filter(pk=pk_of(value), company_id=company_id, is_supplier=True, is_active=True).first()


def parse_product_line(company_id: int, item: dict, prefix: str, errors: dict) -> dict | None:
    """product (a purchasable product of the company), uom (default the product's purchase unit, same
    category), quantity (> 0, fits the unit), description (default the product's name). Errors go to
    `errors` under `<prefix><field>`; None when the line is not valid."""
    product = Product.objects.select_related("uom", "purchase_uom").filter(
        pk=pk_of(item.get("product")), company_id=company_id).first()
    if product is None or not product.is_active:
        errors[prefix + "product"] = [_("Choose one of this company's products.")]
        return None
    uom = product.purchase_uom or product.uom
    if item.get("uom") not in (None, ""):
        uom = Uom.objects.filter(pk=pk_of(item["uom"]), category_id=product.uom.category_id).first()
        if uom is None:
            errors[prefix + "uom"] = [_("Choose a unit of the product's unit category.")]
            return None
    try:
        quantity = uom_quantity_check(quantity=item.get("quantity"), uom=uom, field=prefix + "quantity")
    except ValidationFailed as error:
        errors.update(error.fields)
        return None
    if quantity <= 0:
        errors[prefix + "quantity"] = [_("Enter a quantity above zero.")]
        return None
    description = (item.get("description") or "").strip() or product.name
    return {"product": product, "uom": uom, "quantity": quantity, "description": description[:255]}


def decimal_or_none(value, field_name: str, errors: dict, *, maximum: Decimal | None = None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = as_decimal(value, field_name)
    except ValidationFailed as error:
        errors.update(error.fields)
        return None
    if number < 0 or (maximum is not None and number > maximum):
        errors[field_name] = [_("Enter a number from 0 to %(maximum)s.") % {"maximum": maximum} if maximum
                              else _("Enter a number of at least 0.")]
        return None
    return number


def transition(document, from_state: str, to_state: str, event: str, payload: dict | None = None) -> None:
    """Save the new state, audit it and emit `purchasing.<model>.<event>`."""
    document.state = to_state
    document.save()
    audit.record_transition(document, from_state=from_state, to_state=to_state)
    events.emit(f"purchasing.{document._meta.model_name}.{event}", company=document.company, obj=document,
                payload={"number": document.number, "state": to_state, "from_state": from_state,
                         **({"requested_by": document.requested_by_id} if hasattr(document, "requested_by_id") else {}),
                         **(payload or {})})


# --- CRUD ------------------------------------------------------------------------------------

def _header(rfq: Rfq, data: dict) -> None:
    refuse_unknown(data, RFQ_FIELDS)
    errors = {}
    if "warehouse" in data:
        rfq.warehouse_id = pk_of(data["warehouse"])
    if warehouse_of(rfq.company_id, rfq.warehouse_id) is None:
        errors["warehouse"] = [_("Choose one of this company's warehouses.")]
    if data.get("currency") not in (None, ""):
        currency = Currency.objects.filter(pk=pk_of(data["currency"])).first() if pk_of(data["currency"]) else \
            Currency.objects.filter(code=str(data["currency"])).first()
        if currency is None:
            errors["currency"] = [_("Choose a currency.")]
        else:
            rfq.currency = currency
    if "date" in data:
        rfq.date = data["date"] or timezone.localdate()
    if "quote_by" in data:
        rfq.quote_by = data["quote_by"] or None
    if "description" in data:
        rfq.description = (data["description"] or "").strip()
    if rfq.quote_by and rfq.date and rfq.quote_by < rfq.date:
        errors["quote_by"] = [_("Quotes cannot be due before the RFQ's date.")]
    if errors:
        raise ValidationFailed(fields=errors)
    validate(rfq)


def _lines(rfq: Rfq, lines) -> list[RfqLine]:
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    built, errors = [], {}
    for index, item in enumerate(lines):
        prefix = f"lines.{index}."
        if not isinstance(item, dict) or set(item) - RFQ_LINE_FIELDS:
            errors[prefix + "non_field_errors"] = [_("Send each line as {product, description, quantity, uom}.")]
            continue
        parsed = parse_product_line(rfq.company_id, item, prefix, errors)
        if parsed is not None:
            built.append(RfqLine(company_id=rfq.company_id, **parsed))
    if errors:
        raise ValidationFailed(fields=errors)
    return built


def _suppliers(rfq: Rfq, suppliers) -> list[Partner]:
    if not isinstance(suppliers, list | tuple) or not suppliers:
        raise ValidationFailed(fields={"suppliers": [_("Invite at least one supplier.")]})
    found, errors = [], {}
    for index, value in enumerate(suppliers):
        partner = supplier_of(rfq.company_id, value)
        if partner is None:
            errors[f"suppliers.{index}"] = [_("Choose one of this company's suppliers.")]
        elif partner in found:
            errors[f"suppliers.{index}"] = [_("This supplier is invited already.")]
        else:
            found.append(partner)
    if errors:
        raise ValidationFailed(fields=errors)
    return found


def _save_lines(rfq: Rfq, built: list[RfqLine]) -> list[RfqLine]:
    for line in built:
        line.rfq = rfq
        line.save()
    return built


def _save_suppliers(rfq: Rfq, partners: list[Partner]) -> None:
    for partner in partners:
        RfqSupplier.objects.create(company_id=rfq.company_id, rfq=rfq, partner=partner)


def rfq_create(*, actor, company: Company, data: dict, lines: list[dict], suppliers: list) -> Rfq:
    """A draft RFQ. `data`: warehouse, date (default today), quote_by, currency (default the company's),
    description; `lines`: [{product, description, quantity, uom (default the purchase unit)}]; `suppliers`:
    partner ids. Raises PermissionDenied (purchasing.add_rfq), ValidationFailed (nothing written)."""
    require(actor, "purchasing.add_rfq", company)
    rfq = Rfq(company=company, date=timezone.localdate(), currency=company.base_currency)
    _header(rfq, data)
    built = _lines(rfq, lines)
    partners = _suppliers(rfq, suppliers)
    with transaction.atomic():
        rfq.save()
        _save_lines(rfq, built)
        _save_suppliers(rfq, partners)
    return rfq


def lock_rfq(rfq: Rfq, transition_name: str | None = None) -> Rfq:
    """The RFQ locked (and checked to allow `transition_name`, or to be a draft)."""
    locked = Rfq.objects.select_for_update(of=("self",)).select_related("company", "currency").get(pk=rfq.pk)
    allowed = RFQ_TRANSITIONS[transition_name] if transition_name else {RfqState.DRAFT}
    if locked.state not in allowed:
        raise InvalidState(_("%(rfq)s is %(state)s.") % {"rfq": locked, "state": locked.get_state_display()})
    return locked


def rfq_update(*, actor, rfq: Rfq, data: dict, lines: list[dict] | None = None, suppliers: list | None = None,
               version: int | None = None) -> Rfq:
    """Change a draft RFQ (lines and suppliers replaced when given; requisitions that were on the old lines
    are approved again, to be converted anew). Raises PermissionDenied
    (purchasing.change_rfq), InvalidState (not a draft; stale `version`), ValidationFailed."""
    require(actor, "purchasing.change_rfq", rfq.company)
    with transaction.atomic():
        rfq = lock_rfq(rfq)
        if version is not None and version != rfq.version:
            raise InvalidState(_("Someone else changed this RFQ meanwhile: reload it and try again."))
        _header(rfq, data)
        built = _lines(rfq, lines) if lines is not None else None
        partners = _suppliers(rfq, suppliers) if suppliers is not None else None
        rfq.version += 1
        rfq.save()
        if built is not None:
            _release_requisitions(rfq)  # the requisition lines were on the old lines: convertible again
            rfq.lines.all().delete()
            _save_lines(rfq, built)
        if partners is not None:
            rfq.suppliers.all().delete()
            _save_suppliers(rfq, partners)
    return rfq


def _release_requisitions(rfq: Rfq) -> None:
    """Requisition lines on `rfq` (not ordered) are convertible again; their requisitions approved again."""
    requisition_ids = set(RequisitionLine.objects.filter(rfq_line__rfq=rfq, order_line__isnull=True)
                          .values_list("requisition_id", flat=True))
    RequisitionLine.objects.filter(rfq_line__rfq=rfq, order_line__isnull=True).update(rfq_line=None)
    for requisition in Requisition.objects.select_for_update(of=("self",)).filter(
            pk__in=requisition_ids, state=RequisitionState.ORDERED).order_by("pk"):
        transition(requisition, RequisitionState.ORDERED, RequisitionState.APPROVED, "reopened")


def rfq_delete(*, actor, rfq: Rfq) -> None:
    """Delete a draft RFQ. Raises PermissionDenied (purchasing.delete_rfq), InvalidState (not a draft)."""
    require(actor, "purchasing.delete_rfq", rfq.company)
    with transaction.atomic():
        rfq = lock_rfq(rfq)
        _release_requisitions(rfq)
        rfq.delete()


# --- transitions -------------------------------------------------------------------------------

def rfq_send(*, actor, rfq: Rfq) -> Rfq:
    """draft -> sent: numbered; the suppliers can quote now. Raises PermissionDenied
    (purchasing.change_rfq), InvalidState, ValidationFailed (no lines or no suppliers)."""
    require(actor, "purchasing.change_rfq", rfq.company)
    with transaction.atomic():
        rfq = lock_rfq(rfq, "send")
        if not rfq.lines.exists():
            raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
        if not rfq.suppliers.exists():
            raise ValidationFailed(fields={"suppliers": [_("Invite at least one supplier.")]})
        rfq.number = sequence_next_number(company=rfq.company, code="purchase_rfq", on=rfq.date)
        transition(rfq, RfqState.DRAFT, RfqState.SENT, "sent",
                   {"suppliers": list(rfq.suppliers.values_list("partner_id", flat=True))})
    return rfq


def _rfq_supplier(rfq: Rfq, supplier, field_name: str = "supplier") -> RfqSupplier:
    """The invited supplier named by an RfqSupplier or its partner (id)."""
    if isinstance(supplier, RfqSupplier):
        found = rfq.suppliers.filter(pk=supplier.pk).first()
    else:
        found = rfq.suppliers.filter(partner_id=pk_of(supplier)).select_related("partner").first()
    if found is None:
        raise ValidationFailed(fields={field_name: [_("Choose one of the suppliers invited to this RFQ.")]})
    return found


def rfq_quote_set(*, actor, rfq: Rfq, supplier, quotes: list[dict], data: dict | None = None) -> RfqSupplier:
    """Enter one invited supplier's quote (the RFQ sent): `quotes` [{line, unit_price, discount}] (an empty
    price removes that line's quote; lines not listed are kept), `data` its terms (quoted_on, valid_to,
    lead_days, notes). Raises PermissionDenied (purchasing.change_rfq), InvalidState (not sent),
    ValidationFailed (unknown supplier or line, negative price, discount outside 0-100)."""
    require(actor, "purchasing.change_rfq", rfq.company)
    data = data or {}
    refuse_unknown(data, QUOTE_TERMS)
    with transaction.atomic():
        rfq = lock_rfq(rfq, "award")
        rfq_supplier = _rfq_supplier(rfq, supplier)
        lines = {line.pk: line for line in rfq.lines.all()}
        errors, wanted = {}, {}
        if not isinstance(quotes, list | tuple):
            raise ValidationFailed(fields={"quotes": [_("Send the quotes as a list of {line, unit_price, discount}.")]})
        for index, item in enumerate(quotes):
            prefix = f"quotes.{index}."
            if not isinstance(item, dict) or set(item) - {"line", "unit_price", "discount"}:
                errors[prefix + "non_field_errors"] = [_("Send each quote as {line, unit_price, discount}.")]
                continue
            line = lines.get(pk_of(item.get("line")))
            if line is None:
                errors[prefix + "line"] = [_("Choose a line of this RFQ.")]
                continue
            price = decimal_or_none(item.get("unit_price"), prefix + "unit_price", errors)
            discount = decimal_or_none(item.get("discount"), prefix + "discount", errors, maximum=Decimal("100"))
            wanted[line.pk] = (price, discount or ZERO)
        for name in QUOTE_TERMS & set(data):
            value = data[name]
            setattr(rfq_supplier, name, (value or "").strip() if name == "notes" else (value if value != "" else None))
        if errors:
            raise ValidationFailed(fields=errors)
        validate(rfq_supplier)
        rfq_supplier.save()
        for line_pk, (price, discount) in wanted.items():
            if price is None:
                RfqQuote.objects.filter(supplier=rfq_supplier, line_id=line_pk).delete()
            else:
                RfqQuote.objects.update_or_create(supplier=rfq_supplier, line_id=line_pk, defaults={
                    "company_id": rfq.company_id, "unit_price": price, "discount": discount})
    return rfq_supplier


def rfq_cancel(*, actor, rfq: Rfq) -> Rfq:
    """draft or sent -> cancelled; requisition lines on it are convertible again. Raises PermissionDenied
    (purchasing.change_rfq), InvalidState (awarded or cancelled)."""
    require(actor, "purchasing.change_rfq", rfq.company)
    with transaction.atomic():
        rfq = lock_rfq(rfq, "cancel")
        from_state = rfq.state
        _release_requisitions(rfq)
        transition(rfq, from_state, RfqState.CANCELLED, "cancelled")
    return rfq


# --- comparison and award ----------------------------------------------------------------------

def quote_amount(line: RfqLine, quote: RfqQuote) -> Decimal:
    """What the line costs at the quote: quantity x price less the discount, to the cent."""
    return (line.quantity * quote.unit_price * (Decimal("100") - quote.discount) / Decimal("100")).quantize(CENT)


@dataclass
class Comparison:
    suppliers: list  # RfqSupplier, in invitation order
    rows: list = field(default_factory=list)  # {line, cells: [{supplier, quote, amount, cheapest}], cheapest}
    totals: dict = field(default_factory=dict)  # RfqSupplier pk -> {"total", "complete", "lines"}
    best: RfqSupplier | None = None  # the cheapest supplier among those quoting every line


def rfq_comparison(rfq: Rfq) -> Comparison:
    """The quotes side by side: per line each supplier's quote and amount, the cheapest per line marked
    (ties: every cheapest), totals per supplier and the cheapest supplier quoting every line."""
    suppliers = list(rfq.suppliers.select_related("partner", "order").order_by("pk"))
    lines = list(rfq.lines.select_related("product", "uom", "awarded_to__partner").order_by("pk"))
    quotes = {(quote.supplier_id, quote.line_id): quote for quote in RfqQuote.objects.filter(line__rfq=rfq)}
    comparison = Comparison(suppliers=suppliers)
    totals = {supplier.pk: {"total": ZERO, "complete": True, "lines": 0} for supplier in suppliers}
    for line in lines:
        cells = []
        for supplier in suppliers:
            quote = quotes.get((supplier.pk, line.pk))
            amount = quote_amount(line, quote) if quote is not None else None
            cells.append({"supplier": supplier, "quote": quote, "amount": amount, "cheapest": False})
            if amount is None:
                totals[supplier.pk]["complete"] = False
            else:
                totals[supplier.pk]["total"] += amount
                totals[supplier.pk]["lines"] += 1
        amounts = [cell["amount"] for cell in cells if cell["amount"] is not None]
        lowest = min(amounts) if amounts else None
        cheapest = None
        for cell in cells:
            if lowest is not None and cell["amount"] == lowest:
                cell["cheapest"] = True
                cheapest = cheapest or cell["supplier"]
        comparison.rows.append({"line": line, "cells": cells, "cheapest": cheapest})
    comparison.totals = totals
    complete = [supplier for supplier in suppliers if totals[supplier.pk]["complete"] and lines]
    if complete:
        comparison.best = min(complete, key=lambda supplier: (totals[supplier.pk]["total"], supplier.pk))
    return comparison


def cheapest_per_line(rfq: Rfq) -> list[dict]:
    """Award lines `[{line, supplier (partner id)}]` giving each quoted line to its cheapest supplier."""
    return [{"line": row["line"].pk, "supplier": row["cheapest"].partner_id}
            for row in rfq_comparison(rfq).rows if row["cheapest"] is not None]


def _award_plan(rfq: Rfq, supplier, lines) -> dict[int, list[tuple[RfqLine, RfqQuote]]]:
    """RfqSupplier pk -> [(line, its quote)] for the award asked for."""
    all_lines = list(rfq.lines.order_by("pk"))
    quotes = {(quote.supplier_id, quote.line_id): quote for quote in RfqQuote.objects.filter(line__rfq=rfq)}
    plan: dict[int, list] = {}
    errors = {}
    if (supplier is None) == (lines is None):
        raise ValidationFailed(fields={"supplier": [_("Award the whole RFQ to one supplier, or each line.")]})
    if supplier is not None:
        winner = _rfq_supplier(rfq, supplier)
        for index, line in enumerate(all_lines):
            quote = quotes.get((winner.pk, line.pk))
            if quote is None:
                errors[f"lines.{index}"] = [_("%(supplier)s did not quote “%(line)s”.")
                                            % {"supplier": winner.partner, "line": line.description}]
            else:
                plan.setdefault(winner.pk, []).append((line, quote))
    else:
        if not isinstance(lines, list | tuple) or not lines:
            raise ValidationFailed(fields={"lines": [_("Choose a supplier for at least one line.")]})
        by_pk = {line.pk: line for line in all_lines}
        seen = set()
        for index, item in enumerate(lines):
            prefix = f"lines.{index}."
            line = by_pk.get(pk_of(item.get("line"))) if isinstance(item, dict) else None
            if line is None or line.pk in seen:
                errors[prefix + "line"] = [_("Choose each line of this RFQ once.")]
                continue
            seen.add(line.pk)
            try:
                winner = _rfq_supplier(rfq, item.get("supplier"), prefix + "supplier")
            except ValidationFailed as error:
                errors.update(error.fields)
                continue
            quote = quotes.get((winner.pk, line.pk))
            if quote is None:
                errors[prefix + "supplier"] = [_("%(supplier)s did not quote this line.")
                                               % {"supplier": winner.partner}]
                continue
            plan.setdefault(winner.pk, []).append((line, quote))
    if errors:
        raise ValidationFailed(fields=errors)
    return plan


def _save_price(actor, rfq: Rfq, rfq_supplier: RfqSupplier, line: RfqLine, quote: RfqQuote) -> None:
    from .prices import supplier_price_create

    supplier_price_create(actor=actor, company=rfq.company, data={
        "partner": rfq_supplier.partner, "product": line.product, "currency": rfq.currency, "uom": line.uom,
        "min_quantity": ZERO, "price": quote.unit_price, "discount": quote.discount,
        "valid_from": rfq_supplier.quoted_on, "valid_to": rfq_supplier.valid_to,
        "lead_days": rfq_supplier.lead_days or 0})


def rfq_award(*, actor, rfq: Rfq, supplier=None, lines: list[dict] | None = None,
              save_prices: bool = False) -> list:
    """sent -> awarded: the whole RFQ to `supplier` (a partner id or RfqSupplier), or each of `lines`
    [{line, supplier}] to its supplier (lines not listed are not ordered). One draft purchase order per
    winning supplier (`order_create`, prices and discounts of the quotes, the RFQ's currency and
    warehouse, expected after the quote's lead time); requisition lines on the RFQ point to their order
    lines. `save_prices` keeps the quotes as supplier prices. Raises PermissionDenied
    (purchasing.award_rfq, and what order_create needs), InvalidState (not sent), ValidationFailed (a
    supplier that was not invited or did not quote a line)."""
    from .orders import order_create

    require(actor, "purchasing.award_rfq", rfq.company)
    with transaction.atomic():
        rfq = lock_rfq(rfq, "award")
        plan = _award_plan(rfq, supplier, lines)
        winners = {item.pk: item for item in rfq.suppliers.select_related("partner").filter(pk__in=plan)}
        today = timezone.localdate()
        orders = []
        for supplier_pk in sorted(plan):
            rfq_supplier = winners[supplier_pk]
            expected = today + datetime.timedelta(days=rfq_supplier.lead_days) \
                if rfq_supplier.lead_days is not None else None
            awarded = plan[supplier_pk]
            order = order_create(actor=actor, company=rfq.company, data={
                "partner": rfq_supplier.partner_id, "date": today, "expected_on": expected,
                "warehouse": rfq.warehouse_id, "currency": rfq.currency_id,
                "notes": _("Awarded from %(rfq)s.") % {"rfq": rfq.number}},
                lines=[{"product": line.product_id, "description": line.description, "quantity": line.quantity,
                        "uom": line.uom_id, "unit_price": quote.unit_price, "discount": quote.discount}
                       for line, quote in awarded])
            order.rfq = rfq
            order.save(update_fields=["rfq"])
            order_lines = list(order.lines.order_by("sequence", "pk"))
            for (line, quote), order_line in zip(awarded, order_lines, strict=True):
                line.awarded_to = rfq_supplier
                line.save(update_fields=["awarded_to"])
                RequisitionLine.objects.filter(rfq_line=line).update(order_line=order_line)
                if save_prices:
                    _save_price(actor, rfq, rfq_supplier, line, quote)
            rfq_supplier.order = order
            rfq_supplier.save(update_fields=["order"])
            orders.append(order)
        transition(rfq, RfqState.SENT, RfqState.AWARDED, "awarded",
                   {"orders": [order.pk for order in orders]})
    return orders

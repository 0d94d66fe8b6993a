"""Returns to suppliers: draft -> done (posted) or cancelled (RETURN_TRANSITIONS).

A return lists products sent back, usually lines of one order (`order_line`), or free lines. Posting it
(`return_post`, numbered RTV-{fy}-00001):
- takes each line out of the warehouse's stock location to the supplier location (`move_done`), the
  receipt move of its order line as `origin_move`, so it leaves at the cost it came in at (valuation:
  Dr GR/IR / Cr inventory); a tracked product names its lot or serial number;
- raises the order lines' `quantity_returned`;
- records on each line its `quantity_to_credit`: what had already been billed (the part of the returned
  quantity beyond what was still unbilled, pending credits of earlier returns counted as credited) and,
  for free lines, all of it.
The supplier credit note for that (accounting `invoice_create` + `invoice_post`, kind supplier_credit,
journal PUR, the order's currency, prices and taxes; its lines tied to the order lines by BillLine so the
bills' hooks split it to GR/IR and lower `quantity_billed`) is posted at once when the one posting the
return may also issue it (accounting.add_invoice and accounting.post_invoice). Otherwise — the warehouse
and purchasing do not post to the ledger (segregation of duties) — the return is done with its credit
note still to issue ("awaiting credit": done, no credit note, a line with a quantity to credit; the event
purchasing.return.credit_pending tells the accountants), and an accountant issues it with
`return_credit`. Settled by offset, the credit note credits the order's open bill (`credit_note_of`), which
settles that much of it; by refund, it is left open for the supplier's inbound payment.
A return of goods not yet billed needs no credit note: the stock out clears GR/IR.

Locking: the return row, then the order and its lines (`lock_order`), then the moves (inventory).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.accounting.choices import AccountRole, InvoiceKind, InvoiceState
from tessera.accounting.models import Invoice
from tessera.accounting.services.setup import account_by_role
from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import check, require
from tessera.core.services.base import validate
from tessera.core.services.numbering import sequence_default, sequence_next_number
from tessera.inventory.choices import LocationUsage, MoveState
from tessera.inventory.models import Lot, StockMove, Warehouse
from tessera.inventory.services import move_confirm, move_create, move_done, virtual_location
from tessera.partners.models import Partner
from tessera.products.choices import ProductType, Tracking
from tessera.products.models import Product, Uom
from tessera.products.services.uoms import as_decimal, uom_convert, uom_quantity_check

from ..choices import RETURN_TRANSITIONS, OrderState, RefundMethod, ReturnState
from ..models import BillLine, PurchaseOrder, PurchaseOrderLine, ReceiptLine, SupplierReturn, SupplierReturnLine
from .orders import line_source, lock_order, order_refresh_state

sequence_default("purchasing_return", name="Return to supplier", prefix="RTV-{fy}-", padding=5)

ZERO = Decimal("0")
HEADER_FIELDS = {"partner", "order", "warehouse", "date", "reason", "is_quality_issue", "refund_method"}
LINE_FIELDS = {"order_line", "product", "quantity", "uom", "lot", "unit_price"}
OPEN_BILL_STATES = (InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID)
RETURNABLE_ORDER_STATES = {OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED, OrderState.BILLED, OrderState.CLOSED,
                           OrderState.CONFIRMED}
CREDIT_PERMISSIONS = ("accounting.add_invoice", "accounting.post_invoice")


def awaiting_credit(queryset: QuerySet | None = None, *, pending: bool = True) -> QuerySet:
    """The returns (of `queryset`, default all) done with their supplier credit note still to issue: no
    credit note and a line with a quantity to credit; `pending=False`: all the others."""
    queryset = SupplierReturn.objects.all() if queryset is None else queryset
    condition = Q(state=ReturnState.DONE, credit_note__isnull=True) & Exists(SupplierReturnLine.objects.filter(
        supplier_return=OuterRef("pk"), quantity_to_credit__gt=0))
    return queryset.filter(condition) if pending else queryset.exclude(condition)


def is_awaiting_credit(supplier_return: SupplierReturn) -> bool:
    """Is this return done with its supplier credit note still to issue (see `awaiting_credit`)?"""
    return (supplier_return.state == ReturnState.DONE and supplier_return.credit_note_id is None
            and supplier_return.lines.filter(quantity_to_credit__gt=0).exists())


def may_credit(actor, company: Company) -> bool:
    """May `actor` issue and post supplier credit notes in `company` (both accounting permissions)?"""
    return all(check(actor, perm, company) for perm in CREDIT_PERMISSIONS)


def _pk(value) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return getattr(value, "pk", None)


# --- drafts ----------------------------------------------------------------------------------------


def _header(supplier_return: SupplierReturn, data: dict) -> dict:
    """Set `data` on the draft and return the header's field errors."""
    company = supplier_return.company
    errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - HEADER_FIELDS)}
    if "order" in data:
        supplier_return.order = PurchaseOrder.objects.filter(pk=_pk(data["order"]), company=company).first() \
            if data["order"] not in (None, "") else None
        if data["order"] not in (None, "") and supplier_return.order is None:
            errors["order"] = [_("Choose one of this company's purchase orders.")]
    order = supplier_return.order
    if order is not None and "order" not in errors and order.state not in RETURNABLE_ORDER_STATES:
        errors["order"] = [_("Purchase order %(order)s is %(state)s: nothing was received to return.")
                           % {"order": order, "state": order.get_state_display()}]
    if "partner" in data:
        supplier_return.partner = Partner.objects.filter(pk=_pk(data["partner"]), company=company).first()
    elif order is not None and supplier_return.partner_id is None:
        supplier_return.partner_id = order.partner_id
    partner = supplier_return.partner if supplier_return.partner_id else None
    if partner is None or not partner.is_supplier:
        errors["partner"] = [_("Choose one of this company's suppliers.")]
    elif order is not None and order.partner_id != partner.pk:
        errors["partner"] = [_("The order is another supplier's.")]
    if "warehouse" in data:
        supplier_return.warehouse = Warehouse.objects.filter(pk=_pk(data["warehouse"]), company=company).first()
    elif order is not None and supplier_return.warehouse_id is None:
        supplier_return.warehouse_id = order.warehouse_id
    if supplier_return.warehouse_id is None:
        errors["warehouse"] = [_("Choose one of this company's warehouses.")]
    if "date" in data:
        supplier_return.date = data["date"] or timezone.localdate()
    for name in ("reason", "refund_method"):
        if name in data:
            setattr(supplier_return, name, (data[name] or "").strip())
    if "is_quality_issue" in data:
        supplier_return.is_quality_issue = data["is_quality_issue"] in (True, "true", "True", "on", "1", 1)
    try:
        validate(supplier_return)
    except ValidationFailed as error:
        errors.update({name: messages for name, messages in error.fields.items()
                       if name not in errors and name not in {"partner", "warehouse", "order"}})
    return errors


def _lines(supplier_return: SupplierReturn, lines) -> tuple[list[SupplierReturnLine], dict]:
    """Unsaved lines and their field errors (`lines.<i>.<field>`)."""
    if not isinstance(lines, list | tuple) or not lines:
        return [], {"lines": [_("Add at least one line.")]}
    company, order = supplier_return.company, supplier_return.order
    built, errors = [], {}
    for index, item in enumerate(lines):
        prefix = f"lines.{index}."
        if not isinstance(item, dict) or set(item) - LINE_FIELDS:
            errors[prefix + "non_field_errors"] = [
                _("Send each line as {order_line, product, quantity, uom, lot, unit_price}.")]
            continue
        line = SupplierReturnLine(company=company)
        order_line = None
        if item.get("order_line") not in (None, ""):
            order_line = PurchaseOrderLine.objects.select_related("product__uom", "uom").filter(
                pk=_pk(item["order_line"]), company=company, order=order).first() if order is not None else None
            if order_line is None:
                errors[prefix + "order_line"] = [_("Choose a line of the return's order.")]
                continue
            line.order_line = order_line
        product = order_line.product if order_line is not None else None
        if item.get("product") not in (None, ""):
            product = Product.objects.select_related("uom").filter(pk=_pk(item["product"]), company=company).first()
            if product is None or (order_line is not None and product.pk != order_line.product_id):
                errors[prefix + "product"] = [_("Choose the order line's product.") if order_line is not None
                                              else _("Choose one of this company's products.")]
                continue
        if product is None:
            errors[prefix + "product"] = [_("This field is required.")]
            continue
        if product.type != ProductType.STOCK and product.type != ProductType.CONSUMABLE:
            errors[prefix + "product"] = [_("%(product)s is a service: services are not returned.")
                                          % {"product": product}]
            continue
        line.product = product
        uom = order_line.uom if order_line is not None else product.uom
        if item.get("uom") not in (None, ""):
            uom = Uom.objects.filter(pk=_pk(item["uom"]), category_id=product.uom.category_id).first()
            if uom is None:
                errors[prefix + "uom"] = [_("Choose a unit of the product's unit category.")]
                continue
        line.uom = uom
        try:
            line.quantity = uom_quantity_check(quantity=item.get("quantity"), uom=uom, field=prefix + "quantity")
            if line.quantity <= 0:
                raise ValidationFailed(fields={prefix + "quantity": [_("Enter a quantity above zero.")]})
            if order_line is not None:
                uom_convert(quantity=line.quantity, from_uom=uom, to_uom=order_line.uom)
        except ValidationFailed as error:
            errors.update({key if key.startswith(prefix) else prefix + key: value
                           for key, value in error.fields.items()})
            continue
        if item.get("lot") not in (None, ""):
            line.lot = Lot.objects.filter(pk=_pk(item["lot"]), company=company, product=product).first()
            if line.lot is None:
                errors[prefix + "lot"] = [_("Choose a lot of this product.")]
                continue
        elif product.tracking != Tracking.NONE:
            errors[prefix + "lot"] = [_("%(product)s is tracked: say which lot or serial number goes back.")
                                      % {"product": product}]
            continue
        if item.get("unit_price") not in (None, ""):
            try:
                line.unit_price = as_decimal(item["unit_price"], prefix + "unit_price")
            except ValidationFailed as error:
                errors.update(error.fields)
                continue
            if line.unit_price < 0:
                errors[prefix + "unit_price"] = [_("Enter a price of zero or more.")]
                continue
        elif order_line is None:
            errors[prefix + "unit_price"] = [_("A line without an order line needs its credit unit price.")]
            continue
        built.append(line)
    return built, errors


def _save_lines(supplier_return: SupplierReturn, built: list[SupplierReturnLine]) -> None:
    for line in built:
        line.supplier_return = supplier_return
        line.save()


def return_create(*, actor, company: Company, data: dict, lines: list[dict]) -> SupplierReturn:
    """A draft return. `data`: partner (default: the order's), order, warehouse (default: the order's), date
    (default today), reason, is_quality_issue, refund_method (offset | refund). `lines`: order_line (a line
    of the order), product (default: the order line's; stock or consumable), quantity, uom (default: the
    order line's, else the product's), lot (tracked products), unit_price (default: the order line's;
    required on free lines). Raises PermissionDenied (purchasing.add_supplierreturn), ValidationFailed."""
    require(actor, "purchasing.add_supplierreturn", company)
    supplier_return = SupplierReturn(company=company, date=timezone.localdate())
    errors = _header(supplier_return, data)
    if "reason" not in data or not (data.get("reason") or "").strip():
        errors["reason"] = [_("This field is required.")]
    built, line_errors = _lines(supplier_return, lines) if "order" not in errors else ([], {})
    if errors or line_errors:
        raise ValidationFailed(fields={**errors, **line_errors})
    with transaction.atomic():
        supplier_return.save()
        _save_lines(supplier_return, built)
    return supplier_return


def _lock(supplier_return: SupplierReturn, transition: str) -> SupplierReturn:
    locked = SupplierReturn.objects.select_for_update(of=("self",)).select_related(
        "company", "order", "partner", "warehouse__stock_location").get(pk=supplier_return.pk)
    if locked.state not in RETURN_TRANSITIONS[transition]:
        raise InvalidState(_("Return %(record)s is %(state)s.") % {"record": locked,
                                                                    "state": locked.get_state_display()})
    return locked


def return_update(*, actor, supplier_return: SupplierReturn, data: dict, lines: list[dict] | None = None,
                  version: int | None = None) -> SupplierReturn:
    """Change a draft return (and replace its lines when `lines` is given). Raises PermissionDenied
    (purchasing.change_supplierreturn), InvalidState (not a draft, or `version` stale), ValidationFailed."""
    require(actor, "purchasing.change_supplierreturn", supplier_return.company)
    with transaction.atomic():
        locked = _lock(supplier_return, "post")
        if version is not None and version != locked.version:
            raise InvalidState(_("Someone else changed this return meanwhile: reload it and try again."))
        errors = _header(locked, data)
        if lines is None:
            lines = [{"order_line": line.order_line_id, "product": line.product_id, "quantity": line.quantity,
                      "uom": line.uom_id, "lot": line.lot_id, "unit_price": line.unit_price}
                     for line in locked.lines.order_by("pk")]
        built, line_errors = _lines(locked, lines) if "order" not in errors else ([], {})
        if errors or line_errors:
            raise ValidationFailed(fields={**errors, **line_errors})
        locked.version += 1
        locked.save()
        locked.lines.all().delete()
        _save_lines(locked, built)
    return locked


def return_delete(*, actor, supplier_return: SupplierReturn) -> None:
    """Delete a draft return. Raises PermissionDenied (purchasing.delete_supplierreturn), InvalidState."""
    require(actor, "purchasing.delete_supplierreturn", supplier_return.company)
    with transaction.atomic():
        _lock(supplier_return, "post").delete()


def return_cancel(*, actor, supplier_return: SupplierReturn) -> SupplierReturn:
    """Cancel a draft return (a posted one is undone by receiving the goods again). Raises PermissionDenied
    (purchasing.post_supplierreturn), InvalidState."""
    require(actor, "purchasing.post_supplierreturn", supplier_return.company)
    with transaction.atomic():
        locked = _lock(supplier_return, "cancel")
        locked.state = ReturnState.CANCELLED
        locked.save(update_fields=["state"])
        audit.record_transition(locked, from_state=ReturnState.DRAFT, to_state=ReturnState.CANCELLED)
        events.emit("purchasing.return.cancelled", company=locked.company, obj=locked, payload={})
    return locked


# --- posting ---------------------------------------------------------------------------------------


def _origin_move(line: SupplierReturnLine) -> StockMove | None:
    """The receipt move the returned goods came in with: the latest of the order line's done receipt moves
    (with the line's lot when it has one)."""
    if line.order_line_id is None:
        return None
    moves = StockMove.objects.filter(
        pk__in=ReceiptLine.objects.filter(order_line_id=line.order_line_id, move__isnull=False).values("move_id"),
        state=MoveState.DONE, source=line_source(line.order_line))
    if line.lot_id:
        with_lot = moves.filter(lines__lot_id=line.lot_id, lines__is_done=True)
        moves = with_lot if with_lot.exists() else moves
    return moves.order_by("-date", "-pk").first()


def _open_bill(order: PurchaseOrder) -> Invoice | None:
    """The order's posted bill to offset a credit note against: the one most open (the oldest of equals).
    Posting the credit note settles as much of it as is open; the rest of the credit note stays open."""
    bills = [bill for bill in Invoice.objects.filter(
        pk__in=BillLine.objects.filter(order_line__order=order).values("invoice_id"), currency=order.currency,
        partner=order.partner, kind=InvoiceKind.SUPPLIER_INVOICE, state__in=OPEN_BILL_STATES).order_by("date", "pk")
        if bill.residual > 0]
    return max(bills, key=lambda bill: bill.residual) if bills else None


def _to_credit(posted: list[tuple], pending: dict[int, Decimal]) -> None:
    """Set each posted line's `quantity_to_credit`: per order line the part of the returned quantity that was
    billed (billed = `quantity_billed` less what earlier returns still wait to credit, `pending`); free lines
    all of it. `posted` holds (return line, quantity in the order line's unit, net received before)."""
    for line, quantity, net_before in posted:
        order_line = line.order_line
        if order_line is None:
            line.quantity_to_credit = line.quantity
            continue
        billed = max(order_line.quantity_billed - pending.get(order_line.pk, ZERO), ZERO)
        unbilled = max(net_before - billed, ZERO)
        line.quantity_to_credit = min(max(quantity - unbilled, ZERO), billed)
        pending[order_line.pk] = pending.get(order_line.pk, ZERO) + line.quantity_to_credit


def _pending_credits(order: PurchaseOrder | None) -> dict[int, Decimal]:
    """Per order line of `order`: the quantities its done returns still wait to credit."""
    if order is None:
        return {}
    rows = SupplierReturnLine.objects.filter(
        order_line__order=order, quantity_to_credit__gt=0, supplier_return__state=ReturnState.DONE,
        supplier_return__credit_note__isnull=True).values("order_line").annotate(total=Sum("quantity_to_credit"))
    return {row["order_line"]: row["total"] for row in rows}


def _credit_lines(supplier_return: SupplierReturn, lines: list[SupplierReturnLine]) -> list[tuple]:
    """Credit note lines: per return line its quantity to credit, at the line's credit price (default the
    order line's), with the order line's discount and taxes; free lines at their price on GR/IR."""
    company = supplier_return.company
    grir = None
    rows = []
    for line in lines:
        if line.quantity_to_credit <= 0:
            continue
        order_line = line.order_line
        if order_line is not None:
            price = line.unit_price if line.unit_price is not None else order_line.unit_price
            rows.append(({"product": order_line.product, "description": order_line.description,
                          "quantity": line.quantity_to_credit, "uom": order_line.uom, "unit_price": price,
                          "discount": order_line.discount, "taxes": list(order_line.taxes.all()),
                          "account": None}, order_line))
        else:
            grir = grir or account_by_role(company, AccountRole.GRIR)
            rows.append(({"product": line.product, "description": line.product.name,
                          "quantity": line.quantity_to_credit, "uom": line.uom, "unit_price": line.unit_price,
                          "account": grir}, None))
    return rows


def _credit_note(actor, supplier_return: SupplierReturn, rows, date) -> Invoice:
    """Create and post the return's supplier credit note of `rows` (see `_credit_lines`) dated `date`; by
    offset it credits the order's most open posted bill."""
    from tessera.accounting.services.invoices import invoice_create, invoice_post

    company, order = supplier_return.company, supplier_return.order
    grir = account_by_role(company, AccountRole.GRIR)
    data = {"kind": InvoiceKind.SUPPLIER_CREDIT, "partner": supplier_return.partner, "date": date,
            "reference": supplier_return.number,
            "description": _("Return %(number)s: %(reason)s") % {"number": supplier_return.number,
                                                                "reason": supplier_return.reason}}
    if order is not None:
        data["currency"] = order.currency
        if order.payment_term_id:
            data["payment_term"] = order.payment_term
    lines = []
    for spec, order_line in rows:
        if spec["account"] is None:
            spec["account"] = grir if order_line.product.type == ProductType.STOCK else None
        lines.append({key: value for key, value in spec.items() if value is not None})
    if order is not None and supplier_return.refund_method == RefundMethod.OFFSET:
        bill = _open_bill(order)
        if bill is not None:
            data["credit_note_of"] = bill
    credit = invoice_create(actor=actor, company=company, data=data, lines=lines)
    invoice_lines = list(credit.lines.order_by("sequence", "pk"))
    BillLine.objects.bulk_create([
        BillLine(company=company, invoice=credit, invoice_line=invoice_line, order_line=order_line)
        for invoice_line, (_spec, order_line) in zip(invoice_lines, rows, strict=True) if order_line is not None])
    return invoice_post(actor=actor, invoice=credit)


def return_post(*, actor, supplier_return: SupplierReturn) -> SupplierReturn:
    """Post a draft return (see the module docstring): number RTV-{fy}-00001, stock out to the supplier at
    the receipt's cost, `quantity_returned` up, each line's `quantity_to_credit` (the part already billed),
    and for that a posted supplier credit note when the actor may also issue it (accounting.add_invoice and
    accounting.post_invoice); otherwise the return waits for `return_credit` (event
    purchasing.return.credit_pending).

    Raises PermissionDenied (purchasing.post_supplierreturn), InvalidState (not a draft), ValidationFailed
    (`lines.<i>.quantity`: more than received and not yet returned), InsufficientStock (409: the goods are not
    in the warehouse), PeriodClosed. Nothing is written when it raises.
    """
    require(actor, "purchasing.post_supplierreturn", supplier_return.company)
    with transaction.atomic():
        locked = _lock(supplier_return, "post")
        company = locked.company
        order = lock_order(locked.order) if locked.order_id else None
        lines = list(locked.lines.select_related("order_line__uom", "order_line__product", "product__uom", "uom",
                                                 "lot").order_by("pk"))
        if not lines:
            raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
        order_lines = {line.pk: line for line in order.lines.all()} if order is not None else {}
        errors, posted, returning = {}, [], {}
        for index, line in enumerate(lines):
            order_line = order_lines.get(line.order_line_id)
            if order_line is None:
                posted.append((line, line.quantity, ZERO))
                continue
            line.order_line = order_line
            quantity = uom_convert(quantity=line.quantity, from_uom=line.uom, to_uom=order_line.uom)
            already = returning.get(order_line.pk, ZERO)
            if order_line.quantity_received - order_line.quantity_returned - already < quantity:
                errors[f"lines.{index}.quantity"] = [
                    _("At most %(quantity)s %(unit)s of this line can go back: received and not returned yet.")
                    % {"quantity": (order_line.quantity_received - order_line.quantity_returned - already)
                       .normalize(), "unit": order_line.uom.short_name}]
                continue
            returning[order_line.pk] = already + quantity
            posted.append((line, quantity, order_line.net_received - already))
        if errors:
            raise ValidationFailed(fields=errors)
        locked.number = sequence_next_number(company=company, code="purchasing_return", on=locked.date)
        supplier_location = virtual_location(company=company, usage=LocationUsage.SUPPLIER)
        for index, line in sorted(enumerate(lines), key=lambda pair: (pair[1].product_id, pair[1].pk)):
            origin = _origin_move(line)
            move = move_create(actor=actor, company=company, data={
                "product": line.product, "quantity": line.quantity, "uom": line.uom, "lot": line.lot,
                "location": locked.warehouse.stock_location, "location_dest": supplier_location,
                "partner": locked.partner, "date": locked.date, "reference": locked.number,
                "description": locked.reason[:255], "source": f"purchasing.supplierreturnline:{line.pk}",
                "origin_move": origin})
            move_confirm(actor=actor, move=move, reserve="all")
            try:
                move = move_done(actor=actor, move=move)
            except ValidationFailed as error:
                raise ValidationFailed(error.message, fields={f"lines.{index}.{key}": value
                                                              for key, value in error.fields.items()}) from None
            line.move = move
        _to_credit(posted, _pending_credits(order))
        for line in lines:
            line.save(update_fields=["move", "quantity_to_credit"])
        for line, quantity, _net_before in posted:
            if line.order_line_id:
                line.order_line.quantity_returned += quantity
                line.order_line.save(update_fields=["quantity_returned"])
        rows = _credit_lines(locked, lines)
        if rows and may_credit(actor, company):
            locked.credit_note = _credit_note(actor, locked, rows, locked.date)
        locked.state = ReturnState.DONE
        locked.save(update_fields=["number", "state", "credit_note"])
        if order is not None:
            order_refresh_state(order)
        audit.record_transition(locked, from_state=ReturnState.DRAFT, to_state=ReturnState.DONE)
        events.emit("purchasing.return.posted", company=company, obj=locked, payload={
            "number": locked.number, "order": order.number if order is not None else None,
            "credit_note": locked.credit_note.number if locked.credit_note else None})
        if rows and locked.credit_note is None:
            events.emit("purchasing.return.credit_pending", company=company, obj=locked, payload={
                "number": locked.number, "partner": locked.partner.name,
                "order": order.number if order is not None else None})
    return locked


def return_credit(*, actor, supplier_return: SupplierReturn) -> Invoice:
    """Issue and post the supplier credit note of a return done without one (see `awaiting_credit`): its
    lines' quantities to credit at the return's prices, dated the return's date or today if later; by offset
    it credits the order's most open posted bill (settling that much of it), by refund it stays open.

    Raises PermissionDenied (accounting.add_invoice, accounting.post_invoice and
    purchasing.view_supplierreturn), InvalidState (not done, already credited, or nothing billed to credit),
    PeriodClosed. Nothing is written when it raises.
    """
    company = supplier_return.company
    for perm in (*CREDIT_PERMISSIONS, "purchasing.view_supplierreturn"):
        require(actor, perm, company)
    with transaction.atomic():
        locked = SupplierReturn.objects.select_for_update(of=("self",)).select_related(
            "company", "order", "partner").get(pk=supplier_return.pk)
        if locked.state != ReturnState.DONE:
            raise InvalidState(_("Return %(record)s is %(state)s: only a return sent back gets a credit note.")
                               % {"record": locked, "state": locked.get_state_display()})
        if locked.credit_note_id is not None:
            raise InvalidState(_("Return %(record)s already has its credit note %(credit)s.")
                               % {"record": locked, "credit": locked.credit_note})
        order = lock_order(locked.order) if locked.order_id else None
        order_lines = {line.pk: line for line in order.lines.all()} if order is not None else {}
        lines = list(locked.lines.select_related("product__uom", "uom").order_by("pk"))
        for line in lines:
            if line.order_line_id:
                line.order_line = order_lines[line.order_line_id]
        rows = _credit_lines(locked, lines)
        if not rows:
            raise InvalidState(_("Return %(record)s needs no credit note: none of it had been billed.")
                               % {"record": locked})
        credit = _credit_note(actor, locked, rows, max(locked.date, timezone.localdate()))
        locked.credit_note = credit
        locked.save(update_fields=["credit_note"])
        if order is not None:
            order_refresh_state(order)
        events.emit("purchasing.return.credited", company=company, obj=locked, payload={
            "number": locked.number, "credit_note": credit.number})
    return credit

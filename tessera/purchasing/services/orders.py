"""Purchase orders: create, change, delete (drafts), and the moves of their life cycle.

draft -> submitted (an approval rule applies: `approval_submit`) -> approved (the request approved,
through `on_decided` whichever screen decided it) -> confirmed; an order no rule covers goes from submit
straight to approved, or is confirmed from draft. Confirming numbers it (PO-{fy}-00001) and creates one
incoming stock move per stock or consumable line (supplier location -> the warehouse's stock location,
source "purchasing.purchaseorderline:<id>", unit_cost per product unit in company currency at the
order date's rate). Receipts, bills and returns change the lines' quantities and call
`order_refresh_state`, which moves the order through partially received, received, billed and closed.

Locking: `lock_order` locks the order row, then its lines in pk order; stock moves are handled in
(product, pk) order as inventory asks. Transitions are declared once in `choices.ORDER_TRANSITIONS`;
a move the table does not allow raises InvalidState (409) and writes nothing.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.accounting.choices import InvoiceKind, InvoiceState
from tessera.accounting.models import Invoice
from tessera.approvals.errors import AlreadyApproved, ApprovalNotRequired, ApprovalPending
from tessera.approvals.models import ApprovalRequest
from tessera.approvals.services import (
    approval_approve,
    approval_check,
    approval_reject,
    approval_submit,
    approval_withdraw_for_cancelled,
)
from tessera.core import audit, events
from tessera.core.errors import InvalidState, NotFound, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.companies import module_is_active
from tessera.core.services.currency import currency_rate
from tessera.core.services.numbering import sequence_default, sequence_next_number
from tessera.inventory.choices import LocationUsage, MoveState
from tessera.inventory.models import StockMove
from tessera.inventory.services import move_cancel, move_confirm, move_create, virtual_location
from tessera.products.choices import ProductType

from ..choices import ORDER_EDITABLE, ORDER_TRANSITIONS, OrderState
from ..models import BillLine, PurchaseOrder, PurchaseOrderLine
from .order_lines import order_header, order_lines, order_totals

sequence_default("purchase_order", name="Purchase order", prefix="PO-{fy}-", padding=5)

ZERO = Decimal("0")
COST_PLACES = Decimal("0.000001")
OPEN_MOVE_STATES = (MoveState.DRAFT, MoveState.CONFIRMED, MoveState.ASSIGNED)
APPROVAL_TYPE = "purchasing.purchaseorder"


# --- locks and reads -----------------------------------------------------------------------------


def lock_order(order: PurchaseOrder) -> PurchaseOrder:
    """Lock the order row, then its lines in pk order; return the order fresh from the database."""
    locked = PurchaseOrder.objects.select_for_update(of=("self",)).select_related(
        "company", "company__base_currency", "currency", "partner", "warehouse").get(pk=order.pk)
    list(PurchaseOrderLine.objects.select_for_update(of=("self",)).filter(order=locked).order_by("pk"))
    return locked


def _lock(order: PurchaseOrder, transition: str | None) -> PurchaseOrder:
    locked = lock_order(order)
    allowed = ORDER_TRANSITIONS[transition] if transition else ORDER_EDITABLE
    if locked.state not in allowed:
        raise InvalidState(_("Purchase order %(order)s is %(state)s.")
                           % {"order": locked, "state": locked.get_state_display().lower()})
    return locked


def line_source(line: PurchaseOrderLine) -> str:
    """The `source` of the stock moves of an order line."""
    return f"purchasing.purchaseorderline:{line.pk}"


def order_moves(order: PurchaseOrder):
    """The stock moves of the order's lines (the confirmed ones and their backorders)."""
    sources = [line_source(line) for line in order.lines.all()]
    return StockMove.objects.filter(company_id=order.company_id, source__in=sources)


def order_bills(order: PurchaseOrder):
    """The supplier invoices and credit notes that bill (or credit) the order's lines."""
    ids = BillLine.objects.filter(order_line__order=order).values("invoice_id")
    return Invoice.objects.filter(pk__in=ids).order_by("date", "pk")


def pending_request(order: PurchaseOrder) -> ApprovalRequest | None:
    """The order's approval request waiting for a decision (None when there is none)."""
    return ApprovalRequest.objects.filter(document_type=APPROVAL_TYPE, object_id=str(order.pk),
                                          state="pending").order_by("-pk").first()


def _transition(order: PurchaseOrder, from_state: str, to_state: str, **payload) -> None:
    order.state = to_state
    order.save()
    audit.record_transition(order, from_state=from_state, to_state=to_state)
    events.emit(f"purchasing.order.{to_state}", company=order.company, obj=order,
                payload={"number": order.number, "partner": order.partner_id, "total": str(order.total),
                         "currency": order.currency.code, "from_state": from_state, **payload})


# --- create, change, delete ----------------------------------------------------------------------


def _save_lines(order: PurchaseOrder, built) -> None:
    for line, taxes in built:
        line.order = order
        validate(line, exclude=["order"])
        line.save()
        line.taxes.set(taxes)


def order_create(*, actor, company: Company, data: dict, lines: list[dict]) -> PurchaseOrder:
    """A draft purchase order.

    `data`: partner (a supplier), date (default today), expected_on, warehouse (default the first active
    one), currency (default the supplier's, else the base currency), payment_term (default the
    supplier's), reference, notes, buyer (default `actor`). `lines`: [{product, description (default the
    product's name), quantity, uom (default the purchase unit, else the unit; same category), unit_price
    (default the supplier's price list for the quantity and date, else the standard cost when the order
    is in the company's currency), discount, taxes (ids; default the product's purchase tax),
    expected_on, price_source}]. Totals via accounting's `document_taxes`.
    Raises PermissionDenied (purchasing.add_purchaseorder), ValidationFailed (nothing written).
    """
    require(actor, "purchasing.add_purchaseorder", company)
    order = PurchaseOrder(company=company)
    order_header(order, data, actor=actor, creating=True)
    built = order_lines(order, lines)
    order_totals(order, built)
    validate(order)
    with transaction.atomic():
        order.save()
        _save_lines(order, built)
    return order


def order_update(*, actor, order: PurchaseOrder, data: dict, lines: list[dict] | None = None,
                 version: int | None = None) -> PurchaseOrder:
    """Change a draft or approved order; `lines` (when given) replace the lines — an item with the "id"
    of an existing line changes that line, lines not listed are deleted. An approved order that is
    changed goes back to draft (it needs approval again when a rule applies).
    Raises PermissionDenied (purchasing.change_purchaseorder), InvalidState (not editable, or a stale
    `version`), ValidationFailed (nothing written)."""
    require(actor, "purchasing.change_purchaseorder", order.company)
    with transaction.atomic():
        order = _lock(order, None)
        if version is not None and int(version) != order.version:
            raise InvalidState(_("Someone else changed this order meanwhile: reload it and try again."))
        order_header(order, data, actor=actor)
        current = {line.pk: line for line in order.lines.select_related("product__uom", "uom")}
        if lines is not None:
            built = order_lines(order, lines, existing=current)
        else:
            built = [(line, list(line.taxes.all())) for line in sorted(current.values(),
                                                                       key=lambda line: (line.sequence, line.pk))]
        order_totals(order, built)
        validate(order)
        from_state = order.state
        order.version += 1
        order.save()
        kept = {line.pk for line, _taxes in built if line.pk}
        PurchaseOrderLine.objects.filter(order=order).exclude(pk__in=kept).delete()
        _save_lines(order, built)
        if from_state == OrderState.APPROVED:
            _transition(order, from_state, OrderState.DRAFT)
    return order


def order_delete(*, actor, order: PurchaseOrder) -> None:
    """Delete a draft order. Raises PermissionDenied (purchasing.delete_purchaseorder), InvalidState."""
    require(actor, "purchasing.delete_purchaseorder", order.company)
    with transaction.atomic():
        order = lock_order(order)
        if order.state != OrderState.DRAFT:
            raise InvalidState(_("Only a draft order can be deleted; cancel it instead."))
        order.delete()


# --- approval ------------------------------------------------------------------------------------


def order_submit(*, actor, order: PurchaseOrder) -> PurchaseOrder:
    """draft -> submitted for approval under the first matching rule, or straight to approved when no
    rule applies (or it is approved as it is already). A request already pending (submitted from the
    approvals panel) just moves the order to submitted. Raises PermissionDenied
    (purchasing.submit_purchaseorder), InvalidState, the approvals' 409s (approvers_missing, ...)."""
    require(actor, "purchasing.submit_purchaseorder", order.company)
    with transaction.atomic():
        order = _lock(order, "submit")
        if not order.lines.exists():
            raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
        to_state = OrderState.APPROVED
        if module_is_active(order.company, "approvals"):
            try:
                approval_submit(actor=actor, document=order)
                to_state = OrderState.SUBMITTED
            except (ApprovalNotRequired, AlreadyApproved):
                pass
            except ApprovalPending:
                to_state = OrderState.SUBMITTED
        _transition(order, OrderState.DRAFT, to_state)
    return order


def order_follow_decision(order: PurchaseOrder, state: str) -> None:
    """`on_decided` of the order's approval requests (runs in the deciding transaction): approved ->
    the order is approved (also a draft whose request was submitted from the approvals panel); rejected or
    withdrawn -> a submitted order goes back to draft. Orders past approval are left alone."""
    order = PurchaseOrder.objects.select_for_update(of=("self",)).select_related("currency").get(pk=order.pk)
    if state == "approved" and order.state in (OrderState.DRAFT, OrderState.SUBMITTED):
        _transition(order, order.state, OrderState.APPROVED, decision=state)
    elif state != "approved" and order.state == OrderState.SUBMITTED:
        _transition(order, OrderState.SUBMITTED, OrderState.DRAFT, decision=state)


def _request_of(order: PurchaseOrder, transition: str) -> ApprovalRequest:
    order.refresh_from_db(fields=["state"])
    if order.state not in ORDER_TRANSITIONS[transition]:
        raise InvalidState(_("Purchase order %(order)s is %(state)s.")
                           % {"order": order, "state": order.get_state_display().lower()})
    request = pending_request(order)
    if request is None:
        raise InvalidState(_("Purchase order %(order)s has no approval request waiting.") % {"order": order})
    return request


def order_approve(*, actor, order: PurchaseOrder, comment: str = "") -> PurchaseOrder:
    """Approve the order's pending approval request as `actor` (an approver of its current step); when
    its last step is approved the order becomes approved. Raises InvalidState (not submitted),
    PermissionDenied (not an approver now, own order), the approvals' 409s (already_decided)."""
    require(actor, "purchasing.view_purchaseorder", order.company)
    approval_approve(actor=actor, request=_request_of(order, "approve"), comment=comment)
    order.refresh_from_db()
    return order


def order_reject(*, actor, order: PurchaseOrder, comment: str) -> PurchaseOrder:
    """Reject the order's pending approval request (a comment is required): the order goes back to draft.
    Raises ValidationFailed (no comment), InvalidState, PermissionDenied."""
    require(actor, "purchasing.view_purchaseorder", order.company)
    approval_reject(actor=actor, request=_request_of(order, "reject"), comment=comment)
    order.refresh_from_db()
    return order


# --- confirm, cancel, close ----------------------------------------------------------------------


def _rate(order: PurchaseOrder) -> Decimal:
    try:
        return currency_rate(currency=order.currency, quote=order.company.base_currency, on=order.date)
    except NotFound as error:
        raise ValidationFailed(fields={"currency": [error.message]}) from None


def line_unit_cost(line: PurchaseOrderLine, rate: Decimal) -> Decimal:
    """The line's untaxed price per product unit in company currency at `rate` (6 decimals)."""
    product_units = Fraction(line.quantity) * Fraction(line.uom.ratio) / Fraction(line.product.uom.ratio)
    exact = Fraction(line.subtotal) * Fraction(rate) / product_units
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(COST_PLACES, rounding=ROUND_HALF_UP)


def order_confirm(*, actor, order: PurchaseOrder) -> PurchaseOrder:
    """draft or approved -> confirmed: 409 `approval_required` when a rule applies and the order is not
    approved as it is; numbers it (PO-{fy}-00001) and creates + confirms one incoming move per stock or
    consumable line (supplier location -> warehouse stock location, reserve none).
    Raises PermissionDenied (purchasing.confirm_purchaseorder), InvalidState, ApprovalRequired,
    ValidationFailed (no exchange rate for the order date; nothing written)."""
    require(actor, "purchasing.confirm_purchaseorder", order.company)
    with transaction.atomic():
        order = _lock(order, "confirm")
        lines = list(order.lines.select_related("product__uom", "uom").order_by("product_id", "pk"))
        if not lines:
            raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
        approval_check(order)
        rate = _rate(order)
        from_state = order.state
        order.number = sequence_next_number(company=order.company, code="purchase_order", on=order.date)
        supplier = virtual_location(company=order.company, usage=LocationUsage.SUPPLIER)
        for line in lines:
            if line.product.type == ProductType.SERVICE:
                continue
            move = move_create(actor=actor, company=order.company, data={
                "product": line.product, "quantity": line.quantity, "uom": line.uom, "location": supplier,
                "location_dest": order.warehouse.stock_location_id, "partner": order.partner,
                "date": line.expected_on or order.expected_on or order.date, "reference": order.number,
                "description": line.description, "unit_cost": line_unit_cost(line, rate),
                "source": line_source(line)})
            move_confirm(actor=actor, move=move, reserve="none")
        order.confirmed_at = timezone.now()
        _transition(order, from_state, OrderState.CONFIRMED)
    return order


def _cancel_open_moves(actor, order: PurchaseOrder) -> int:
    moves = list(order_moves(order).filter(state__in=OPEN_MOVE_STATES).order_by("product_id", "pk"))
    for move in moves:
        move_cancel(actor=actor, move=move)
    return len(moves)


def order_cancel(*, actor, order: PurchaseOrder) -> PurchaseOrder:
    """draft, submitted, approved or confirmed -> cancelled while nothing is received or billed: its open
    moves are cancelled and a pending approval request is withdrawn. Raises PermissionDenied
    (purchasing.cancel_purchaseorder), InvalidState."""
    require(actor, "purchasing.cancel_purchaseorder", order.company)
    with transaction.atomic():
        order = _lock(order, "cancel")
        lines = list(order.lines.all())
        if any(line.quantity_received or line.quantity_billed for line in lines) or order.receipts.exists() \
                or order_bills(order).exclude(state=InvoiceState.CANCELLED).exists():
            raise InvalidState(_("Purchase order %(order)s has receipts or bills: it can only be closed.")
                               % {"order": order})
        from_state = order.state
        if approval_withdraw_for_cancelled(actor=actor, document=order) is not None:
            order = lock_order(order)
        _cancel_open_moves(actor, order)
        _transition(order, from_state, OrderState.CANCELLED)
    return order


def order_close(*, actor, order: PurchaseOrder) -> PurchaseOrder:
    """Short-close a partially received, received or billed order: what is still to come is cancelled
    (its open moves) and the order is closed. Raises PermissionDenied (purchasing.cancel_purchaseorder),
    InvalidState."""
    require(actor, "purchasing.cancel_purchaseorder", order.company)
    with transaction.atomic():
        order = _lock(order, "close")
        from_state = order.state
        cancelled = _cancel_open_moves(actor, order)
        _transition(order, from_state, OrderState.CLOSED, short_closed=True, moves_cancelled=cancelled)
    return order


# --- state from the lines ------------------------------------------------------------------------

FOLLOWING = (OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED, OrderState.BILLED)


def order_state_of(order: PurchaseOrder) -> str:
    """The state the order's lines and bills say: confirmed, partially received, received, billed (every
    line's net received billed and everything received), closed (billed and every posted bill paid)."""
    lines = list(PurchaseOrderLine.objects.filter(order=order))
    received = all(line.quantity_received >= line.quantity for line in lines)
    any_received = any(line.quantity_received > 0 for line in lines)
    billed = received and all(line.quantity_billed >= line.net_received for line in lines)
    if billed:
        bills = order_bills(order).filter(kind=InvoiceKind.SUPPLIER_INVOICE).exclude(
            state__in=[InvoiceState.DRAFT, InvoiceState.CANCELLED])
        if bills.exists() and not bills.exclude(state=InvoiceState.PAID).exists():
            return OrderState.CLOSED
        return OrderState.BILLED
    if received:
        return OrderState.RECEIVED
    return OrderState.PARTIALLY_RECEIVED if any_received else OrderState.CONFIRMED


def order_refresh_state(order: PurchaseOrder) -> PurchaseOrder:
    """Move a confirmed (or later) order to the state its lines say (see `order_state_of`). Callers
    (receipts, bills, returns, payments) call it inside their transaction with the order locked.
    Draft, submitted, approved, cancelled and closed orders are left as they are."""
    if order.state not in FOLLOWING:
        return order
    target = order_state_of(order)
    if target != order.state:
        if target in (OrderState.RECEIVED, OrderState.BILLED, OrderState.CLOSED) and order.received_at is None:
            order.received_at = timezone.now()
        elif target in (OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED):
            order.received_at = None
        _transition(order, order.state, target)
    return order

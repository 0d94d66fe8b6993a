"""Supplier bills of purchase orders: a draft bill from an order (`order_bill`), links between a free-entered
bill's lines and order lines (`bill_link`), and the links of a bill as the three-way match and the posting
hooks read them (`bill_links`).

A bill is an accounting invoice (kind `supplier_invoice`, journal PUR); `BillLine` ties each of its lines
to the order line it bills. Stock lines are billed to GR/IR (the receipt credited it), service and
consumable lines to their category's expense account. Accounting's `invoice_update` replaces a draft's
lines: the links survive with an empty invoice line and are tied again to the new line of the same
product (`bill_relink`). A credit note of a bill (accounting's cancel, or a credit note copied from it)
has no links of its own: its lines follow the bill's links, line by line.
"""

import contextlib
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import context, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.permissions import require

from ..choices import ORDER_TRANSITIONS, OrderState
from ..models import BillLine, PurchaseOrder, PurchaseOrderLine

ZERO = Decimal("0")
QUANTUM = Decimal("0.0001")
BILL_KINDS = ("supplier_invoice", "supplier_credit")
LINKABLE_STATES = {OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED, OrderState.BILLED,
                   OrderState.CLOSED}


# --- reading the links ----------------------------------------------------------------------------------

def in_order_unit(quantity: Decimal, invoice_uom, order_line: PurchaseOrderLine) -> Decimal:
    """A bill line's quantity (in its own unit, or the order line's when it has none) in the order line's
    unit, to 4 decimals."""
    if invoice_uom is None or invoice_uom.pk == order_line.uom_id:
        return quantity
    return (quantity * invoice_uom.ratio / order_line.uom.ratio).quantize(QUANTUM)


def bill_relink(invoice) -> None:
    """Tie links left without an invoice line (the draft's lines were replaced) to the invoice's unlinked
    lines of the same product, in line order; links that find no line are dropped."""
    orphans = list(BillLine.objects.filter(invoice=invoice, invoice_line__isnull=True)
                   .select_related("order_line").order_by("pk"))
    if not orphans:
        return
    linked = set(BillLine.objects.filter(invoice=invoice, invoice_line__isnull=False)
                 .values_list("invoice_line_id", flat=True))
    free = [line for line in invoice.lines.order_by("sequence", "pk") if line.pk not in linked]
    for link in orphans:
        match = next((line for line in free if line.product_id == link.order_line.product_id), None)
        if match is None:
            link.delete()
            continue
        free.remove(match)
        link.invoice_line = match
        link.save(update_fields=["invoice_line"])


def _credited_links(invoice) -> list[tuple]:
    """A credit note without links of its own follows the credited bill's links: its lines in order, each
    to the bill's linked line of the same product (first unused)."""
    original = invoice.credit_note_of
    if original is None:
        return []
    source = [(link.invoice_line, link.order_line) for link in
              BillLine.objects.filter(invoice=original, invoice_line__isnull=False)
              .select_related("invoice_line", "order_line__uom", "order_line__order", "order_line__product")
              .order_by("invoice_line__sequence", "invoice_line__pk")]
    pairs = []
    for line in invoice.lines.select_related("uom").order_by("sequence", "pk"):
        match = next((pair for pair in source if pair[0].product_id == line.product_id), None)
        if match is not None:
            source.remove(match)
            pairs.append((line, match[1]))
    return pairs


def bill_links(invoice) -> list[tuple]:
    """`[(invoice line, order line), ...]` of a bill or credit note, in line order (see the module
    docstring); empty for documents that bill no order."""
    if invoice.kind not in BILL_KINDS:
        return []
    own = [(link.invoice_line, link.order_line) for link in
           BillLine.objects.filter(invoice=invoice, invoice_line__isnull=False)
           .select_related("invoice_line__uom", "order_line__uom", "order_line__order", "order_line__product")
           .order_by("invoice_line__sequence", "invoice_line__pk")]
    if own or invoice.kind != "supplier_credit":
        return own
    return _credited_links(invoice)


def orders_of(invoice) -> list[PurchaseOrder]:
    """The orders a bill (or credit note) bills, by pk."""
    pks = {order_line.order_id for _line, order_line in bill_links(invoice)}
    return list(PurchaseOrder.objects.filter(pk__in=pks).order_by("pk"))


def bills_of_order(order: PurchaseOrder):
    """The supplier invoices and credit notes linked to the order (any state)."""
    from tessera.accounting.models import Invoice

    return Invoice.objects.filter(pk__in=BillLine.objects.filter(order_line__order=order).values("invoice_id"))


def pending_quantities(order: PurchaseOrder) -> dict[int, Decimal]:
    """Per order line: what draft bills already bill (not counted in quantity_billed until posted)."""
    pending: dict[int, Decimal] = {}
    links = BillLine.objects.filter(order_line__order=order, invoice__state="draft", invoice__kind="supplier_invoice",
                                    invoice_line__isnull=False).select_related("invoice_line__uom", "order_line__uom")
    for link in links:
        quantity = in_order_unit(link.invoice_line.quantity, link.invoice_line.uom, link.order_line)
        pending[link.order_line_id] = pending.get(link.order_line_id, ZERO) + quantity
    return pending


# --- writing --------------------------------------------------------------------------------------------

def _line_account(order_line: PurchaseOrderLine):
    from tessera.accounting.services.setup import account_by_role
    from tessera.products.services.categories import category_setting

    if order_line.product.type == "stock":
        return account_by_role(order_line.company, "grir")
    return category_setting(order_line.product.category, "expense_account")


def _as_user(actor):
    """Run the invoice's creation as `actor` in the audit trail (the bill's creator decides who may approve
    a mismatch: never the same person)."""
    acting = context.current()
    if getattr(acting.user, "pk", None) == actor.pk:
        return contextlib.nullcontext()
    return context.acting(user=actor, channel=acting.channel, api_token=acting.api_token, company=acting.company,
                          request_id=acting.request_id)


def order_bill(*, actor, order: PurchaseOrder, date: datetime.date | None = None, reference: str = ""):
    """A draft supplier invoice for what the order has received and not billed yet (each line's `to_bill`
    less what draft bills already hold) at the order's price, discount and taxes, in the order's currency
    and payment term; stock lines on GR/IR, others on their category's expense account; one BillLine per
    invoice line. Post it through accounting (the three-way match guards the posting).

    Raises PermissionDenied (purchasing.bill_purchaseorder, accounting.add_invoice), InvalidState (the
    order's state does not allow billing, or nothing is left to bill), ValidationFailed (from accounting).
    """
    from tessera.accounting.models import Journal
    from tessera.accounting.services.invoices import invoice_create

    from .orders import lock_order

    require(actor, "purchasing.bill_purchaseorder", order.company)
    with transaction.atomic():
        order = lock_order(order)
        if order.state not in ORDER_TRANSITIONS["bill"]:
            raise InvalidState(_("Order %(number)s cannot be billed in state “%(state)s”.")
                               % {"number": order, "state": order.get_state_display()})
        pending = pending_quantities(order)
        rows = []
        for line in order.lines.select_related("product__category", "uom").prefetch_related("taxes").order_by(
                "sequence", "pk"):
            quantity = line.to_bill - pending.get(line.pk, ZERO)
            if quantity > 0:
                rows.append((line, quantity))
        if not rows:
            raise InvalidState(_("Nothing to bill on order %(number)s: everything received is billed or on a "
                                 "draft bill.") % {"number": order})
        journal = Journal.objects.filter(company=order.company, kind="purchase", is_active=True).order_by(
            "code").first()
        data = {"kind": "supplier_invoice", "partner": order.partner, "date": date or timezone.localdate(),
                "currency": order.currency, "payment_term": order.payment_term, "reference": reference,
                "description": _("Bill of order %(number)s") % {"number": order.number}}
        if journal is not None:
            data["journal"] = journal
        lines = [{"product": line.product_id, "description": line.description, "account": _line_account(line),
                  "quantity": quantity, "uom": line.uom_id, "unit_price": line.unit_price, "discount": line.discount,
                  "taxes": list(line.taxes.all())} for line, quantity in rows]
        with _as_user(actor):
            invoice = invoice_create(actor=actor, company=order.company, data=data, lines=lines)
        for invoice_line, (order_line, _quantity) in zip(invoice.lines.order_by("sequence", "pk"), rows, strict=True):
            BillLine.objects.create(company=order.company, invoice=invoice, invoice_line=invoice_line,
                                    order_line=order_line)
        events.emit("purchasing.order.billed", company=order.company, obj=order,
                    payload={"number": order.number, "invoice": invoice.pk, "total": str(invoice.total)})
    return invoice


def _link_errors(invoice, links, lines: dict, order_lines: dict) -> dict:
    errors = {}
    for index, link in enumerate(links):
        line = lines.get(link.get("invoice_line"))
        if line is None:
            errors[f"links.{index}.invoice_line"] = [_("Choose a line of this bill.")]
            continue
        if link.get("order_line") in (None, ""):
            continue
        order_line = order_lines.get(link["order_line"])
        if order_line is None:
            errors[f"links.{index}.order_line"] = [_("Choose a line of one of this company's purchase orders.")]
        elif order_line.order.partner_id != invoice.partner_id:
            errors[f"links.{index}.order_line"] = [_("Order %(number)s is another supplier's.")
                                                   % {"number": order_line.order}]
        elif order_line.order.state not in LINKABLE_STATES:
            errors[f"links.{index}.order_line"] = [_("Order %(number)s is not confirmed.")
                                                   % {"number": order_line.order}]
        elif order_line.product_id != line.product_id:
            errors[f"links.{index}.order_line"] = [_("The bill line is for another product than the order line.")]
        elif line.uom_id is not None and line.uom.category_id != order_line.uom.category_id:
            errors[f"links.{index}.order_line"] = [_("The bill line's unit does not convert into the order line's.")]
    return errors


def _pk(value):
    value = getattr(value, "pk", value)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return -1


def bill_link(*, actor, invoice, links: list[dict]) -> list[BillLine]:
    """Tie lines of a draft supplier invoice or credit note (entered in accounting) to order lines:
    `links` = `[{"invoice_line": id, "order_line": id | null}]` (null removes the line's link). The order
    line must be the same supplier's, confirmed, of the same product, in a unit that converts.

    Returns the bill's links. Raises PermissionDenied (purchasing.add_billline), InvalidState (not a draft
    supplier document), ValidationFailed (`links.<i>.<field>`); nothing written on failure.
    """
    from tessera.accounting.models import Invoice

    require(actor, "purchasing.add_billline", invoice.company)
    if not isinstance(links, list | tuple) or not all(isinstance(link, dict) for link in links):
        raise ValidationFailed(fields={"links": [_("Send the links as a list of {invoice_line, order_line}.")]})
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
        if invoice.kind not in BILL_KINDS or invoice.state != "draft":
            raise InvalidState(_("Only a draft supplier invoice or credit note can be linked to orders."))
        bill_relink(invoice)
        links = [{"invoice_line": _pk(link.get("invoice_line")), "order_line": _pk(link.get("order_line"))}
                 for link in links]
        lines = {line.pk: line for line in invoice.lines.select_related("uom")}
        wanted = [link["order_line"] for link in links if link["order_line"] is not None]
        order_lines = {line.pk: line for line in PurchaseOrderLine.objects.filter(
            company=invoice.company, pk__in=wanted).select_related("order", "uom")}
        errors = _link_errors(invoice, links, lines, order_lines)
        if errors:
            raise ValidationFailed(fields=errors)
        for link in links:
            BillLine.objects.filter(invoice_line_id=link["invoice_line"]).delete()
            if link["order_line"] is not None:
                BillLine.objects.create(company=invoice.company, invoice=invoice,
                                        invoice_line=lines[link["invoice_line"]],
                                        order_line=order_lines[link["order_line"]])
        BillLine.objects.filter(invoice=invoice, invoice_line__isnull=True).delete()
    return list(BillLine.objects.filter(invoice=invoice).select_related("order_line__order").order_by(
        "invoice_line__sequence", "pk"))

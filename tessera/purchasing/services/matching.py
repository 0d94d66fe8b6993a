"""The three-way match of supplier bills (ordered price, received quantity, billed amount) and the hooks
purchasing hangs on accounting's invoice posting.

Match (`bill_match_check`), per order line a bill bills (its quantities converted to the order line's unit,
prices to the order's currency at the bill date):
- quantity: billed so far plus this bill above what was received net of returns, plus the billed-quantity
  tolerance;
- price: the bill's net unit price differs from the order's by more than the price tolerance (either way);
- amount: the bill's untaxed total differs from the matched value (billed quantities at the order's
  prices) by more than the price tolerance of that value plus the amount tolerance (company currency):
  catches lines that bill no order line (freight, fees) and rounding.
Any finding makes the bill a mismatch: posting it answers 409 `bill_mismatch` until someone with
purchasing.approve_billmatch who did not create the bill approves it as it is (`bill_match_approve`);
a change of the findings afterwards needs a new approval.

Posting (`bill_line_split`): a bill line of a stock order line posts Dr GR/IR at the received value of the
quantities it bills (the receipts' values, in receipt order, after what earlier bills took), and the rest of
the line to the price difference account (PurchaseSettings, else the category's price difference account,
else its expense account); for a bill in the order's foreign currency the part that comes from the rate
moving between receipt and bill goes to exchange gain/loss. Credit notes mirror it backwards.
`bill_posted` / `bill_cancelled` keep `quantity_billed` and the order states.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import audit, events
from tessera.core.errors import Conflict, InvalidState, PermissionDenied
from tessera.core.permissions import require

from ..choices import MatchState
from ..models import BillLine, BillMatch, PurchaseOrderLine, ReceiptLine
from .bills import bill_links, bill_relink, in_order_unit

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
PRICE = Decimal("0.000001")


class BillMismatch(Conflict):
    code = "bill_mismatch"
    default_message = gettext_lazy("The bill does not match its orders and receipts: approve the differences "
                                   "before posting it.")


@dataclass
class LineMatch:
    """One bill line against its order line, for the match screen."""

    invoice_line: object
    order_line: object
    quantity: Decimal  # billed by this bill, in the order line's unit
    price: Decimal  # the bill's net unit price per order unit, in the order's currency
    order_price: Decimal
    findings: list = field(default_factory=list)


@dataclass
class MatchResult:
    state: str
    differences: list
    lines: list
    matched_value: Decimal = ZERO
    untaxed: Decimal = ZERO


def _str(value: Decimal, quantum: Decimal = CENT) -> str:
    return str(value.quantize(quantum))


def net_price(unit_price: Decimal, discount: Decimal) -> Decimal:
    return unit_price * (HUNDRED - discount) / HUNDRED


def _to_order_currency(invoice, order, amount: Decimal) -> Decimal:
    if invoice.currency_id == order.currency_id:
        return amount
    from tessera.accounting.services.invoices import rate_of

    company = invoice.company
    return amount * rate_of(company, invoice.currency, invoice.date) / rate_of(company, order.currency, invoice.date)


def _bill_price(invoice, line, order_line) -> Decimal:
    """The bill line's net price per unit of the order line, in the order's currency."""
    price = net_price(line.unit_price, line.discount)
    if line.uom_id is not None and line.uom_id != order_line.uom_id:
        price = price * order_line.uom.ratio / line.uom.ratio
    return _to_order_currency(invoice, order_line.order, price)


def bill_match_compute(invoice) -> MatchResult | None:
    """The match of a draft bill against its orders now (only links orphaned by replaced lines are tied
    again; the result is not stored); None when it bills no order."""
    from tessera.accounting.services.invoices import base_amount, rate_of

    from .settings import purchase_settings

    if invoice.state == "draft":
        bill_relink(invoice)
    links = bill_links(invoice)
    if invoice.kind != "supplier_invoice" or not links:
        return None
    settings = purchase_settings(invoice.company)
    differences, lines, per_order_line = [], [], {}
    matched_value = ZERO
    for line, order_line in links:
        quantity = in_order_unit(line.quantity, line.uom, order_line)
        price = _bill_price(invoice, line, order_line)
        order_price = net_price(order_line.unit_price, order_line.discount)
        row = LineMatch(line, order_line, quantity, price, order_price)
        lines.append(row)
        per_order_line.setdefault(order_line.pk, [order_line, ZERO, []])
        per_order_line[order_line.pk][1] += quantity
        per_order_line[order_line.pk][2].append(row)
        allowed = order_price * settings.price_tolerance_percent / HUNDRED
        if abs(price - order_price) > allowed:
            finding = {"kind": "price", "order_line": order_line.pk, "invoice_line": line.pk,
                       "product": order_line.product.sku, "ordered_price": _str(order_price, PRICE),
                       "billed_price": _str(price, PRICE), "tolerance_percent": _str(settings.price_tolerance_percent),
                       "currency": order_line.order.currency.code}
            differences.append(finding)
            row.findings.append(finding)
        order_value = quantity * order_price
        if invoice.currency_id != order_line.order.currency_id:
            order_value = order_value * rate_of(invoice.company, order_line.order.currency, invoice.date) / rate_of(
                invoice.company, invoice.currency, invoice.date)
        matched_value += order_value
    for order_line, quantity, rows in per_order_line.values():
        billed = order_line.quantity_billed + quantity
        allowed = order_line.net_received * (HUNDRED + settings.quantity_tolerance_percent) / HUNDRED
        if billed > allowed:
            finding = {"kind": "quantity", "order_line": order_line.pk, "product": order_line.product.sku,
                       "ordered": str(order_line.quantity), "received": str(order_line.net_received),
                       "billed_before": str(order_line.quantity_billed), "billed": str(quantity),
                       "allowed": _str(allowed, Decimal("0.0001")),
                       "tolerance_percent": _str(settings.quantity_tolerance_percent), "uom": order_line.uom.name}
            differences.append(finding)
            for row in rows:
                row.findings.append(finding)
    matched_value = matched_value.quantize(CENT)
    rate = rate_of(invoice.company, invoice.currency, invoice.date)
    gap = base_amount(abs(invoice.total_untaxed - matched_value), rate, invoice.company)
    allowed = base_amount(matched_value * settings.price_tolerance_percent / HUNDRED, rate, invoice.company) \
        + settings.amount_tolerance
    if gap > allowed:
        differences.append({"kind": "amount", "matched": str(matched_value), "billed": str(invoice.total_untaxed),
                            "currency": invoice.currency.code, "difference": str(gap), "allowed": str(allowed),
                            "base_currency": invoice.company.base_currency.code})
    state = MatchState.MISMATCH if differences else MatchState.MATCHED
    return MatchResult(state, differences, lines, matched_value, invoice.total_untaxed)


def bill_match_check(invoice) -> BillMatch | None:
    """Check a draft bill and store the result (`BillMatch`): matched, mismatch, or still approved when the
    findings are those that were approved. A posted bill keeps the match it was posted with. None when the
    invoice bills no order."""
    if invoice.state != "draft":
        return BillMatch.objects.filter(invoice=invoice).first()
    bill_relink(invoice)
    result = bill_match_compute(invoice)
    if result is None:
        BillMatch.objects.filter(invoice=invoice).delete()
        return None
    match = BillMatch.objects.filter(invoice=invoice).first() or BillMatch(company=invoice.company, invoice=invoice)
    if match.pk and match.state == MatchState.APPROVED and match.differences == result.differences:
        return match
    match.state, match.differences = result.state, result.differences
    match.approved_by, match.approved_at, match.approval_note = None, None, ""
    match.save()
    return match


def bill_match_approve(*, actor, invoice, note: str = "") -> BillMatch:
    """Approve a draft bill's mismatch as it is now, so it can be posted (segregation of duties: not by the
    person who created the bill).

    Raises PermissionDenied (purchasing.approve_billmatch, or the bill's creator), InvalidState (not a
    draft bill of an order, nothing to approve, approved already).
    """
    from tessera.accounting.models import Invoice
    from tessera.approvals.registry import created_by

    require(actor, "purchasing.approve_billmatch", invoice.company)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update(of=("self",)).select_related("company", "currency").get(
            pk=invoice.pk)
        if invoice.state != "draft" or invoice.kind != "supplier_invoice":
            raise InvalidState(_("Only a draft bill's match can be approved."))
        bill_relink(invoice)
        match = bill_match_check(invoice)
        if match is None:
            raise InvalidState(_("This bill bills no purchase order: there is no match to approve."))
        if match.state == MatchState.MATCHED:
            raise InvalidState(_("The bill matches its orders: there is nothing to approve."))
        if match.state == MatchState.APPROVED:
            raise InvalidState(_("These differences are approved already."))
        creator = created_by(invoice)
        if creator is not None and creator.pk == actor.pk:
            raise PermissionDenied(_("You created this bill: someone else must approve its differences "
                                     "(segregation of duties)."))
        match.state = MatchState.APPROVED
        match.approved_by, match.approved_at, match.approval_note = actor, timezone.now(), (note or "")[:255]
        match.save()
        audit.record_transition(match, from_state=MatchState.MISMATCH, to_state=MatchState.APPROVED)
        events.emit("purchasing.bill_match.approved", company=invoice.company, obj=match,
                    payload={"invoice": invoice.pk, "differences": len(match.differences)})
    return match


# --- posting hooks --------------------------------------------------------------------------------------

def bill_post_guard(invoice) -> None:
    """Accounting's post guard: re-check a bill's match; a mismatch not approved as it is refuses (409)."""
    if invoice.kind not in ("supplier_invoice", "supplier_credit"):
        return
    bill_relink(invoice)
    if invoice.kind != "supplier_invoice":
        return
    match = bill_match_check(invoice)
    if match is not None and match.state == MatchState.MISMATCH:
        raise BillMismatch(fields={"match": [difference_text(item) for item in match.differences]})


def _received(order_line) -> list[tuple[Decimal, Decimal]]:
    return [(quantity, value) for quantity, value in ReceiptLine.objects.filter(
        order_line=order_line, receipt__state="done").order_by("receipt__date", "pk").values_list("quantity", "value")]


def received_value(receipts: list[tuple[Decimal, Decimal]], upto: Decimal) -> Decimal:
    """The value of the first `upto` units received (receipt order; a receipt split pro rata, rounded)."""
    total, cumulative = ZERO, ZERO
    for quantity, value in receipts:
        if upto >= cumulative + quantity:
            total += value
            cumulative += quantity
            continue
        if upto > cumulative:
            total += (value * (upto - cumulative) / quantity).quantize(CENT)
        break
    return total


def _split_plan(invoice) -> dict:
    """Per linked stock bill line: (order line, GR/IR value of the quantity received it bills, share of the
    line billed beyond what was received, quantity covered by receipts)."""
    plan, cursor = {}, {}
    credit = invoice.kind == "supplier_credit"
    for line, order_line in bill_links(invoice):
        if order_line.product.type != "stock":
            continue
        quantity = in_order_unit(line.quantity, line.uom, order_line)
        receipts = _received(order_line)
        received = sum((item[0] for item in receipts), ZERO)
        position = cursor.get(order_line.pk, order_line.quantity_billed)
        start, end = (max(position - quantity, ZERO), position) if credit else (position, position + quantity)
        cursor[order_line.pk] = start if credit else end
        covered_start, covered_end = min(start, received), min(end, received)
        covered = covered_end - covered_start
        value = received_value(receipts, covered_end) - received_value(receipts, covered_start)
        plan[line.pk] = (order_line, value, (quantity - covered) / quantity if quantity else ZERO, covered)
    return plan


def price_difference_account(company, product):
    from tessera.products.services.categories import category_setting

    from .settings import purchase_settings

    settings = purchase_settings(company)
    if settings.price_difference_account_id:
        return settings.price_difference_account
    return (category_setting(product.category, "price_difference_account")
            or category_setting(product.category, "expense_account"))


def bill_line_split(invoice, line, amount):
    """Accounting's line split (see the module docstring); None for lines that bill no stock order line."""
    from tessera.accounting.services.setup import account_by_role
    from tessera.core.services.currency import currency_round

    if invoice.kind not in ("supplier_invoice", "supplier_credit"):
        return None
    plan = getattr(invoice, "_purchasing_split_plan", None)
    if plan is None:
        plan = invoice._purchasing_split_plan = _split_plan(invoice)
    if line.pk not in plan or not amount:
        return None
    order_line, value, beyond, covered = plan[line.pk]
    company, base = invoice.company, invoice.company.base_currency
    sign = 1 if amount > 0 else -1
    total = abs(amount)
    grir = value + currency_round(total * beyond, base)
    rest = total - grir
    order = order_line.order
    exchange = ZERO
    if invoice.currency_id == order.currency_id and order.currency_id != base.pk:
        price_part = currency_round((_bill_price(invoice, line, order_line) - net_price(
            order_line.unit_price, order_line.discount)) * covered * invoice.exchange_rate, base)
        exchange = rest - price_part
    else:
        price_part = rest
    parts = [(account_by_role(company, "grir"), sign * grir, line.description)]
    if price_part:
        parts.append((price_difference_account(company, order_line.product), sign * price_part,
                      _("Price difference: %(line)s") % {"line": line.description}))
    if exchange:
        role = "exchange_loss" if sign * exchange > 0 else "exchange_gain"
        parts.append((account_by_role(company, role), sign * exchange,
                      _("Exchange difference since receipt: %(line)s") % {"line": line.description}))
    return parts


def _update_orders(invoice, factor: int) -> None:
    from .orders import lock_order, order_refresh_state

    links = bill_links(invoice)
    if not links:
        return
    if invoice.kind == "supplier_credit" and not BillLine.objects.filter(invoice=invoice).exists():
        for line, order_line in links:  # a credit note of a bill keeps its links too
            BillLine.objects.create(company=invoice.company, invoice=invoice, invoice_line=line, order_line=order_line)
    orders = {order_line.order.pk: order_line.order for _line, order_line in links}
    for pk in sorted(orders):
        order = lock_order(orders[pk])
        if factor:
            for line, order_line in links:
                if order_line.order_id != pk:
                    continue
                fresh = PurchaseOrderLine.objects.get(pk=order_line.pk)
                fresh.quantity_billed = max(fresh.quantity_billed + factor * in_order_unit(
                    line.quantity, line.uom, order_line), ZERO)
                fresh.save(update_fields=["quantity_billed"])
        order_refresh_state(order)


def bill_posted(invoice) -> None:
    """Accounting's posted hook: a bill adds its quantities to quantity_billed, a credit note takes them
    back; the orders' states follow (billed, closed when paid)."""
    if invoice.kind == "supplier_invoice":
        _update_orders(invoice, 1)
    elif invoice.kind == "supplier_credit":
        _update_orders(invoice, -1)


def bill_settled(invoice) -> None:
    """Accounting's settled hook: a bill paid (from any screen) may close its orders."""
    if invoice.kind == "supplier_invoice" and BillLine.objects.filter(invoice=invoice).exists():
        _update_orders(invoice, 0)


def bill_cancelled(invoice) -> None:
    """Accounting's cancelled hook: the credit note that cancelled a posted bill has given back its
    quantities already; the orders' states are refreshed."""
    if invoice.kind == "supplier_invoice":
        _update_orders(invoice, 0)


def match_data(invoice) -> dict:
    """The match of a bill as the API and the screens show it: per line ordered, received (net of returns),
    billed before and now, prices; the findings in the user's language; the approval. A draft is checked
    now (its stored match updated); a posted bill shows the findings it was posted with."""
    match = bill_match_check(invoice)
    result = bill_match_compute(invoice) if invoice.state == "draft" else None
    if result is None and match is not None:  # posted: the stored findings, the lines as they are now
        lines = [LineMatch(line, order_line, in_order_unit(line.quantity, line.uom, order_line),
                           _bill_price(invoice, line, order_line), net_price(order_line.unit_price,
                                                                             order_line.discount))
                 for line, order_line in bill_links(invoice)]
    else:
        lines = result.lines if result is not None else []
    rows = []
    for row in lines:
        order_line = row.order_line
        billed_before = order_line.quantity_billed - (row.quantity if invoice.state != "draft" else 0)
        rows.append({"invoice_line": row.invoice_line.pk, "order_line": order_line.pk, "order": order_line.order_id,
                     "order_number": order_line.order.number or "", "product": order_line.product_id,
                     "product_name": order_line.product.name, "uom": order_line.uom_id,
                     "uom_name": order_line.uom.name,
                     "ordered": order_line.quantity, "received": order_line.net_received,
                     "billed_before": billed_before, "billed": row.quantity, "order_price": row.order_price,
                     "billed_price": row.price,
                     "findings": [difference_text(item) for item in row.findings],
                     "kinds": sorted({item["kind"] for item in row.findings})})
    differences = match.differences if match is not None else []
    return {
        "invoice": invoice.pk, "state": match.state if match is not None else None,
        "differences": [{**{key: value for key, value in item.items() if key in ("kind", "order_line")},
                         "message": difference_text(item)} for item in differences],
        "lines": rows, "matched_value": result.matched_value if result is not None else None,
        "untaxed": invoice.total_untaxed,
        "approved_by": match.approved_by_id if match is not None else None,
        "approved_at": match.approved_at if match is not None else None,
        "approval_note": match.approval_note if match is not None else "",
    }


# --- texts ----------------------------------------------------------------------------------------------

def price_text(value) -> str:
    """A unit price with two decimals at least, more only when it has them (60.00, 0.8333)."""
    value = Decimal(str(value))
    places = max(2, -value.normalize().as_tuple().exponent)
    return f"{value:.{places}f}"


def difference_text(item: dict) -> str:
    """A finding of the match in the user's language."""
    kind = item.get("kind")
    if kind == "quantity":
        return _("%(product)s: billed %(billed_before)s + %(billed)s %(uom)s, received %(received)s (allowed "
                 "%(allowed)s with %(tolerance_percent)s%% tolerance).") % item
    if kind == "price":
        prices = {name: price_text(item[name]) for name in ("billed_price", "ordered_price")}
        return _("%(product)s: billed at %(billed_price)s %(currency)s a unit, ordered at %(ordered_price)s "
                 "(tolerance %(tolerance_percent)s%%).") % {**item, **prices}
    if kind == "amount":
        return _("Bill untaxed %(billed)s %(currency)s against %(matched)s matched: %(difference)s "
                 "%(base_currency)s apart, %(allowed)s allowed.") % item
    return str(item)

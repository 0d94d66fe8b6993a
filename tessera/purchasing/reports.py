"""Purchasing reports: open orders, receipts pending, bills to match, supplier performance and the purchase
analysis by supplier, product or month, and the figures of the purchasing dashboard.

Amounts of orders are in the order's currency; every column said to be "in company currency" converts
them at the rate of the order's date (bills: at the bill's own rate). An order whose currency has no rate
that day is left out of the company-currency figures and the report says how many were.

Definitions:
- open orders: confirmed, partially received or received (not yet fully billed) orders; "to receive" and
  "to bill" are the quantities left times the net unit price (price less discount), untaxed;
- receipts pending: lines of confirmed or partially received orders not fully received, with the date
  they are due (the line's expected date, else the order's) and the days they are late on the report day;
- bills to match: order lines with goods received (net of returns) that posted bills do not cover, and
  draft bills whose three-way match is a mismatch nobody approved;
- supplier performance over a date range: orders (committed, dated in the range), receipt lines (receipts
  dated in the range), the on-time rate (receipt lines received on or before their due date, among those
  with a due date), the average delay (days late, averaged over the late lines), the price variance of
  posted bills dated in the range (billed amount less the same quantity at the order's net price, in
  company currency, and as a % of the latter), and the quality return rate (quantity returned on posted
  returns flagged as a quality issue, dated in the range, as a % of the quantity received in the range,
  both in the products' stock units).

Every report takes an optional `actor`: when given it needs REPORT_PERMISSION in the company
(PermissionDenied). Bad parameters raise ValidationFailed naming the field.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.utils.translation import gettext as _

from tessera.accounting.choices import InvoiceKind
from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require

from .choices import OrderState, ReturnState
from .models import BillLine, PurchaseOrder, SupplierReturnLine
from .selectors import (
    OPEN_STATES,
    POSTED_BILL_STATES,
    Rates,
    base_quantity,
    committed_lines,
    expected_on,
    mismatched_bills,
    money,
    net_price,
    pending_lines,
    receipt_lines,
    unbilled_lines,
    waiting_approval,
)

REPORT_PERMISSION = "purchasing.view_purchaseorder"
ANALYSIS_GROUPS = ("supplier", "product", "month")
ZERO = Decimal("0")
PERCENT_STEP = Decimal("0.01")
DAYS_STEP = Decimal("0.1")
MAX_MONTHS = 60


def _check(actor, company) -> None:
    if actor is not None:
        require(actor, REPORT_PERMISSION, company)


def _own(name: str, value, company) -> None:
    if value is not None and getattr(value, "company_id", None) != company.pk:
        raise ValidationFailed(fields={name: [_("Choose one of this company's records.")]})


def _range(date_from, date_to) -> None:
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed(fields={"date_to": [_("The end date cannot be before the start date.")]})


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole` to 0.01 (None when `whole` is zero)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def _days_late(due: datetime.date | None, day: datetime.date) -> int | None:
    return None if due is None else max((day - due).days, 0)


def state_label(state: str) -> str:
    return str(OrderState(state).label) if state in OrderState.values else state


@dataclass
class Report:
    """A report's parameters, rows and totals; `missing_rates` counts orders (or bills) left out of the
    company-currency figures for want of an exchange rate."""

    company: Company
    rows: list[dict]
    totals: dict
    as_of: datetime.date | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    partner: object = None
    warehouse: object = None
    product: object = None
    group: str = ""
    missing_rates: int = 0
    extra: dict = field(default_factory=dict)


# --- Open orders -----------------------------------------------------------------------------------------

def open_orders(company: Company, as_of: datetime.date, *, partner=None, warehouse=None, actor=None) -> Report:
    """Orders with goods or bills still to come: per order its untaxed amount, what is left to receive and
    to bill (order currency and company currency), the earliest due date of what is still to come and the
    days it is late on `as_of`."""
    _check(actor, company)
    _own("partner", partner, company)
    _own("warehouse", warehouse, company)
    orders = (PurchaseOrder.objects.filter(company=company, state__in=OPEN_STATES)
              .select_related("partner", "currency", "warehouse").prefetch_related("lines"))
    if partner is not None:
        orders = orders.filter(partner=partner)
    if warehouse is not None:
        orders = orders.filter(warehouse=warehouse)
    rates = Rates(company)
    rows, missing = [], 0
    totals = {"orders": 0, "untaxed_base": ZERO, "to_receive_base": ZERO, "to_bill_base": ZERO}
    for order in orders.order_by("date", "number", "pk"):
        to_receive = to_bill = ZERO
        due_dates = []
        for line in order.lines.all():
            line.order = order
            to_receive += line.to_receive * net_price(line)
            to_bill += line.to_bill * net_price(line)
            if line.to_receive > 0 and expected_on(line):
                due_dates.append(expected_on(line))
        to_receive, to_bill = money(to_receive, order.currency), money(to_bill, order.currency)
        due = min(due_dates) if due_dates else None
        row = {"order": order.pk, "number": order.number or "", "partner": order.partner_id,
               "partner_name": order.partner.name, "date": order.date, "expected_on": due,
               "warehouse": order.warehouse.code, "state": order.state, "state_label": state_label(order.state),
               "currency": order.currency.code, "untaxed": order.total_untaxed, "to_receive": to_receive,
               "to_bill": to_bill, "days_late": _days_late(due, as_of),
               "untaxed_base": None, "to_receive_base": None, "to_bill_base": None}
        rate = rates.rate(order.currency, order.date)
        if rate is None:
            missing += 1
        else:
            for key in ("untaxed", "to_receive", "to_bill"):
                row[f"{key}_base"] = rates.base_amount(row[key], order.currency, order.date)
                totals[f"{key}_base"] += row[f"{key}_base"]
        totals["orders"] += 1
        rows.append(row)
    return Report(company=company, rows=rows, totals=totals, as_of=as_of, partner=partner, warehouse=warehouse,
                  missing_rates=missing)


# --- Receipts pending --------------------------------------------------------------------------------------

def receipts_pending(company: Company, as_of: datetime.date, *, partner=None, warehouse=None, late_only=False,
                     actor=None) -> Report:
    """Lines of confirmed orders not fully received: ordered, received, outstanding (line unit), the
    outstanding value in company currency, the due date and the days late on `as_of`; the most overdue
    first, lines without a due date last."""
    _check(actor, company)
    _own("partner", partner, company)
    _own("warehouse", warehouse, company)
    lines = pending_lines(company)
    if partner is not None:
        lines = lines.filter(order__partner=partner)
    if warehouse is not None:
        lines = lines.filter(order__warehouse=warehouse)
    rates = Rates(company)
    rows, missing = [], set()
    totals = {"lines": 0, "late": 0, "value_base": ZERO}
    for line in lines:
        order = line.order
        due = expected_on(line)
        late = _days_late(due, as_of)
        if late_only and not late:
            continue
        value = money(line.to_receive * net_price(line), order.currency)
        value_base = rates.base_amount(value, order.currency, order.date)
        if value_base is None:
            missing.add(order.pk)
        else:
            totals["value_base"] += value_base
        totals["lines"] += 1
        totals["late"] += 1 if late else 0
        rows.append({"order": order.pk, "number": order.number or "", "line": line.pk, "partner": order.partner_id,
                     "partner_name": order.partner.name, "warehouse": order.warehouse.code,
                     "product": line.product_id, "sku": line.product.sku, "product_name": line.product.display_name,
                     "quantity": line.quantity, "received": line.quantity_received, "outstanding": line.to_receive,
                     "uom": line.uom.short_name, "currency": order.currency.code, "value": value,
                     "value_base": value_base, "expected_on": due, "days_late": late})
    rows.sort(key=lambda row: (row["expected_on"] is None, row["expected_on"] or as_of, row["number"], row["line"]))
    return Report(company=company, rows=rows, totals=totals, as_of=as_of, partner=partner, warehouse=warehouse,
                  missing_rates=len(missing))


# --- Bills to match ----------------------------------------------------------------------------------------

def _difference_text(item) -> str:
    """A finding of the three-way match (purchasing.services.matching) as a sentence."""
    if not isinstance(item, dict):
        return str(item)
    kind = item.get("kind")
    try:
        if kind == "price":
            return _("%(product)s: billed at %(billed_price)s, ordered at %(ordered_price)s %(currency)s") % item
        if kind == "quantity":
            return _("%(product)s: billed %(billed)s, received %(received)s (billed before: %(billed_before)s)") \
                % item
        if kind == "amount":
            return _("Bill %(billed)s, matched value %(matched)s %(currency)s") % item
    except KeyError:
        pass
    for key in ("message", "text", "reason"):
        if item.get(key):
            return str(item[key])
    return ", ".join(f"{key}: {value}" for key, value in item.items())


def bills_to_match(company: Company, *, partner=None, actor=None) -> Report:
    """Two lists: `rows` the order lines received (net of returns) and not billed — quantity and amount
    to bill at the order's net price, last receipt date — and `extra["mismatches"]` the draft bills whose
    match found differences nobody approved (with the differences as text)."""
    _check(actor, company)
    _own("partner", partner, company)
    lines = unbilled_lines(company)
    bills = mismatched_bills(company)
    if partner is not None:
        lines = lines.filter(order__partner=partner)
        bills = bills.filter(invoice__partner=partner)
    last_receipts = dict(receipt_lines(company).filter(order_line__in=lines).values("order_line_id")
                         .annotate(last=Max("receipt__date")).values_list("order_line_id", "last").order_by())
    rates = Rates(company)
    rows, missing = [], set()
    totals = {"lines": 0, "amount_base": ZERO, "bills": 0, "bills_total_base": ZERO}
    for line in lines.order_by("order__date", "order__number", "sequence", "pk"):
        order = line.order
        amount = money(line.to_bill * net_price(line), order.currency)
        amount_base = rates.base_amount(amount, order.currency, order.date)
        if amount_base is None:
            missing.add(order.pk)
        else:
            totals["amount_base"] += amount_base
        totals["lines"] += 1
        rows.append({"order": order.pk, "number": order.number or "", "line": line.pk, "partner": order.partner_id,
                     "partner_name": order.partner.name, "product": line.product_id, "sku": line.product.sku,
                     "product_name": line.product.display_name, "received": line.net_received,
                     "billed": line.quantity_billed, "to_bill": line.to_bill, "uom": line.uom.short_name,
                     "currency": order.currency.code, "amount": amount, "amount_base": amount_base,
                     "last_receipt_on": last_receipts.get(line.pk)})
    mismatches = []
    for match in bills:
        invoice = match.invoice
        total_base = money(invoice.total * invoice.exchange_rate, company.base_currency)
        totals["bills"] += 1
        totals["bills_total_base"] += total_base
        differences = match.differences if isinstance(match.differences, list) else [match.differences]
        mismatches.append({"invoice": invoice.pk, "number": invoice.number or "", "reference": invoice.reference,
                           "partner": invoice.partner_id, "partner_name": invoice.partner.name, "date": invoice.date,
                           "currency": invoice.currency.code, "total": invoice.total, "total_base": total_base,
                           "differences": len(differences),
                           "differences_text": "; ".join(_difference_text(item) for item in differences)})
    return Report(company=company, rows=rows, totals=totals, partner=partner, missing_rates=len(missing),
                  extra={"mismatches": mismatches})


# --- Supplier performance ------------------------------------------------------------------------------------

def _supplier_row(partner_id: int, name: str) -> dict:
    return {"partner": partner_id, "partner_name": name, "orders": set(), "ordered_base": ZERO, "lines_received": 0,
            "dated": 0, "on_time": 0, "late": 0, "delay_days": 0, "received_quantity": ZERO, "billed_base": ZERO,
            "billed_at_order_base": ZERO, "returned_quantity": ZERO}


def _finish(row: dict) -> dict:
    """The rates and averages of a supplier row (or the totals) from its sums."""
    row["orders"] = len(row["orders"]) if isinstance(row["orders"], set) else row["orders"]
    row["on_time_rate"] = percent(row["on_time"], row["dated"])
    row["average_delay"] = (Decimal(row["delay_days"]) / row["late"]).quantize(DAYS_STEP, rounding=ROUND_HALF_UP) \
        if row["late"] else (Decimal("0.0") if row["dated"] else None)
    row["price_variance"] = row["billed_base"] - row["billed_at_order_base"]
    row["price_variance_percent"] = percent(row["price_variance"], row["billed_at_order_base"])
    row["quality_return_rate"] = percent(row["returned_quantity"], row["received_quantity"])
    return row


def _billed_at_order_price(bill_line: BillLine) -> tuple[Decimal, Decimal]:
    """(billed amount, the same quantity at the order's net price), in the bill's currency: the invoice
    line's quantity is converted to the order line's unit when its unit differs."""
    invoice_line, order_line = bill_line.invoice_line, bill_line.order_line
    quantity = invoice_line.quantity
    if invoice_line.uom_id and invoice_line.uom_id != order_line.uom_id:
        quantity = quantity * invoice_line.uom.ratio / order_line.uom.ratio
    return invoice_line.subtotal, quantity * net_price(order_line)


def supplier_performance(company: Company, date_from: datetime.date, date_to: datetime.date, *, partner=None,
                         actor=None) -> Report:
    """One row per supplier with orders, receipts, bills or quality returns between the dates (see the
    module's definitions), and the same figures over all of them as totals."""
    _check(actor, company)
    _own("partner", partner, company)
    _range(date_from, date_to)
    base = company.base_currency
    rates = Rates(company)
    suppliers: dict[int, dict] = {}
    missing = set()

    def row_of(partner_obj) -> dict:
        if partner_obj.pk not in suppliers:
            suppliers[partner_obj.pk] = _supplier_row(partner_obj.pk, partner_obj.name)
        return suppliers[partner_obj.pk]

    lines = committed_lines(company, date_from=date_from, date_to=date_to)
    received = receipt_lines(company, date_from=date_from, date_to=date_to).select_related("order_line__order__partner")
    bill_lines = (BillLine.objects.filter(company=company, invoice__kind=InvoiceKind.SUPPLIER_INVOICE,
                                          invoice_line__isnull=False,
                                          invoice__state__in=POSTED_BILL_STATES, invoice__date__gte=date_from,
                                          invoice__date__lte=date_to)
                  .select_related("invoice__partner", "invoice__currency", "invoice_line__uom", "order_line__uom",
                                  "order_line__order__currency"))
    returns = (SupplierReturnLine.objects.filter(company=company, supplier_return__state=ReturnState.DONE,
                                                 supplier_return__is_quality_issue=True,
                                                 supplier_return__date__gte=date_from,
                                                 supplier_return__date__lte=date_to)
               .select_related("supplier_return__partner", "product__uom", "uom"))
    if partner is not None:
        lines = lines.filter(order__partner=partner)
        received = received.filter(order_line__order__partner=partner)
        bill_lines = bill_lines.filter(invoice__partner=partner)
        returns = returns.filter(supplier_return__partner=partner)
    for line in lines:
        order = line.order
        row = row_of(order.partner)
        row["orders"].add(order.pk)
        amount = rates.base_amount(line.subtotal, order.currency, order.date)
        if amount is None:
            missing.add(order.pk)
        else:
            row["ordered_base"] += amount
    for receipt_line in received:
        order_line = receipt_line.order_line
        row = row_of(order_line.order.partner)
        row["lines_received"] += 1
        row["received_quantity"] += base_quantity(receipt_line.quantity, order_line.uom, order_line.product)
        due = expected_on(order_line)
        if due is None:
            continue
        row["dated"] += 1
        late = (receipt_line.receipt.date - due).days
        if late > 0:
            row["late"] += 1
            row["delay_days"] += late
        else:
            row["on_time"] += 1
    for bill_line in bill_lines:
        invoice = bill_line.invoice
        row = row_of(invoice.partner)
        billed, at_order = _billed_at_order_price(bill_line)
        order_currency = bill_line.order_line.order.currency
        if order_currency.pk != invoice.currency_id:
            converted = rates.base_amount(at_order, order_currency, invoice.date)
            if converted is None:
                missing.add(bill_line.order_line.order_id)
                continue
            at_order_base = converted
        else:
            at_order_base = money(at_order * invoice.exchange_rate, base)
        row["billed_base"] += money(billed * invoice.exchange_rate, base)
        row["billed_at_order_base"] += at_order_base
    for return_line in returns:
        row = row_of(return_line.supplier_return.partner)
        row["returned_quantity"] += base_quantity(return_line.quantity, return_line.uom, return_line.product)
    rows = [_finish(row) for row in sorted(suppliers.values(), key=lambda item: item["partner_name"])]
    totals = _supplier_row(None, _("Total"))
    for row in rows:
        for key in ("orders", "ordered_base", "lines_received", "dated", "on_time", "late", "delay_days",
                    "received_quantity", "billed_base", "billed_at_order_base", "returned_quantity"):
            totals[key] = (totals[key] if not isinstance(totals[key], set) else 0) + row[key]
    return Report(company=company, rows=rows, totals=_finish(totals), date_from=date_from, date_to=date_to,
                  partner=partner, missing_rates=len(missing))


# --- Purchase analysis ---------------------------------------------------------------------------------------

def _months(date_from: datetime.date, date_to: datetime.date) -> list[str]:
    months, year, month = [], date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def purchase_analysis(company: Company, date_from: datetime.date, date_to: datetime.date, *, group: str = "supplier",
                      partner=None, product=None, warehouse=None, actor=None) -> Report:
    """Committed purchases (order lines of orders confirmed and on) dated between the dates, summed per
    supplier, product or month: the untaxed amount in company currency, the quantity in the products'
    stock units, how many orders and lines. Months without purchases show as zero rows; suppliers and
    products come by amount, largest first. `extra["chart"]` is the amounts as chart labels and values."""
    _check(actor, company)
    if group not in ANALYSIS_GROUPS:
        raise ValidationFailed(fields={"group": [_("Choose supplier, product or month.")]})
    _own("partner", partner, company)
    _own("product", product, company)
    _own("warehouse", warehouse, company)
    _range(date_from, date_to)
    if group == "month" and len(_months(date_from, date_to)) > MAX_MONTHS:
        raise ValidationFailed(fields={"date_from": [_("Choose at most %(months)s months.") % {"months": MAX_MONTHS}]})
    lines = committed_lines(company, date_from=date_from, date_to=date_to)
    if partner is not None:
        lines = lines.filter(order__partner=partner)
    if product is not None:
        lines = lines.filter(product=product)
    if warehouse is not None:
        lines = lines.filter(order__warehouse=warehouse)
    rates = Rates(company)
    groups: dict = {}
    if group == "month":
        for month in _months(date_from, date_to):
            groups[month] = {"key": month, "label": month, "orders": set(), "lines": 0, "quantity": ZERO,
                             "amount": ZERO, "uom": ""}
    missing, all_orders = set(), set()
    for line in lines:
        order = line.order
        amount = rates.base_amount(line.subtotal, order.currency, order.date)
        if amount is None:
            missing.add(order.pk)
            continue
        if group == "supplier":
            key, label, uom = order.partner_id, order.partner.name, ""
        elif group == "product":
            key, label, uom = line.product_id, f"[{line.product.sku}] {line.product.display_name}", \
                line.product.uom.short_name
        else:
            key, label, uom = f"{order.date:%Y-%m}", f"{order.date:%Y-%m}", ""
        entry = groups.setdefault(key, {"key": key, "label": label, "orders": set(), "lines": 0, "quantity": ZERO,
                                        "amount": ZERO, "uom": uom})
        entry["orders"].add(order.pk)
        all_orders.add(order.pk)
        entry["lines"] += 1
        entry["quantity"] += base_quantity(line.quantity, line.uom, line.product)
        entry["amount"] += amount
    rows = [{**entry, "orders": len(entry["orders"])} for entry in groups.values()]
    if group == "month":
        rows.sort(key=lambda row: row["key"])
    else:
        rows.sort(key=lambda row: (-row["amount"], row["label"]))
    totals = {"orders": len(all_orders), "lines": sum(row["lines"] for row in rows),
              "quantity": sum((row["quantity"] for row in rows), ZERO),
              "amount": sum((row["amount"] for row in rows), ZERO)}
    charted = rows if group == "month" else rows[:12]
    chart = {"labels": [row["label"] for row in charted], "values": [str(row["amount"]) for row in charted],
             "label": _("Amount untaxed (%(currency)s)") % {"currency": company.base_currency.code},
             "vertical": group == "month"}
    return Report(company=company, rows=rows, totals=totals, date_from=date_from, date_to=date_to, group=group,
                  partner=partner, product=product, warehouse=warehouse, missing_rates=len(missing),
                  extra={"chart": chart})


# --- Dashboard -----------------------------------------------------------------------------------------------

def _month_start(day: datetime.date, back: int) -> datetime.date:
    month = day.year * 12 + day.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


def dashboard(company: Company, today: datetime.date, *, actor=None) -> dict:
    """The purchasing dashboard's figures on `today`: open orders (count, left to receive in company
    currency), orders waiting for approval, late receipt lines, lines to bill and mismatched bills,
    purchases this month, and the monthly purchases of the last twelve months as a chart."""
    _check(actor, company)
    opened = open_orders(company, today)
    pending = receipts_pending(company, today, late_only=True)
    to_match = bills_to_match(company)
    monthly = purchase_analysis(company, _month_start(today, 11), today, group="month")
    return {
        "open_orders": opened.totals["orders"], "to_receive_base": opened.totals["to_receive_base"],
        "waiting_approval": waiting_approval(company).count(),
        "late_lines": pending.totals["lines"], "late_value_base": pending.totals["value_base"],
        "lines_to_bill": to_match.totals["lines"], "to_bill_base": to_match.totals["amount_base"],
        "mismatched_bills": to_match.totals["bills"],
        "this_month_base": monthly.rows[-1]["amount"] if monthly.rows else ZERO,
        "chart": monthly.extra["chart"], "monthly": monthly.rows, "currency": company.base_currency.code,
        "oldest_late": pending.rows[:5],
    }


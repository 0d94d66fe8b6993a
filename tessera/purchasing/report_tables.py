"""The purchasing reports as tables (core.exports.TabularReport): what the CSV, XLSX and PDF files and the
report screens show. The figures come from purchasing.reports; this only lays them out."""

from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.core.exports import DATE, MONEY, NUMBER, ReportColumn, TabularReport

from .reports import Report


def _common(report: Report) -> dict:
    company = report.company
    parameters = [(_("Company"), company.code), (_("Currency"), company.base_currency.code)]
    for label, value in ((_("Supplier"), report.partner), (_("Warehouse"), report.warehouse),
                         (_("Product"), report.product)):
        if value is not None:
            parameters.append((label, str(getattr(value, "name", None) or value)))
    return {"company": company.name, "parameters": parameters}


def _notes(report: Report) -> list[str]:
    if not report.missing_rates:
        return []
    return [_("%(count)s document(s) left out of the company-currency figures: no exchange rate on their date.")
            % {"count": report.missing_rates}]


def _as_of(report: Report) -> str:
    return _("As of %(date)s") % {"date": report.as_of.isoformat()}


def _period(report: Report) -> str:
    return f"{report.date_from.isoformat()} – {report.date_to.isoformat()}"


def plain_quantity(value):
    """A quantity without trailing zeros (and without an exponent: 140, not 1.4E+2)."""
    if value is None:
        return None
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def _filename(report: Report, name: str) -> str:
    day = report.as_of or report.date_to
    return f"{name}-{report.company.code}" + (f"-{day:%Y%m%d}" if day else "")


def open_orders_columns(base: str) -> list[ReportColumn]:
    return [ReportColumn("number", _("Order")), ReportColumn("partner_name", _("Supplier")),
            ReportColumn("date", _("Order date"), DATE), ReportColumn("expected_on", _("Due"), DATE),
            ReportColumn("days_late", _("Days late"), NUMBER), ReportColumn("state_label", _("State")),
            ReportColumn("currency", _("Currency")), ReportColumn("untaxed", _("Untaxed"), MONEY, blank_zero=False),
            ReportColumn("to_receive", _("To receive"), MONEY), ReportColumn("to_bill", _("To bill"), MONEY),
            ReportColumn("untaxed_base", _("Untaxed (%(currency)s)") % {"currency": base}, MONEY),
            ReportColumn("to_receive_base", _("To receive (%(currency)s)") % {"currency": base}, MONEY)]


def open_orders_table(report: Report) -> TabularReport:
    base = report.company.base_currency.code
    totals = {"number": _("Total"), "untaxed_base": report.totals["untaxed_base"],
              "to_receive_base": report.totals["to_receive_base"]}
    return TabularReport(title=_("Open purchase orders"), subtitle=_as_of(report), columns=open_orders_columns(base),
                         rows=report.rows, totals=totals, notes=_notes(report), landscape=True,
                         filename=_filename(report, "open-purchase-orders"), **_common(report))


def receipts_pending_columns(base: str) -> list[ReportColumn]:
    return [ReportColumn("number", _("Order")), ReportColumn("partner_name", _("Supplier")),
            ReportColumn("sku", _("SKU")), ReportColumn("product_name", _("Product")),
            ReportColumn("quantity", _("Ordered"), NUMBER), ReportColumn("received", _("Received"), NUMBER),
            ReportColumn("outstanding", _("Outstanding"), NUMBER), ReportColumn("uom", _("Unit")),
            ReportColumn("warehouse", _("Warehouse")), ReportColumn("expected_on", _("Expected"), DATE),
            ReportColumn("days_late", _("Days late"), NUMBER),
            ReportColumn("value_base", _("Value (%(currency)s)") % {"currency": base}, MONEY)]


def receipts_pending_table(report: Report) -> TabularReport:
    rows = [{**row, **{key: plain_quantity(row[key]) for key in ("quantity", "received", "outstanding")}}
            for row in report.rows]
    return TabularReport(
        title=_("Receipts pending"), subtitle=_as_of(report), columns=receipts_pending_columns(
            report.company.base_currency.code), rows=rows,
        totals={"number": _("Total"), "value_base": report.totals["value_base"]}, landscape=True,
        notes=[_("%(late)s of %(lines)s lines are late.") % report.totals] + _notes(report),
        filename=_filename(report, "receipts-pending"), **_common(report))


def bills_to_match_columns(base: str) -> list[ReportColumn]:
    return [ReportColumn("document", _("Document")), ReportColumn("partner_name", _("Supplier")),
            ReportColumn("date", _("Date"), DATE), ReportColumn("product_name", _("Product")),
            ReportColumn("to_bill", _("To bill"), NUMBER), ReportColumn("uom", _("Unit")),
            ReportColumn("amount_base", _("Amount (%(currency)s)") % {"currency": base}, MONEY),
            ReportColumn("issue", _("Issue"))]


def bills_to_match_table(report: Report) -> TabularReport:
    """Two sections: order lines received and not billed, then draft bills with a mismatch."""
    rows: list[dict] = [{"document": _("Received, not billed"), "_heading": True}]
    for row in report.rows:
        rows.append({**row, "document": row["number"], "date": row["last_receipt_on"],
                     "product_name": f"[{row['sku']}] {row['product_name']}", "to_bill": plain_quantity(row["to_bill"]),
                     "issue": _("Received %(received)s, billed %(billed)s")
                     % {"received": plain_quantity(row["received"]), "billed": plain_quantity(row["billed"])}})
    if not report.rows:
        rows.append({"document": _("None.")})
    rows.append({"document": _("Bills with a mismatch"), "_heading": True})
    if not report.extra["mismatches"]:
        rows.append({"document": _("None.")})
    for bill in report.extra["mismatches"]:
        rows.append({**bill, "document": bill["number"] or bill["reference"] or _("Draft bill #%(pk)s")
                     % {"pk": bill["invoice"]}, "amount_base": bill["total_base"], "issue": bill["differences_text"]})
    return TabularReport(
        title=_("Unbilled receipts and mismatches"),
        columns=bills_to_match_columns(report.company.base_currency.code), rows=rows,
        totals={"document": _("Total"), "amount_base": report.totals["amount_base"]}, landscape=True,
        notes=[_("Received, not billed: %(lines)s lines; bills with a mismatch: %(bills)s.") % report.totals]
        + _notes(report), filename=_filename(report, "bills-to-match"), **_common(report))


def supplier_performance_columns(base: str) -> list[ReportColumn]:
    return [ReportColumn("partner_name", _("Supplier")), ReportColumn("orders", _("Orders"), NUMBER),
            ReportColumn("ordered_base", _("Ordered (%(currency)s)") % {"currency": base}, MONEY),
            ReportColumn("lines_received", _("Lines received"), NUMBER),
            ReportColumn("on_time_rate", _("On time %"), NUMBER),
            ReportColumn("average_delay", _("Average delay (days)"), NUMBER),
            ReportColumn("price_variance", _("Price variance (%(currency)s)") % {"currency": base}, MONEY),
            ReportColumn("price_variance_percent", _("Price variance %"), NUMBER),
            ReportColumn("quality_return_rate", _("Quality returns %"), NUMBER)]


def supplier_performance_table(report: Report) -> TabularReport:
    return TabularReport(
        title=_("Supplier performance"), subtitle=_period(report),
        columns=supplier_performance_columns(report.company.base_currency.code), rows=report.rows,
        totals={**report.totals, "partner_name": _("Total")}, landscape=True,
        notes=[_("On time: received on or before the line's expected date (else the order's). Average delay: "
                 "days late of the late lines. Price variance: posted bills less the same quantities at the "
                 "order price. Quality returns: returned as a quality issue / received.")] + _notes(report),
        filename=_filename(report, "supplier-performance"), **_common(report))


def analysis_columns(report: Report) -> list[ReportColumn]:
    base = report.company.base_currency.code
    labels = {"supplier": _("Supplier"), "product": _("Product"), "month": _("Month")}
    columns = [ReportColumn("label", labels[report.group]), ReportColumn("orders", _("Orders"), NUMBER),
               ReportColumn("lines", _("Lines"), NUMBER), ReportColumn("quantity", _("Quantity"), NUMBER)]
    if report.group == "product":
        columns.append(ReportColumn("uom", _("Unit")))
    return columns + [ReportColumn("amount", _("Amount untaxed (%(currency)s)") % {"currency": base}, MONEY,
                                   blank_zero=False)]


def analysis_table(report: Report) -> TabularReport:
    rows = [{**row, "quantity": plain_quantity(row["quantity"])} for row in report.rows]
    totals = {"label": _("Total"), "orders": report.totals["orders"], "lines": report.totals["lines"],
              "amount": report.totals["amount"]}
    common = _common(report)
    common["parameters"].append((_("One row per"), {"supplier": _("Supplier"), "product": _("Product"),
                                                     "month": _("Month")}[report.group]))
    return TabularReport(title=_("Purchase analysis"), subtitle=_period(report), columns=analysis_columns(report),
                         rows=rows, totals=totals, notes=_notes(report),
                         filename=_filename(report, f"purchase-analysis-{report.group}"), **common)

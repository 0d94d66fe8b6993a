"""The cash-flow statement, its drill-down and the cash position as tables
(core.exports.TabularReport): what the CSV, XLSX and PDF files and the report screens show. The
figures come from accounting.reports_cashflow; this only lays them out."""

from django.utils.translation import gettext as _

from tessera.core.exports import DATE, MONEY, TEXT, ReportColumn, TabularReport

from . import cash_flow_layouts as layouts
from .report_tables import _common, _period
from .reports_cashflow import CashFlowEntries, CashFlowStatement, CashPosition


def _layout_name(layout: str, family: str) -> str:
    if layout == "ifrs":
        return _("International (IAS 7, direct method)")
    if family == "cn_small":
        return _("Chinese statutory (small enterprises)")
    return _("Chinese statutory")


def cash_flow_columns(report: CashFlowStatement) -> list[ReportColumn]:
    columns = [ReportColumn("label", _("Item"), TEXT, width="56%")]
    if report.layout == "cn":
        columns.append(ReportColumn("number", _("Line"), TEXT, width="6%"))
    return columns + [ReportColumn("period", _("This period"), MONEY, blank_zero=False),
                      ReportColumn("previous", _("Same period last year"), MONEY, blank_zero=False)]


def cash_flow_table(report: CashFlowStatement) -> TabularReport:
    """现金流量表: headings, items (行次 in the Chinese layouts), subtotals and totals in bold."""
    rows = []
    for line in report.lines:
        row = {"key": line["key"], "label": line["label"], "number": line["number"] or "",
               "_level": line["level"], "_strong": line["kind"] == layouts.TOTAL,
               "_heading": line["kind"] == layouts.HEADING}
        row.update({column: amount for column, amount in line["amounts"].items() if amount is not None})
        rows.append(row)
    company = report.company
    common = _common(company)
    common["parameters"] += [(_("Layout"), _layout_name(report.layout, report.family)),
                             (_("Same period last year"), _period(report.previous_from, report.previous_to))]
    return TabularReport(
        title=_("Cash-flow statement"), subtitle=_period(report.date_from, report.date_to),
        columns=cash_flow_columns(report), rows=rows,
        filename=f"cash-flow-{company.code}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}-{report.layout}",
        **common,
    )


def cash_flow_entries_columns() -> list[ReportColumn]:
    return [ReportColumn("date", _("Date"), DATE), ReportColumn("number", _("Entry")),
            ReportColumn("journal", _("Journal")), ReportColumn("description", _("Description")),
            ReportColumn("amount", _("Amount"), MONEY, blank_zero=False)]


def cash_flow_entries_table(report: CashFlowEntries) -> TabularReport:
    """The entries behind a line of the statement, each with its part, and their total (the line's amount)."""
    company = report.company
    common = _common(company)
    common["parameters"].append((_("Line"), report.label))
    return TabularReport(
        title=_("Cash-flow entries"), subtitle=f"{report.label} · {_period(report.date_from, report.date_to)}",
        columns=cash_flow_entries_columns(), rows=list(report.rows),
        totals={"description": _("Total"), "amount": report.total},
        filename=f"cash-flow-entries-{company.code}-{report.line}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}",
        **common,
    )


def cash_position_columns() -> list[ReportColumn]:
    return [ReportColumn("label", _("Account or due date"), TEXT, width="40%"),
            ReportColumn("currency", _("Currency"), TEXT),
            ReportColumn("balance_currency", _("Amount in currency"), MONEY),
            ReportColumn("receipts", _("Receipts"), MONEY), ReportColumn("payments", _("Payments"), MONEY),
            ReportColumn("balance", _("Balance"), MONEY, blank_zero=False)]


def cash_position_table(report: CashPosition) -> TabularReport:
    """Each cash and bank account, their total; then open invoices by due date (overdue first) with
    the projected balance after each span."""
    base = report.company.base_currency.code
    rows = [{"label": _("Cash and bank accounts"), "_heading": True}]
    rows += [{**account, "label": f"{account['code']} {account['name']}", "_level": 1} for account in report.accounts]
    rows.append({"label": _("Total cash and cash equivalents"), "currency": base, "balance": report.total,
                 "_strong": True})
    rows.append({"label": _("Open invoices by due date"), "_heading": True})
    rows += [{"key": bucket["key"], "label": bucket["label"], "currency": base, "receipts": bucket["receipts"],
              "payments": bucket["payments"], "balance": bucket["balance"], "_level": 1}
             for bucket in report.buckets]
    rows.append({"label": _("Projected balance on %(date)s") % {"date": report.horizon.isoformat()},
                 "currency": base, "receipts": report.overdue_receipts + report.receipts,
                 "payments": report.overdue_payments + report.payments, "balance": report.projected_balance,
                 "_strong": True})
    common = _common(report.company)
    return TabularReport(
        title=_("Cash position"), subtitle=_("As of %(date)s") % {"date": report.as_of.isoformat()},
        columns=cash_position_columns(), rows=rows,
        filename=f"cash-position-{report.company.code}-{report.as_of:%Y%m%d}",
        notes=[_("Expected receipts and payments are the open amounts of posted invoices as they stand "
                 "today, at each invoice's exchange rate; credit notes count against them.")],
        **common,
    )

"""Tabular reports as files: CSV, XLSX and PDF from one description, for every module.

A module describes its report once (title, parameters, columns, rows, totals) and gets the three
formats and an HTTP download from here:

    report = TabularReport(
        title=_("Trial balance"), company=company.name, subtitle="2026-01-01 – 2026-01-31",
        columns=[ReportColumn("code", _("Code")), ReportColumn("debit", _("Debit"), kind=MONEY)],
        rows=[{"code": "1001", "debit": Decimal("10.00")}, {"code": "1002", "debit": Decimal("5.00"), "_level": 1}],
        totals={"code": _("Total"), "debit": Decimal("15.00")},
        filename="trial-balance-2026-01",
    )
    return export_response(report, "pdf")   # or "csv", "xlsx"; render(report, fmt) gives bytes

Rows are dicts keyed by column key; optional row keys: `_strong` (bold: subtotals, section
totals), `_level` (indent), `_heading` (a section heading: only the first column is shown).
Money is Decimal; CSV writes plain decimal strings ("1234.50"), XLSX real numbers with a number
format, PDF and screens "1,234.50". PDFs are rendered by WeasyPrint from the HTML template
core/pdf/table.html (A4, company, title, period, page numbers, a CJK font).
"""

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError, ValidationFailed

TEXT, MONEY, NUMBER, DATE = "text", "money", "number", "date"
FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
# WeasyPrint logs every layout step at INFO: useful when debugging a template, noise in the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

XLSX_FORMATS = {MONEY: "#,##0.00;-#,##0.00;\"\"", NUMBER: "#,##0.####", DATE: "yyyy-mm-dd"}


class PdfUnavailable(DomainError):
    """WeasyPrint (or the system libraries it needs: Pango) is missing: PDFs cannot be made here."""

    code = "pdf_unavailable"
    status = 503
    default_message = gettext_lazy("PDF export is not available on this server (WeasyPrint cannot be loaded).")


@dataclass(frozen=True)
class ReportColumn:
    """A column: `kind` is text, money, number or date (numbers are right-aligned)."""

    key: str
    label: str
    kind: str = TEXT
    blank_zero: bool = True  # money: a zero shows as an empty cell on screen, in PDF and XLSX
    width: str = ""  # a CSS width for PDF and screen tables ("8%"); empty: the browser decides

    @property
    def is_numeric(self) -> bool:
        return self.kind in (MONEY, NUMBER)


@dataclass
class TabularReport:
    """Everything a file needs: who, what, for when, the columns, rows and totals."""

    title: str
    columns: list[ReportColumn]
    rows: list[dict]
    totals: dict | None = None
    company: str = ""
    subtitle: str = ""  # the period or as-of date
    parameters: list[tuple[str, str]] = field(default_factory=list)  # (label, value) shown under the title
    filename: str = "report"
    landscape: bool = False
    notes: list[str] = field(default_factory=list)  # lines printed under the table


def format_amount(value, kind: str = MONEY, blank_zero: bool = True) -> str:
    """A cell as text for screens and PDFs: money with thousands separators and two decimals."""
    if value is None or value == "":
        return ""
    if kind == MONEY and isinstance(value, Decimal | int):
        if blank_zero and value == 0:
            return ""
        return f"{Decimal(value):,.2f}"
    if kind == NUMBER and isinstance(value, Decimal | int):
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def cell_text(row: dict, column: ReportColumn) -> str:
    return format_amount(row.get(column.key), column.kind, column.blank_zero)


def _plain(value) -> str:
    """A CSV cell: decimals as plain strings (no separators), dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def render_csv(report: TabularReport) -> bytes:
    """Header row, data rows, then the totals row: UTF-8 with a BOM so Excel reads Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in report.columns])
    for row in report.rows + ([report.totals] if report.totals else []):
        writer.writerow([_plain(row.get(column.key)) for column in report.columns])
    return buffer.getvalue().encode("utf-8-sig")


def render_xlsx(report: TabularReport) -> bytes:
    """One sheet: title, parameters, a bold header, rows with number formats, bold totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "".join(c for c in str(report.title) if c not in "[]:*?/\\")[:31] or "Report"
    bold = Font(bold=True)
    sheet.append([str(report.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for text in [report.company, report.subtitle] + [f"{label}: {value}" for label, value in report.parameters]:
        if text:
            sheet.append([str(text)])
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([str(column.label) for column in report.columns])
    for cell in sheet[header_row]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="E9ECEF")
    widths = [len(str(column.label)) * 2 + 2 for column in report.columns]
    for row in report.rows + ([report.totals] if report.totals else []):
        strong = row is report.totals or row.get("_strong")
        values = []
        for index, column in enumerate(report.columns):
            value = row.get(column.key)
            if column.kind == MONEY and isinstance(value, Decimal | int):
                values.append(value)
            elif isinstance(value, Decimal | int | datetime.date):
                values.append(value)
            else:
                values.append("" if value is None else str(value))
            widths[index] = max(widths[index], len(format_amount(value, column.kind, False)) + 2)
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row]):
            column = report.columns[index]
            if column.kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[column.kind] if column.blank_zero else "#,##0.00"
            if index == 0 and row.get("_level"):
                cell.alignment = Alignment(indent=int(row["_level"]))
            if strong or row.get("_heading"):
                cell.font = bold
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_html(report: TabularReport) -> str:
    """The printable HTML page the PDF is made from (also handy to preview in a browser)."""
    return render_to_string("core/pdf/table.html", {
        "report": report,
        "header": [(column, "num" if column.is_numeric else "") for column in report.columns],
        "rows": [_html_row(row, report.columns) for row in report.rows],
        "totals": _html_row(report.totals, report.columns) if report.totals else None,
        "printed_at": timezone.localtime(),
    })


def _html_row(row: dict, columns: list[ReportColumn]) -> dict:
    return {
        "heading_text": next((cell_text(row, column) for column in columns if cell_text(row, column)), ""),
        "cells": [(cell_text(row, column), "num" if column.is_numeric else "") for column in columns],
        "strong": bool(row.get("_strong")), "heading": bool(row.get("_heading")),
        "level": int(row.get("_level") or 0),
    }


def render_pdf(report: TabularReport) -> bytes:
    """The report as an A4 PDF. Raises PdfUnavailable when WeasyPrint cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: the Pango/cairo system libraries are missing
        raise PdfUnavailable(
            _("PDF export is not available on this server: %(error)s") % {"error": error}) from error
    return HTML(string=render_html(report)).write_pdf()


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf}


def render(report: TabularReport, file_format: str) -> bytes:
    """The report in `file_format` (csv, xlsx or pdf). Raises ValidationFailed for another format."""
    if file_format not in RENDERERS:
        raise ValidationFailed(fields={"format": [_("Choose one of: %(formats)s.") % {"formats": ", ".join(FORMATS)}]})
    return RENDERERS[file_format](report)


def export_response(report: TabularReport, file_format: str) -> HttpResponse:
    """An HTTP download of the report (Content-Disposition: attachment)."""
    content = render(report, file_format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.{file_format}"'
    return response

"""Report screens of the cash-flow statement (with its drill-down to entries) and the cash position.

Like the other report screens (views/reports.py): a filter form above the table, CSV/XLSX/PDF
buttons, access with the accounting module active and `accounting.view_accountbalance`. Each amount
of the statement links to the entries behind it, for its column's dates.
"""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.forms import DateInput

from .. import report_tables_cashflow as tables
from .. import reports_cashflow as cashflow
from ..reports import fiscal_year_start
from .reports import LAYOUT_CHOICES, PeriodForm, ReportScreen, _cell, _iso, entry_url

BALANCE_LINES = {"opening", "closing"}  # cash balances, not made of entries: no link
CHART_LAYOUT_CHOICES = [("", gettext_lazy("As the chart of accounts")), *LAYOUT_CHOICES]


class CashFlowForm(PeriodForm):
    layout = forms.ChoiceField(label=gettext_lazy("Layout"), choices=CHART_LAYOUT_CHOICES, required=False)


class CashFlowEntriesForm(CashFlowForm):
    line = forms.CharField(label=gettext_lazy("Line"), widget=forms.HiddenInput)


class CashPositionForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)


class CashFlowView(ReportScreen):
    title = gettext_lazy("Cash-flow statement")
    form_class = CashFlowForm
    template_name = "accounting/reports/report.html"

    def defaults(self):
        today = timezone.localdate()
        return {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}

    def build(self, data):
        self.report = cashflow.cash_flow_statement(self.company, data["date_from"], data["date_to"],
                                                   data.get("layout") or None, actor=self.request.user)
        return self.report

    def table(self, report):
        return tables.cash_flow_table(report)

    def drill_url(self, key: str, date_from, date_to) -> str:
        return reverse("accounting:report_cash_flow_entries") + "?" + urlencode(
            {"line": key, "layout": self.report.layout, "date_from": _iso(date_from), "date_to": _iso(date_to)})

    def rows(self, table, data):
        """Each cell with its own link: the label and this period's amount to the period's entries,
        last year's amount to last year's (headings and the cash balances have none)."""
        report, rows = self.report, []
        for row in table.rows:
            key = row.get("key")
            drillable = key and key not in BALANCE_LINES and not row.get("_heading")
            period = self.drill_url(key, report.date_from, report.date_to) if drillable else None
            previous = self.drill_url(key, report.previous_from, report.previous_to) if drillable else None
            cells = [(*_cell(row, column), previous if column.key == "previous" else
                      period if column.key in ("label", "period") else None) for column in table.columns]
            rows.append({"cells": cells, "strong": bool(row.get("_strong")), "heading": bool(row.get("_heading")),
                         "level": int(row.get("_level") or 0)})
        return rows


class CashFlowEntriesView(ReportScreen):
    title = gettext_lazy("Cash-flow entries")
    form_class = CashFlowEntriesForm

    def defaults(self):
        today = timezone.localdate()
        return {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}

    def get(self, request, *args, **kwargs):
        if not request.GET.get("line"):
            form = self.form_class(initial={**self.defaults(), **request.GET.dict()}, company=self.company)
            return self.render({"form": form, "table": None, "rows": [], "export_urls": [],
                                "prompt": _("Open a line of the cash-flow statement to see its entries.")})
        return super().get(request, *args, **kwargs)

    def build(self, data):
        return cashflow.cash_flow_entries(self.company, data["date_from"], data["date_to"], data["line"],
                                          data.get("layout") or None, actor=self.request.user)

    def table(self, report):
        return tables.cash_flow_entries_table(report)

    def link(self, row, data):
        return entry_url(row["entry"]) if row.get("entry") else None

    def get_breadcrumbs(self, obj=None):
        statement = reverse("accounting:report_cash_flow") + "?" + urlencode(
            {key: self.request.GET.get(key, "") for key in ("date_from", "date_to", "layout")})
        return [(_("Accounting"), None), (_("Reports"), None), (_("Cash-flow statement"), statement),
                (self.get_title(), None)]


class CashPositionView(ReportScreen):
    title = gettext_lazy("Cash position")
    form_class = CashPositionForm

    def defaults(self):
        return {"date": timezone.localdate().isoformat()}

    def build(self, data):
        return cashflow.cash_position(self.company, data["date"], actor=self.request.user)

    def table(self, report):
        return tables.cash_position_table(report)

    def link(self, row, data):
        """An account opens its ledger for the year to the day; overdue items the overdue invoices."""
        if row.get("account"):
            return reverse("accounting:report_general_ledger") + "?" + urlencode(
                {"account": row["account"], "date_from": _iso(fiscal_year_start(self.company, data["date"])),
                 "date_to": _iso(data["date"])})
        if row.get("key") == "overdue":
            return reverse("accounting:invoice_list") + "?overdue=true"
        return None

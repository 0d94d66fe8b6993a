"""Purchasing report screens: open orders, receipts pending, bills to match, supplier performance, the purchase
analysis (with a chart), and the purchasing dashboard (cards and the monthly purchases chart).

Each report is a filter form (GET) above a table that is the same TabularReport as the CSV/XLSX/PDF files
(`?export=`); order rows link to the order, bill rows to their match. Access: the purchasing module and
`purchasing.view_purchaseorder`. Charts are drawn by the vendored Chart.js from JSON in the page (the
inventory valuation screens' chart partial and script).
"""

import datetime

from django import forms
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.exports import FORMATS, cell_text, export_response
from tessera.core.forms import DateInput
from tessera.core.views.generic import Screen, apply_domain_error
from tessera.inventory.models import Warehouse
from tessera.partners.models import Partner
from tessera.products.models import Product

from .. import report_tables as tables
from .. import reports
from ..reports import REPORT_PERMISSION

GROUP_LABELS = {"supplier": gettext_lazy("Supplier"), "product": gettext_lazy("Product"),
                "month": gettext_lazy("Month")}


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def order_url(pk) -> str | None:
    return url_or_none("purchasing:order_detail", pk) if pk else None


def bill_url(pk) -> str | None:
    return url_or_none("purchasing:bill_match", pk) or url_or_none("accounting:invoice_detail", pk)


# --- Filter forms --------------------------------------------------------------------------------------------

class CompanyFilter(forms.Form):
    """Choices limited to the company's suppliers, warehouses and purchasable products."""

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "partner" in self.fields:
            self.fields["partner"].queryset = Partner.objects.filter(company=company, is_supplier=True).order_by(
                "name")
        if "warehouse" in self.fields:
            self.fields["warehouse"].queryset = Warehouse.objects.filter(company=company).order_by("code")
        if "product" in self.fields:
            self.fields["product"].queryset = Product.objects.filter(company=company).order_by("sku")


def _partner():
    return forms.ModelChoiceField(label=gettext_lazy("Supplier"), queryset=Partner.objects.none(), required=False)


def _warehouse():
    return forms.ModelChoiceField(label=gettext_lazy("Warehouse"), queryset=Warehouse.objects.none(), required=False)


class AsOfForm(CompanyFilter):
    date = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())
    partner = _partner()
    warehouse = _warehouse()


class PendingForm(AsOfForm):
    late = forms.BooleanField(label=gettext_lazy("Late only"), required=False)


class PartnerForm(CompanyFilter):
    partner = _partner()


class PeriodForm(CompanyFilter):
    date_from = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), widget=DateInput())
    partner = _partner()


class AnalysisForm(PeriodForm):
    group = forms.ChoiceField(label=gettext_lazy("One row per"), choices=list(GROUP_LABELS.items()), required=False)
    product = forms.ModelChoiceField(label=gettext_lazy("Product"), queryset=Product.objects.none(), required=False)
    warehouse = _warehouse()


# --- Screens -------------------------------------------------------------------------------------------------

class Purchasing:
    module = "purchasing"
    url_namespace = "purchasing"
    permission = REPORT_PERMISSION


def _cell(row: dict, column) -> tuple[str, str]:
    if column.is_numeric:
        return cell_text(row, column), "text-end text-nowrap"
    return cell_text(row, column), "text-nowrap" if column.kind == "date" else ""


class ReportScreen(Purchasing, Screen):
    """A report page: parse the filter, build the report, show it as a table or send it as a file."""

    form_class = AsOfForm
    template_name = "purchasing/reports/report.html"
    empty_text = gettext_lazy("Nothing to show.")

    def defaults(self) -> dict:
        today = timezone.localdate()
        return {"date": today.isoformat(), "date_from": today.replace(month=1, day=1).isoformat(),
                "date_to": today.isoformat()}

    def build(self, data: dict):
        raise NotImplementedError

    def table(self, report):
        raise NotImplementedError

    cleaned: dict = {}

    def link(self, row: dict) -> str | None:
        return order_url(row.get("order"))

    def extra(self, report, data: dict) -> dict:
        return {}

    def get_breadcrumbs(self, obj=None):
        return [(_("Purchasing"), reverse("purchasing:dashboard")), (_("Reports"), None), (self.get_title(), None)]

    def get(self, request, *args, **kwargs):
        data = {**self.defaults(), **{key: value for key, value in request.GET.items() if value != ""}}
        form = self.form_class(data, company=self.company)
        context = {"form": form, "table": None, "rows": [], "export_urls": [], "empty_text": self.empty_text}
        if form.is_valid():
            try:
                report = self.build(form.cleaned_data)
            except errors.ValidationFailed as error:
                apply_domain_error(form, error)
            else:
                self.cleaned = form.cleaned_data
                table = self.table(report)
                export = request.GET.get("export")
                if export in FORMATS:
                    return export_response(table, export)
                context.update(
                    report=report, table=table,
                    rows=[{"cells": [_cell(row, column) for column in table.columns], "url": self.link(row),
                           "heading": row.get("_heading")} for row in table.rows],
                    totals=[_cell(table.totals, column) for column in table.columns] if table.totals else [],
                    export_urls=[(fmt, self.export_url(fmt)) for fmt in FORMATS], **self.extra(report, data))
        return self.render(context)

    def export_url(self, file_format: str) -> str:
        query = self.request.GET.copy()
        query["export"] = file_format
        return f"{self.request.path}?{query.urlencode()}"


class OpenOrdersView(ReportScreen):
    title = gettext_lazy("Open purchase orders")
    empty_text = gettext_lazy("No open purchase orders.")

    def build(self, data):
        return reports.open_orders(self.company, data["date"], partner=data.get("partner"),
                                   warehouse=data.get("warehouse"), actor=self.request.user)

    def table(self, report):
        return tables.open_orders_table(report)


class ReceiptsPendingView(ReportScreen):
    title = gettext_lazy("Receipts pending")
    form_class = PendingForm
    empty_text = gettext_lazy("No goods are waiting to be received.")

    def build(self, data):
        return reports.receipts_pending(self.company, data["date"], partner=data.get("partner"),
                                        warehouse=data.get("warehouse"), late_only=bool(data.get("late")),
                                        actor=self.request.user)

    def table(self, report):
        return tables.receipts_pending_table(report)


class BillsToMatchView(ReportScreen):
    title = gettext_lazy("Unbilled receipts and mismatches")
    form_class = PartnerForm
    empty_text = gettext_lazy("Every receipt is billed and no bill is waiting for a mismatch approval.")

    def build(self, data):
        return reports.bills_to_match(self.company, partner=data.get("partner"), actor=self.request.user)

    def table(self, report):
        return tables.bills_to_match_table(report)

    def link(self, row):
        if row.get("invoice"):
            return bill_url(row["invoice"])
        return order_url(row.get("order"))


class SupplierPerformanceView(ReportScreen):
    title = gettext_lazy("Supplier performance")
    form_class = PeriodForm
    empty_text = gettext_lazy("No purchases from suppliers in this period.")

    def build(self, data):
        return reports.supplier_performance(self.company, data["date_from"], data["date_to"],
                                            partner=data.get("partner"), actor=self.request.user)

    def table(self, report):
        return tables.supplier_performance_table(report)

    def link(self, row):
        if not row.get("partner"):
            return None
        return reverse("purchasing:report_open_orders") + "?" + urlencode({"partner": row["partner"]})


class AnalysisView(ReportScreen):
    title = gettext_lazy("Purchase analysis")
    form_class = AnalysisForm
    template_name = "purchasing/reports/analysis.html"
    empty_text = gettext_lazy("No purchases in this period.")

    def build(self, data):
        return reports.purchase_analysis(self.company, data["date_from"], data["date_to"],
                                         group=data.get("group") or "supplier", partner=data.get("partner"),
                                         product=data.get("product"), warehouse=data.get("warehouse"),
                                         actor=self.request.user)

    def table(self, report):
        return tables.analysis_table(report)

    def link(self, row):
        """Supplier and product rows drill down to the same analysis by month, filtered on them."""
        data = self.cleaned
        group = data.get("group") or "supplier"
        if group == "month" or row.get("key") in (None, ""):
            return None
        return self.request.path + "?" + urlencode({
            "group": "month", "partner" if group == "supplier" else "product": row["key"],
            "date_from": data["date_from"].isoformat(), "date_to": data["date_to"].isoformat()})

    def extra(self, report, data):
        return {"chart": report.extra["chart"] if report.rows else None,
                "chart_caption": _("Purchases by %(group)s") % {"group": str(GROUP_LABELS[report.group]).lower()}}


def _filtered(url: str | None, **query) -> str | None:
    return f"{url}?{urlencode(query)}" if url else None


def _month_start(day: datetime.date, back: int) -> datetime.date:
    month = day.year * 12 + day.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


class DashboardView(Purchasing, Screen):
    """Cards (open orders, waiting for approval, late receipts, bills to match, this month's purchases),
    the monthly purchases of the last twelve months, and the most overdue receipts."""

    title = gettext_lazy("Purchasing dashboard")
    template_name = "purchasing/reports/dashboard.html"

    def get_breadcrumbs(self, obj=None):
        return [(_("Purchasing"), None), (self.get_title(), None)]

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        figures = reports.dashboard(self.company, today, actor=request.user)
        date_from = _month_start(today, 11).isoformat()
        cards = [
            {"key": "open-orders", "title": _("Open purchase orders"), "value": figures["open_orders"],
             "line": _("To receive: %(amount)s %(currency)s") % {"amount": f"{figures['to_receive_base']:,.2f}",
                                                                 "currency": figures["currency"]},
             "url": reverse("purchasing:report_open_orders")},
            {"key": "waiting-approval", "title": _("Waiting for approval"), "value": figures["waiting_approval"],
             "line": _("Purchase orders submitted"),
             "url": _filtered(url_or_none("purchasing:order_list"), state="submitted")},
            {"key": "late-receipts", "title": _("Late receipts"), "value": figures["late_lines"],
             "line": _("Value: %(amount)s %(currency)s") % {"amount": f"{figures['late_value_base']:,.2f}",
                                                            "currency": figures["currency"]},
             "url": reverse("purchasing:report_receipts_pending") + "?late=on", "warn": figures["late_lines"] > 0},
            {"key": "bills-to-match", "title": _("Bills to match"),
             "value": figures["lines_to_bill"] + figures["mismatched_bills"],
             "line": _("%(lines)s lines to bill, %(bills)s bills with a mismatch")
             % {"lines": figures["lines_to_bill"], "bills": figures["mismatched_bills"]},
             "url": reverse("purchasing:report_bills_to_match"), "warn": figures["mismatched_bills"] > 0},
            {"key": "this-month", "title": _("Purchases this month"),
             "value": f"{figures['this_month_base']:,.2f}", "line": figures["currency"],
             "url": reverse("purchasing:report_analysis") + "?" + urlencode(
                 {"group": "month", "date_from": date_from, "date_to": today.isoformat()})},
        ]
        late = [{**row, "url": order_url(row["order"]), "outstanding": tables.plain_quantity(row["outstanding"])}
                for row in figures["oldest_late"]]
        return self.render({"cards": cards, "figures": figures, "chart": figures["chart"], "late": late,
                            "reports": [
                                (_("Open purchase orders"), reverse("purchasing:report_open_orders")),
                                (_("Receipts pending"), reverse("purchasing:report_receipts_pending")),
                                (_("Unbilled receipts and mismatches"),
                                 reverse("purchasing:report_bills_to_match")),
                                (_("Supplier performance"), reverse("purchasing:report_supplier_performance")),
                                (_("Purchase analysis"), reverse("purchasing:report_analysis"))]})


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("reports/open-orders/", OpenOrdersView.as_view(), name="report_open_orders"),
    path("reports/receipts-pending/", ReceiptsPendingView.as_view(), name="report_receipts_pending"),
    path("reports/bills-to-match/", BillsToMatchView.as_view(), name="report_bills_to_match"),
    path("reports/supplier-performance/", SupplierPerformanceView.as_view(), name="report_supplier_performance"),
    path("reports/analysis/", AnalysisView.as_view(), name="report_analysis"),
]

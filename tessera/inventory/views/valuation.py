"""Valuation screens: the inventory valuation as of a date (totals tied to the ledger, a chart of the value
by category, each product drilling down to its layers), a product's valuation layers, and slow-moving and
dead stock with a chart of the value by time since the last delivery.

Each screen is a filter form (GET) above a table that is the same TabularReport as the CSV/XLSX/PDF files
(`?export=`). Access: the inventory module and `inventory.view_valuationlayer`. Charts are drawn by the
vendored Chart.js from JSON in the page (static inventory/valuation_charts.js); the table holds the figures.
"""

from collections import defaultdict

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.exports import FORMATS, cell_text, export_response
from tessera.core.forms import DateInput
from tessera.core.permissions import check
from tessera.core.views.generic import Screen, apply_domain_error
from tessera.products.models import Product, ProductCategory

from .. import report_tables_valuation as tables
from ..models import Warehouse
from ..reports import GROUPS, VALUATION_PERMISSION, product_layers, slow_moving, valuation
from .common import Inventory

GROUP_LABELS = {"product": gettext_lazy("Product"), "category": gettext_lazy("Category"),
                "warehouse": gettext_lazy("Warehouse")}


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def entry_url(pk: int | None) -> str | None:
    """The journal entry's page (accounting names it journalentry_detail)."""
    if not pk:
        return None
    return _url("accounting:journalentry_detail", pk) or _url("accounting:entry_detail", pk)


# --- Filter forms --------------------------------------------------------------------------------------

class ValuationForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())
    group = forms.ChoiceField(label=gettext_lazy("One row per"), choices=list(GROUP_LABELS.items()), required=False)
    category = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=ProductCategory.objects.none(),
                                      required=False)
    warehouse = forms.ModelChoiceField(label=gettext_lazy("Warehouse"), queryset=Warehouse.objects.none(),
                                       required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProductCategory.objects.filter(company=company).order_by("name")
        self.fields["warehouse"].queryset = Warehouse.objects.filter(company=company).order_by("code")


class LayersForm(forms.Form):
    product = forms.ModelChoiceField(label=gettext_lazy("Product"), queryset=Product.objects.none())
    date = forms.DateField(label=gettext_lazy("Up to"), widget=DateInput(), required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company, type="stock").order_by("sku")


class SlowMovingForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())
    days = forms.IntegerField(label=gettext_lazy("No delivery for (days)"), min_value=1, max_value=3650)
    category = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=ProductCategory.objects.none(),
                                      required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProductCategory.objects.filter(company=company).order_by("name")


# --- Screens -----------------------------------------------------------------------------------------

def _cell(row: dict, column) -> tuple[str, str]:
    if column.is_numeric:
        return cell_text(row, column), "text-end text-nowrap"
    return cell_text(row, column), "text-nowrap" if column.kind == "date" or column.key == "sku" else ""


class ReportScreen(Inventory, Screen):
    """A report page: parse the filter, build the report, show it as a table or send it as a file."""

    permission = VALUATION_PERMISSION
    form_class = ValuationForm
    export_formats = FORMATS

    def defaults(self) -> dict:
        return {"date": timezone.localdate().isoformat()}

    def build(self, data: dict):
        raise NotImplementedError

    def table(self, report):
        raise NotImplementedError

    def link(self, row: dict, data: dict) -> str | None:
        return None

    def extra(self, report, data: dict) -> dict:
        return {}

    def get_breadcrumbs(self, obj=None):
        return [(_("Inventory"), None), (_("Reports"), None), (self.get_title(), None)]

    def get(self, request, *args, **kwargs):
        data = {**self.defaults(), **{key: value for key, value in request.GET.items() if value != ""}}
        form = self.form_class(data, company=self.company)
        context = {"form": form, "table": None, "rows": [], "export_urls": []}
        if form.is_valid():
            try:
                report = self.build(form.cleaned_data)
            except errors.ValidationFailed as error:
                apply_domain_error(form, error)
            else:
                table = self.table(report)
                export = request.GET.get("export")
                if export in self.export_formats:
                    return export_response(table, export)
                context.update(
                    report=report, table=table,
                    rows=[{"cells": [_cell(row, column) for column in table.columns],
                           "url": self.link(row, form.cleaned_data), "entry_url": row.get("_entry_url")}
                          for row in table.rows],
                    totals=[_cell(table.totals, column) for column in table.columns] if table.totals else [],
                    export_urls=[(fmt, self.export_url(fmt)) for fmt in self.export_formats],
                    **self.extra(report, form.cleaned_data))
        return self.render(context)

    def export_url(self, file_format: str) -> str:
        query = self.request.GET.copy()
        query["export"] = file_format
        return f"{self.request.path}?{query.urlencode()}"


def _chart(labels, values, label) -> dict:
    """What valuation_charts.js draws: bar labels and values (strings of decimals, as in the API)."""
    return {"labels": [str(item) for item in labels], "values": [str(value) for value in values], "label": str(label)}


class ValuationView(ReportScreen):
    title = gettext_lazy("Inventory valuation")
    template_name = "inventory/valuation/report.html"

    def build(self, data):
        return valuation(self.company, data["date"], group=data.get("group") or "product",
                         category=data.get("category"), warehouse=data.get("warehouse"), actor=self.request.user)

    def table(self, report):
        return tables.valuation_table(report)

    def link(self, row, data):
        if not row.get("product"):
            return None
        return reverse("inventory:valuation_layers") + "?" + urlencode(
            {"product": row["product"], "date": data["date"].isoformat()})

    def extra(self, report, data):
        by_category: dict[str, object] = defaultdict(int)
        for row in report.rows:
            if row.get("category_name"):
                by_category[row["category_name"]] += row["value"]
        ledger_urls = {}
        if check(self.request.user, "accounting.view_accountbalance", self.company):
            start = data["date"].replace(month=1, day=1).isoformat()
            for account in report.accounts:
                url = _url("accounting:report_general_ledger")
                if url:
                    ledger_urls[account["account"]] = url + "?" + urlencode(
                        {"account": account["account"], "date_from": start, "date_to": data["date"].isoformat()})
        ordered = sorted(by_category.items(), key=lambda item: -item[1])
        return {"chart": _chart([name for name, _value in ordered], [value for _name, value in ordered],
                                _("Value")) if len(ordered) > 1 else None,
                "accounts": [{**account, "url": ledger_urls.get(account["account"])} for account in report.accounts],
                "groups": GROUPS}


class ValuationLayersView(ReportScreen):
    title = gettext_lazy("Valuation layers")
    template_name = "inventory/valuation/layers.html"
    form_class = LayersForm

    def defaults(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        if not request.GET.get("product"):
            form = self.form_class(initial=request.GET.dict(), company=self.company)
            return self.render({"form": form, "table": None, "rows": [], "export_urls": [],
                                "prompt": _("Choose a product to see its valuation layers.")})
        return super().get(request, *args, **kwargs)

    def build(self, data):
        return product_layers(self.company, data["product"], as_of=data.get("date"), actor=self.request.user)

    def table(self, report):
        table = tables.layers_table(report)
        for row in table.rows:
            row["_entry_url"] = entry_url(row.get("entry"))
        return table

    def link(self, row, data):
        return _url("inventory:stockmove_detail", row["move"]) if row.get("move") else None


class SlowMovingView(ReportScreen):
    title = gettext_lazy("Slow-moving stock")
    template_name = "inventory/valuation/slow_moving.html"
    form_class = SlowMovingForm

    def defaults(self) -> dict:
        return {"date": timezone.localdate().isoformat(), "days": "90"}

    def build(self, data):
        return slow_moving(self.company, data["date"], data["days"], category=data.get("category"),
                           actor=self.request.user)

    def table(self, report):
        return tables.slow_moving_table(report)

    def link(self, row, data):
        return reverse("inventory:valuation_layers") + "?" + urlencode({"product": row["product"]})

    def extra(self, report, data):
        return {"chart": _chart([bucket["label"] for bucket in report.buckets],
                                [bucket["value"] for bucket in report.buckets], _("Value"))}

"""Stock on hand: per product and warehouse (or location, lot...), filtered by warehouse, location, product
and lot, with totals and CSV/XLSX export through the generic list; and a product's stock card (the ledger
with its running balance)."""

from types import SimpleNamespace

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, ListView, Screen
from tessera.products.models import Product

from ..models import Location, Lot, StockMoveLine, StockQuant, Warehouse
from ..selectors import stock_ledger, stock_rows, stock_totals
from .common import Inventory

GROUPINGS = {
    "product_warehouse": (gettext_lazy("Product and warehouse"), ("product", "warehouse")),
    "product_location": (gettext_lazy("Product and location"), ("product", "location")),
    "product_location_lot": (gettext_lazy("Product, location and lot"), ("product", "location", "lot")),
    "product_lot": (gettext_lazy("Product and lot"), ("product", "lot")),
    "product": (gettext_lazy("Product"), ("product",)),
    "warehouse": (gettext_lazy("Warehouse"), ("warehouse",)),
    "location": (gettext_lazy("Location"), ("location",)),
}


class RowList(list):
    """Rows usable where the generic list expects a queryset (paging, export)."""

    def iterator(self, chunk_size=None):
        return iter(self)


def resolve_rows(rows: list[dict]) -> RowList:
    """Stock rows with their product, warehouse, location and lot as records (a query per kind)."""
    wanted = {name: {row[name] for row in rows if row[name]} for name in ("product", "warehouse", "location", "lot")}
    found = {
        "product": Product.objects.select_related("uom").in_bulk(wanted["product"]),
        "warehouse": Warehouse.objects.in_bulk(wanted["warehouse"]),
        "location": Location.objects.in_bulk(wanted["location"]),
        "lot": Lot.objects.in_bulk(wanted["lot"]),
    }
    resolved = RowList()
    for row in rows:
        item = dict(row)
        for name in found:
            item[name] = found[name].get(row[name]) if row[name] else None
        item["uom"] = item["product"].uom.short_name if item["product"] else ""
        resolved.append(item)
    resolved.sort(key=lambda item: tuple(str(item[name] or "") for name in ("product", "warehouse", "location",
                                                                             "lot")))
    return resolved


def _choice(queryset, label=None, **kwargs):
    field = forms.ModelChoiceField(queryset=queryset, required=False, **kwargs)
    if label is not None:
        field.label_from_instance = label
    return field


class StockFilterForm(forms.Form):
    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"] = _choice(Warehouse.objects.filter(company=company).order_by("code"))
        self.fields["warehouse"].label = _("Warehouse")
        self.fields["location"] = _choice(Location.objects.filter(company=company).exclude(usage="view")
                                          .order_by("full_name"), label=lambda location: location.full_name)
        self.fields["location"].label = _("Location")
        self.fields["product"] = _choice(Product.objects.filter(company=company, type__in=["stock", "consumable"])
                                         .order_by("sku"))
        self.fields["product"].label = _("Product")
        self.fields["lot"] = _choice(Lot.objects.filter(company=company).select_related("product")
                                     .order_by("name"), label=lambda lot: f"{lot.name} ({lot.product.sku})")
        self.fields["lot"].label = _("Lot / serial number")
        self.fields["group"] = forms.ChoiceField(label=_("Group by"), required=False, choices=[
            (code, label) for code, (label, _fields) in GROUPINGS.items()])
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class StockView(Inventory, ListView):
    """Stock on hand (inventory.view_stockquant)."""

    model = StockQuant
    title = gettext_lazy("Stock on hand")
    template_name = "inventory/stock.html"
    paginate_by = 100

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.filter_form = None
        self.rows = None

    def url(self, kind, obj=None):
        return None if obj is not None else super().url(kind)  # rows are sums: they have no page of their own

    def get_filter_form(self):
        if self.filter_form is None:
            self.filter_form = StockFilterForm(self.request.GET or None, company=self.company)
            self.filter_form.is_valid()
        return self.filter_form

    def grouping(self) -> tuple[str, ...]:
        form = self.get_filter_form()
        code = (form.cleaned_data.get("group") if form.is_bound and hasattr(form, "cleaned_data") else "") or \
            "product_warehouse"
        return GROUPINGS[code][1]

    def get_columns(self):
        grouped = self.grouping()
        columns = [Column(name, label, value=lambda row, name=name: row[name], sort=name)
                   for name, label in (("product", _("Product")), ("warehouse", _("Warehouse")),
                                       ("location", _("Location")), ("lot", _("Lot / serial number")))
                   if name in grouped]
        columns += [Column(name, label, value=lambda row, name=name: row[name], sort=name) for name, label in (
            ("on_hand", _("On hand")), ("reserved", _("Reserved")), ("available", _("Available")))]
        if "product" in grouped:
            columns.append(Column("uom", _("Unit"), value=lambda row: row["uom"], sort=None))
        columns.append(Column("value", _("Value"), value=lambda row: row["value"], sort="value"))
        return columns

    def get_queryset(self):
        if self.rows is None:
            data = getattr(self.get_filter_form(), "cleaned_data", {}) or {}
            self.rows = resolve_rows(stock_rows(
                self.company, product=data.get("product"), warehouse=data.get("warehouse"),
                location=data.get("location"), lot=data.get("lot"), group_by=self.grouping()))
        return self.rows

    def sort(self, rows, columns):
        wanted = self.request.GET.get("sort", "")
        column = {column.name: column for column in columns if column.sort}.get(wanted.lstrip("-"))
        if column is None:
            return rows, ""
        ordered = RowList(sorted(rows, key=lambda row: (row[column.name] is None, _sort_key(row[column.name])),
                                 reverse=wanted.startswith("-")))
        return ordered, wanted

    def get_extra_context(self):
        rows = self.get_queryset()
        return {"filterset": SimpleNamespace(form=self.get_filter_form()), "totals": stock_totals(rows),
                "single_product": len({row["product"] for row in rows}) == 1 and "product" in self.grouping()}


def _sort_key(value):
    return value if isinstance(value, int | float) or hasattr(value, "as_tuple") else str(value or "")


class StockCardFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "product": _choice(Product.objects.filter(company=company, type__in=["stock", "consumable"])
                               .order_by("sku")),
            "warehouse": _choice(Warehouse.objects.filter(company=company).order_by("code")),
            **self.fields,
        }
        self.fields["product"].label, self.fields["warehouse"].label = _("Product"), _("Warehouse")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class StockCardView(Inventory, Screen):
    """A product's stock card: opening quantity, each done move line in or out, the running balance
    (inventory.view_stockmove)."""

    model = StockMoveLine
    permission = "inventory.view_stockmove"
    title = gettext_lazy("Stock card")
    template_name = "inventory/stock_card.html"

    def get(self, request, *args, **kwargs):
        form = StockCardFilterForm(request.GET or None, company=self.company)
        context = {"form": form, "rows": None}
        if form.is_bound and form.is_valid() and form.cleaned_data["product"] is not None:
            data = form.cleaned_data
            opening, rows = stock_ledger(self.company, data["product"], warehouse=data["warehouse"],
                                         date_from=data["date_from"], date_to=data["date_to"])
            context.update({"product": data["product"], "opening": opening, "rows": rows,
                            "closing": rows[-1].balance if rows else opening})
        return self.render(context)

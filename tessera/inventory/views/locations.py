"""Locations: the tree (indented, in path order) with a barcode box that opens the scanned location, the
location's page (its stock and sub-locations), the forms (a barcode field a scanner fills), deletion."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.views.generic import (
    Column,
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    Tab,
    UpdateView,
    YesNoFilter,
    form_data,
)

from ..choices import LocationUsage
from ..models import Location, Warehouse
from ..selectors import stock_rows, stock_totals
from ..services import location_create, location_delete, location_update
from .common import CompanyFormKwargs, Inventory, LocationForm
from .stock import RowList, resolve_rows


def company_warehouses(request):
    return Warehouse.objects.filter(company=getattr(request, "company", None)).order_by("code")


class LocationFilter(django_filters.FilterSet):
    usage = django_filters.ChoiceFilter(choices=LocationUsage.choices, label=gettext_lazy("Usage"))
    warehouse = django_filters.ModelChoiceFilter(queryset=company_warehouses, label=gettext_lazy("Warehouse"))
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Location
        fields = ["usage", "warehouse", "is_active"]


def indented(location) -> str:
    depth = location.full_name.count("/")
    return "\u2003" * depth + location.name


class LocationScreen(Inventory):
    model = Location

    def get_queryset(self):
        return super().get_queryset().select_related("warehouse", "parent")


class LocationListView(LocationScreen, ListView):
    """The tree of locations; the barcode box (a scanner types and presses Enter) opens the location."""

    template_name = "inventory/location_list.html"
    columns = [Column("full_name", gettext_lazy("Location"), value=indented, sort="full_name", link=True),
               Column("full_name_plain", gettext_lazy("Full name"), value=lambda obj: obj.full_name, sort="full_name",
                      default=False),
               "usage", "warehouse", "barcode", "is_active"]
    search_fields = ["full_name", "barcode"]
    filterset_class = LocationFilter
    ordering = ["full_name"]
    paginate_by = 200

    def get(self, request, *args, **kwargs):
        code = request.GET.get("barcode", "").strip()
        if code:
            found = self.get_queryset().filter(barcode=code).first()
            if found is not None:
                return redirect(self.url("detail", found))
            messages.error(request, _("No location has the barcode %(code)s.") % {"code": code})
        return super().get(request, *args, **kwargs)

    def sort(self, queryset, columns):
        if self.request.GET.get("sort"):
            return super().sort(queryset, columns)
        return RowList(sorted(queryset, key=lambda location: location.full_name.split("/"))), ""


class LocationDetailView(LocationScreen, DetailView):
    template_name = "inventory/location_detail.html"
    fields = ["full_name", "name", "parent", "usage", "warehouse", "barcode", "is_active"]
    tabs = [Tab("stock", gettext_lazy("Stock"), "inventory/_stock_table.html"),
            Tab("children", gettext_lazy("Sub-locations"), "inventory/_location_tree.html")]

    def get_tab_context(self, obj):
        rows = resolve_rows(stock_rows(self.company, location=obj, group_by=("product", "location", "lot")))
        children = Location.objects.filter(company=obj.company, full_name__startswith=obj.full_name + "/")
        return {"stock_rows": rows, "stock_totals": stock_totals(rows), "stock_grouped": ("location", "lot"),
                "tree": [(child, child.full_name.count("/") - obj.full_name.count("/") - 1)
                         for child in sorted(children, key=lambda child: child.full_name.split("/"))]}


class LocationCreateView(LocationScreen, CompanyFormKwargs, CreateView):
    form_class = LocationForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        parent = self.request.GET.get("parent")
        if data is None and parent and parent.isdigit():
            form.initial["parent"] = int(parent)
        return form

    def perform(self, form):
        return location_create(actor=self.request.user, company=self.company, data=form_data(form))


class LocationUpdateView(LocationScreen, CompanyFormKwargs, UpdateView):
    form_class = LocationForm

    def perform(self, form):
        return location_update(actor=self.request.user, location=self.object, data=form_data(form))


class LocationDeleteView(LocationScreen, DeleteView):
    def perform(self, obj):
        location_delete(actor=self.request.user, location=obj)

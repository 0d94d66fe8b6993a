"""Warehouses: list, detail (its location tree and its stock), create, edit, archive and restore."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.views.generic import (
    Column,
    CreateView,
    DetailView,
    ListView,
    Screen,
    Tab,
    UpdateView,
    YesNoFilter,
    form_data,
)

from ..models import Location, Warehouse
from ..selectors import stock_rows, stock_totals
from ..services import warehouse_create, warehouse_set_active, warehouse_update
from .common import ActionView, CompanyFormKwargs, Inventory, WarehouseForm
from .stock import resolve_rows


class WarehouseFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Warehouse
        fields = ["is_active"]


class WarehouseScreen(Inventory):
    model = Warehouse

    def get_queryset(self):
        return super().get_queryset().select_related("stock_location", "view_location")


class WarehouseListView(WarehouseScreen, ListView):
    columns = [Column("code", link=True), "name", "stock_location", "allow_negative_stock", "is_active",
               Column("address", default=False)]
    search_fields = ["code", "name", "address"]
    filterset_class = WarehouseFilter
    ordering = ["code"]


def location_tree(locations) -> list[tuple[Location, int]]:
    """(location, depth) in path order: a child right after its parent."""
    rows = sorted(locations, key=lambda location: location.full_name.split("/"))
    return [(location, location.full_name.count("/")) for location in rows]


class WarehouseDetailView(WarehouseScreen, DetailView):
    fields = ["code", "name", "address", "stock_location", "allow_negative_stock", "is_active"]
    tabs = [Tab("locations", gettext_lazy("Locations"), "inventory/_location_tree.html"),
            Tab("stock", gettext_lazy("Stock"), "inventory/_stock_table.html")]

    def get_actions(self, obj):
        actions = super().get_actions(obj)
        if self.can("change"):
            name, label = ("warehouse_archive", _("Archive")) if obj.is_active else ("warehouse_restore", _("Restore"))
            actions.append({"label": label, "url": reverse(f"inventory:{name}", args=[obj.pk]), "method": "post",
                            "style": "outline-secondary"})
        return actions

    def get_tab_context(self, obj):
        rows = resolve_rows(stock_rows(self.company, warehouse=obj, group_by=("product", "location", "lot")))
        return {"tree": location_tree(Location.objects.filter(warehouse=obj)),
                "stock_rows": rows, "stock_totals": stock_totals(rows), "stock_grouped": ("location", "lot")}


class WarehouseCreateView(WarehouseScreen, CompanyFormKwargs, CreateView):
    form_class = WarehouseForm

    def perform(self, form):
        return warehouse_create(actor=self.request.user, company=self.company, data=form_data(form))


class WarehouseUpdateView(WarehouseScreen, CompanyFormKwargs, UpdateView):
    form_class = WarehouseForm

    def perform(self, form):
        return warehouse_update(actor=self.request.user, warehouse=self.object, data=form_data(form))


class WarehouseArchiveView(WarehouseScreen, ActionView, Screen):
    success_message = gettext_lazy("Archived %(record)s.")

    def run(self, obj):
        return warehouse_set_active(actor=self.request.user, warehouse=obj, is_active=False)


class WarehouseRestoreView(WarehouseScreen, ActionView, Screen):
    success_message = gettext_lazy("Restored %(record)s.")

    def run(self, obj):
        return warehouse_set_active(actor=self.request.user, warehouse=obj, is_active=True)

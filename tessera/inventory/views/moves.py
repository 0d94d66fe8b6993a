"""Stock moves: the ledger (every move, filtered by product, state, location, dates, document) and a move's
page with its lines (which locations and lots it took and brought)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, DetailView, ListView
from tessera.products.models import Product

from ..choices import MoveState
from ..models import Location, StockMove
from .common import Inventory


def company_products(request):
    return Product.objects.filter(company=getattr(request, "company", None)).exclude(type="service").order_by("sku")


def company_locations(request):
    return Location.objects.filter(company=getattr(request, "company", None)).exclude(usage="view") \
        .order_by("full_name")


class MoveFilter(django_filters.FilterSet):
    product = django_filters.ModelChoiceFilter(queryset=company_products, label=gettext_lazy("Product"))
    state = django_filters.ChoiceFilter(choices=MoveState.choices, label=gettext_lazy("State"))
    location = django_filters.ModelChoiceFilter(queryset=company_locations, method="filter_location",
                                                label=gettext_lazy("Location"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())
    source = django_filters.CharFilter(method="filter_source", label=gettext_lazy("Document"))

    class Meta:
        model = StockMove
        fields = ["product", "state"]

    def filter_location(self, queryset, name, value):
        inside = Q(pk=value.pk) | Q(full_name__startswith=value.full_name + "/")
        scope = Location.objects.filter(inside, company_id=value.company_id).values("pk")
        return queryset.filter(Q(location__in=scope) | Q(location_dest__in=scope))

    def filter_source(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(source=value) | Q(reference__icontains=value)) if value else queryset


class MoveScreen(Inventory):
    model = StockMove

    def get_queryset(self):
        return super().get_queryset().select_related("product__uom", "uom", "location", "location_dest", "lot",
                                                     "partner")


class MoveListView(MoveScreen, ListView):
    columns = [Column("date", link=True), "reference", Column("product", sort="product__sku"), "quantity",
               Column("uom", sort=None), Column("location", sort="location__full_name"),
               Column("location_dest", sort="location_dest__full_name"), "state", Column("lot", default=False),
               Column("partner", default=False, sort="partner__name"), Column("value", default=False),
               Column("source", default=False), Column("product_quantity", default=False)]
    search_fields = ["reference", "source", "description", "product__sku", "product__name"]
    filterset_class = MoveFilter
    ordering = ["-date", "-pk"]


class MoveDetailView(MoveScreen, DetailView):
    template_name = "inventory/move_detail.html"
    fields = ["reference", "product", "quantity", "uom", "product_quantity", "reserved_quantity", "location",
              "location_dest", "lot", "partner", "date", "state", "unit_cost", "value", "entry", "origin_move",
              "source", "description", "done_at", "done_by"]

    def get_actions(self, obj):
        return []  # moves change through the documents that made them

    def get_tab_context(self, obj):
        return {"lines": obj.lines.select_related("location", "location_dest", "lot").order_by("pk")}

"""The inventory API: warehouses, locations, lots (with `{id}/trace/`), stock rows and the stock ledger.

Warehouses, locations and lots are written through the services (400 with field errors, 409
`invalid_state` for a location with stock or moves, or an archive refused); stock and moves are read
only: moves come from documents (receipts, deliveries, counts, transfers), so `moves/` has no POST (405).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import ApiView, ReadOnlyViewSet, RecordViewSet, idempotent
from tessera.core.api.pagination import PageNumberPagination
from tessera.core.errors import ValidationFailed

from ..choices import LocationUsage, MoveState
from ..models import Location, Lot, StockMove, StockQuant, Warehouse
from ..selectors import location_list, lot_list, lot_trace, move_list, stock_rows, stock_totals, warehouse_list
from ..services import (
    location_create,
    location_delete,
    location_update,
    lot_create,
    lot_update,
    warehouse_create,
    warehouse_set_active,
    warehouse_update,
)
from .serializers import (
    LocationSerializer,
    LotSerializer,
    MoveSerializer,
    StockQuerySerializer,
    StockRowSerializer,
    TraceLineSerializer,
    WarehouseSerializer,
)


def _company_records(model):
    def queryset(request):
        company = getattr(request, "company", None) if request is not None else None
        return model.objects.filter(company=company) if company else model.objects.none()

    return queryset


class WarehouseViewSet(RecordViewSet):
    """`inventory/warehouses/`: sites with their location tree; `/archive/` and `/restore/` instead of DELETE."""

    module = "inventory"
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Warehouse.objects.all()
    serializer_class = WarehouseSerializer
    filterset_fields = ["is_active", "allow_negative_stock"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "id"]
    ordering = ["code"]

    def select(self):
        return warehouse_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = warehouse_create(actor=self.request.user, company=self.request.company,
                                               data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = warehouse_update(actor=self.request.user, warehouse=serializer.instance,
                                               data=dict(serializer.validated_data))

    def _set_active(self, request, is_active):
        warehouse = warehouse_set_active(actor=request.user, warehouse=self.get_object(), is_active=is_active)
        return Response(self.get_serializer(warehouse).data)

    @extend_schema(operation_id="inventory_warehouses_archive", request=None, responses={200: WarehouseSerializer})
    @action(detail=True, methods=["post"], required_permission="change")
    @idempotent
    def archive(self, request, pk=None):
        """Archive a warehouse with no stock and no open moves (409 `invalid_state` otherwise)."""
        return self._set_active(request, False)

    @extend_schema(operation_id="inventory_warehouses_restore", request=None, responses={200: WarehouseSerializer})
    @action(detail=True, methods=["post"], required_permission="change")
    @idempotent
    def restore(self, request, pk=None):
        """Bring an archived warehouse back."""
        return self._set_active(request, True)


class LocationFilter(django_filters.FilterSet):
    usage = django_filters.ChoiceFilter(choices=LocationUsage.choices)
    warehouse = django_filters.ModelChoiceFilter(queryset=_company_records(Warehouse))
    parent = django_filters.ModelChoiceFilter(queryset=_company_records(Location))
    barcode = django_filters.CharFilter(method="filter_barcode", help_text=_("Exact barcode (what a scanner reads)."))

    class Meta:
        model = Location
        fields = ["usage", "warehouse", "parent", "is_active", "barcode"]

    def filter_barcode(self, queryset, name, value):
        return queryset.filter(barcode=value.strip())


class LocationViewSet(RecordViewSet):
    """`inventory/locations/`: warehouse locations and virtual ones; DELETE only for a location that never held
    stock nor appeared on a move (409 `invalid_state`)."""

    module = "inventory"
    queryset = Location.objects.all()
    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    search_fields = ["full_name", "barcode"]
    ordering_fields = ["full_name", "id"]
    ordering = ["full_name"]

    def select(self):
        return location_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = location_create(actor=self.request.user, company=self.request.company,
                                              data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = location_update(actor=self.request.user, location=serializer.instance,
                                              data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        location_delete(actor=self.request.user, location=instance)


class LotFilter(django_filters.FilterSet):
    expiry_before = django_filters.DateFilter(field_name="expiry_on", lookup_expr="lte")

    class Meta:
        model = Lot
        fields = ["product", "name"]


class LotViewSet(RecordViewSet):
    """`inventory/lots/`: lots and serial numbers of tracked products; `{id}/trace/` where it came from and went."""

    module = "inventory"
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Lot.objects.all()
    serializer_class = LotSerializer
    filterset_class = LotFilter
    search_fields = ["name", "product__sku"]
    ordering_fields = ["name", "expiry_on", "id"]
    ordering = ["product__sku", "expiry_on", "name"]

    def select(self):
        return lot_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = lot_create(actor=self.request.user, company=self.request.company,
                                         data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = lot_update(actor=self.request.user, lot=serializer.instance,
                                         data=dict(serializer.validated_data))

    @extend_schema(operation_id="inventory_lots_trace", responses={200: TraceLineSerializer(many=True)})
    @action(detail=True, methods=["get"], required_permission="inventory.view_stockmove")
    def trace(self, request, pk=None):
        """Every done move line of the lot in date order: from where, to where, which document."""
        return Response(TraceLineSerializer(lot_trace(self.get_object()), many=True).data)


class StockView(ApiView):
    """`inventory/stock/`: on hand, reserved, available and value per product and warehouse (or `group_by`
    location, lot...), filtered by `product`, `warehouse`, `location` (and those below it), `lot`."""

    module = "inventory"
    required_permission = "inventory.view_stockquant"
    model = StockQuant

    @extend_schema(operation_id="inventory_stock", parameters=[StockQuerySerializer], responses={200: inline_serializer(
        "StockPage", {"count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
                      "previous": serializers.URLField(allow_null=True), "results": StockRowSerializer(many=True),
                      "totals": inline_serializer("StockTotals", {"value": serializers.CharField()})})})
    def get(self, request):
        query = StockQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        company = request.company
        found = {}
        for name, model in (("product", None), ("warehouse", Warehouse), ("location", Location), ("lot", Lot)):
            if name in params and model is not None and not model.objects.filter(company=company,
                                                                                 pk=params[name]).exists():
                raise ValidationFailed(fields={name: [_("Not one of this company's records.")]})
            found[name] = params.get(name)
        rows = stock_rows(company, group_by=params.get("group_by", ("product", "warehouse")), **found)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response(StockRowSerializer(page, many=True).data)
        response.data["totals"] = {"value": f"{stock_totals(rows)['value']:.2f}"}
        return response


class MoveFilter(django_filters.FilterSet):
    location = django_filters.ModelChoiceFilter(queryset=_company_records(Location), method="filter_location",
                                                help_text=_("Moves from or to this location or one below it."))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    state = django_filters.ChoiceFilter(choices=MoveState.choices)
    source = django_filters.CharFilter(help_text=_("The document, as \"app.model:id\"."))

    class Meta:
        model = StockMove
        fields = ["product", "state", "lot", "partner", "source", "reference"]

    def filter_location(self, queryset, name, value):
        scope = Location.objects.filter(Q(pk=value.pk) | Q(full_name__startswith=value.full_name + "/"),
                                        company_id=value.company_id).values("pk")
        return queryset.filter(Q(location__in=scope) | Q(location_dest__in=scope))


class MoveViewSet(ReadOnlyViewSet):
    """`inventory/moves/`: the stock ledger, read only (moves come from documents)."""

    module = "inventory"
    queryset = StockMove.objects.all()
    serializer_class = MoveSerializer
    filterset_class = MoveFilter
    search_fields = ["reference", "source", "description", "product__sku"]
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]

    def select(self):
        return move_list(self.request.user, self.request.company).prefetch_related("lines")

"""Valuation reports at /api/v1/inventory/: JSON by default, or a file with `?format=csv|xlsx|pdf`.

- `valuation/?date=&group=product|category|warehouse&category=&warehouse=`: the valued stock as of a date
  (default today) with the inventory accounts' ledger balance beside an unfiltered report;
- `valuation/layers/?product=&date=`: a product's valuation layers with running quantity and value;
- `reports/slow-moving/?days=&date=&category=`: products in stock without a delivery for `days` (default 90).

Each needs `inventory.view_valuationlayer` (seeded for accountants, warehouse clerks, auditors...) and the
inventory module active; a bad parameter answers 400 validation_error naming it.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.reports import ReportApiView, report_schema
from tessera.products.models import Product, ProductCategory

from .. import report_tables_valuation as tables
from ..choices import LayerKind
from ..models import Warehouse
from ..reports import GROUPS, VALUATION_PERMISSION, product_layers, slow_moving, valuation

MONEY = {"max_digits": 20, "decimal_places": 2}
QUANTITY = {"max_digits": 20, "decimal_places": 4}
COST = {"max_digits": 20, "decimal_places": 6}
FORMATS = ["json", "csv", "xlsx", "pdf"]


class CompanyRecordField(serializers.PrimaryKeyRelatedField):
    """An id of one of the request company's records (another company's is unknown: 400)."""

    def get_queryset(self):
        request = self.context.get("request")
        company = getattr(request, "company", None)
        return self.queryset.filter(company=company) if company else self.queryset.none()


# --- Query parameters -------------------------------------------------------------------------

class AsOfQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text=_("As of this day (default: today)."))
    format = serializers.ChoiceField(choices=FORMATS, default="json")

    def validate(self, attrs):
        attrs.setdefault("date", timezone.localdate())
        return attrs


class ValuationQuerySerializer(AsOfQuerySerializer):
    group = serializers.ChoiceField(choices=list(GROUPS), default="product",
                                    help_text=_("One row per product, category or warehouse."))
    category = CompanyRecordField(queryset=ProductCategory.objects.all(), required=False,
                                  help_text=_("Product category id (its sub-categories included)."))
    warehouse = CompanyRecordField(queryset=Warehouse.objects.all(), required=False, help_text=_("Warehouse id."))


class LayersQuerySerializer(serializers.Serializer):
    product = CompanyRecordField(queryset=Product.objects.all(), help_text=_("Product id."))
    date = serializers.DateField(required=False, help_text=_("Up to this day (default: all)."))
    format = serializers.ChoiceField(choices=FORMATS, default="json")


class SlowMovingQuerySerializer(AsOfQuerySerializer):
    days = serializers.IntegerField(min_value=1, max_value=3650, default=90,
                                    help_text=_("No delivery for at least this many days."))
    category = CompanyRecordField(queryset=ProductCategory.objects.all(), required=False,
                                  help_text=_("Product category id (its sub-categories included)."))


# --- Output ------------------------------------------------------------------------------------

class ValuationRowSerializer(serializers.Serializer):
    product = serializers.IntegerField(required=False)
    sku = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    category = serializers.IntegerField(required=False)
    category_name = serializers.CharField(required=False)
    warehouse = serializers.IntegerField(required=False, allow_null=True)
    warehouse_name = serializers.CharField(required=False)
    products = serializers.IntegerField(required=False, help_text=_("Grouped rows: how many products."))
    uom = serializers.CharField(required=False)
    quantity = serializers.DecimalField(**QUANTITY)
    unit_cost = serializers.DecimalField(allow_null=True, required=False, **COST)
    value = serializers.DecimalField(**MONEY)


class ValuationTotalsSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(allow_null=True, **QUANTITY)
    value = serializers.DecimalField(**MONEY)


class InventoryAccountBalanceSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    balance = serializers.DecimalField(**MONEY)


class ValuationSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    date = serializers.DateField(source="as_of")
    group = serializers.CharField()
    rows = ValuationRowSerializer(many=True)
    totals = ValuationTotalsSerializer()
    accounts = InventoryAccountBalanceSerializer(many=True, help_text=_("The inventory accounts and their balances."))
    ledger_balance = serializers.DecimalField(allow_null=True, help_text=_(
        "The inventory accounts' balance (null for a filtered report or without books)."), **MONEY)
    stock_postings = serializers.DecimalField(allow_null=True, help_text=_(
        "The part of the balance posted by stock moves: equals the total value."), **MONEY)
    difference = serializers.DecimalField(allow_null=True, help_text=_(
        "Ledger balance less the valuation: postings to the inventory accounts by hand."), **MONEY)


class LayerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=LayerKind.choices)
    kind_display = serializers.CharField()
    move = serializers.IntegerField(allow_null=True)
    reference = serializers.CharField()
    description = serializers.CharField()
    quantity = serializers.DecimalField(**QUANTITY)
    unit_cost = serializers.DecimalField(allow_null=True, **COST)
    value = serializers.DecimalField(**MONEY)
    remaining_quantity = serializers.DecimalField(**QUANTITY)
    remaining_value = serializers.DecimalField(**MONEY)
    entry = serializers.IntegerField(allow_null=True)
    entry_number = serializers.CharField(allow_null=True)
    running_quantity = serializers.DecimalField(**QUANTITY)
    running_value = serializers.DecimalField(**MONEY)


class LayersSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    product = serializers.IntegerField(source="product.pk")
    date = serializers.DateField(source="as_of", allow_null=True)
    rows = LayerRowSerializer(many=True)
    quantity = serializers.DecimalField(**QUANTITY)
    value = serializers.DecimalField(**MONEY)


class SlowMovingRowSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    category_name = serializers.CharField()
    uom = serializers.CharField()
    quantity = serializers.DecimalField(**QUANTITY)
    value = serializers.DecimalField(**MONEY)
    last_delivery = serializers.DateField(allow_null=True)
    last_movement = serializers.DateField(allow_null=True)
    days_since_delivery = serializers.IntegerField(allow_null=True)
    days_since_movement = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=["slow", "dead"])


class SlowMovingBucketSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.DecimalField(**MONEY)
    products = serializers.IntegerField()


class SlowMovingTotalsSerializer(serializers.Serializer):
    value = serializers.DecimalField(**MONEY)
    dead_value = serializers.DecimalField(**MONEY)
    products = serializers.IntegerField()


class SlowMovingSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    date = serializers.DateField(source="as_of")
    days = serializers.IntegerField()
    rows = SlowMovingRowSerializer(many=True)
    totals = SlowMovingTotalsSerializer()
    buckets = SlowMovingBucketSerializer(many=True, help_text=_("Value by days since the last delivery."))


# --- Views -------------------------------------------------------------------------------------

class ValuationReportView(ReportApiView):
    module = "inventory"
    required_permission = VALUATION_PERMISSION
    query_serializer = AsOfQuerySerializer


_schema = report_schema


class ValuationView(ValuationReportView):
    """`inventory/valuation/`: quantity, value and unit cost per product (or category, warehouse) as of a
    date; unfiltered, with the inventory accounts' ledger balance and the difference."""

    query_serializer = ValuationQuerySerializer
    output_serializer = ValuationSerializer

    def build(self, request, params):
        return valuation(request.company, params["date"], group=params["group"], category=params.get("category"),
                         warehouse=params.get("warehouse"), actor=request.user)

    def table(self, report):
        return tables.valuation_table(report)

    @_schema(ValuationQuerySerializer, ValuationSerializer, _("Inventory valuation"))
    def get(self, request):
        return super().get(request)


class ValuationLayersView(ValuationReportView):
    """`inventory/valuation/layers/?product=`: the product's layers (the drill-down of a valuation row)."""

    query_serializer = LayersQuerySerializer
    output_serializer = LayersSerializer

    def build(self, request, params):
        return product_layers(request.company, params["product"], as_of=params.get("date"), actor=request.user)

    def table(self, report):
        return tables.layers_table(report)

    @_schema(LayersQuerySerializer, LayersSerializer, _("Valuation layers of a product"))
    def get(self, request):
        return super().get(request)


class SlowMovingView(ValuationReportView):
    """`inventory/reports/slow-moving/?days=`: stock without a delivery for `days`, dead stock flagged."""

    query_serializer = SlowMovingQuerySerializer
    output_serializer = SlowMovingSerializer

    def build(self, request, params):
        return slow_moving(request.company, params["date"], params["days"], category=params.get("category"),
                           actor=request.user)

    def table(self, report):
        return tables.slow_moving_table(report)

    @_schema(SlowMovingQuerySerializer, SlowMovingSerializer, _("Slow-moving and dead stock"))
    def get(self, request):
        return super().get(request)

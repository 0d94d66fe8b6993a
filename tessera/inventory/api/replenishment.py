"""`inventory/reorder-rules/` (min/max rules per product and warehouse) and `inventory/replenishment/` (what to
order now: JSON, or `?format=csv|xlsx|pdf`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from tessera.core.api.base import ApiView, DecimalField, ModelSerializer, RecordViewSet, Serializer
from tessera.core.errors import ValidationFailed
from tessera.core.exports import export_response

from ..models import QUANTITY, ReorderRule, Warehouse
from ..report_tables_replenishment import replenishment_table
from ..services.replenishment import (
    reorder_rule_create,
    reorder_rule_delete,
    reorder_rule_update,
    replenishment_rows,
)


class ReorderRuleSerializer(ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = ReorderRule
        fields = ["id", "company", "product", "product_sku", "warehouse", "min_quantity", "max_quantity", "multiple",
                  "supplier", "lead_days", "is_active"]
        validators = []


class ReorderRuleViewSet(RecordViewSet):
    """`inventory/reorder-rules/`: min/max replenishment per product and warehouse."""

    module = "inventory"
    queryset = ReorderRule.objects.select_related("product")
    serializer_class = ReorderRuleSerializer
    filterset_fields = ["product", "warehouse", "supplier", "is_active"]
    search_fields = ["product__sku", "product__name"]
    ordering_fields = ["id", "min_quantity"]
    ordering = ["warehouse__code", "product__sku"]

    def perform_create(self, serializer):
        serializer.instance = reorder_rule_create(actor=self.request.user, company=self.request.company,
                                                  data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = reorder_rule_update(actor=self.request.user, rule=serializer.instance,
                                                  data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        reorder_rule_delete(actor=self.request.user, rule=instance)


class ReplenishmentQuerySerializer(Serializer):
    warehouse = serializers.IntegerField(required=False)
    format = serializers.ChoiceField(choices=["json", "csv", "xlsx", "pdf"], default="json")


class ReplenishmentRowSerializer(Serializer):
    rule = serializers.IntegerField(source="rule.pk")
    product = serializers.IntegerField(source="product.pk")
    sku = serializers.CharField(source="product.sku")
    warehouse = serializers.IntegerField(source="warehouse.pk")
    supplier = serializers.IntegerField(source="supplier.pk", allow_null=True, default=None)
    available = DecimalField(**QUANTITY)
    incoming = DecimalField(**QUANTITY)
    forecast = DecimalField(**QUANTITY)
    min_quantity = DecimalField(**QUANTITY)
    max_quantity = DecimalField(**QUANTITY)
    multiple = DecimalField(**QUANTITY)
    quantity = DecimalField(**QUANTITY, help_text=_("Suggested quantity to order, in the product's unit."))
    uom = serializers.IntegerField(source="uom.pk")
    lead_days = serializers.IntegerField()
    arrives_on = serializers.DateField()


class ReplenishmentView(ApiView):
    """`inventory/replenishment/`: the rules whose forecast (available + incoming) is below the minimum, with the
    quantity to order (max - forecast rounded up to the multiple), supplier and lead time."""

    module = "inventory"
    required_permission = "inventory.view_reorderrule"
    model = ReorderRule

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(operation_id="inventory_replenishment", parameters=[ReplenishmentQuerySerializer],
                   responses={200: ReplenishmentRowSerializer(many=True)})
    def get(self, request):
        query = ReplenishmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        warehouse = None
        if params.get("warehouse") is not None:
            warehouse = Warehouse.objects.filter(company=request.company, pk=params["warehouse"]).first()
            if warehouse is None:
                raise ValidationFailed(fields={"warehouse": [_("Not one of this company's records.")]})
        rows = replenishment_rows(request.company, warehouse)
        if params["format"] != "json":
            return export_response(replenishment_table(request.company, rows), params["format"])
        return Response({"count": len(rows), "results": ReplenishmentRowSerializer(rows, many=True).data})

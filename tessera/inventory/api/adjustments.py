"""Stock counts (API.md `inventory/adjustments/`): POST starts a count of a location (lines prefilled with the
expected quantities), PATCH `{"lines": [...], "version"}` enters counted quantities, `/scan/` adds a barcode
read, `/post/` posts the differences (moves to or from the inventory-loss location, valued), `/cancel/`.

Every write goes through services.adjustments; a posted or cancelled count answers 409 `invalid_state`.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import (
    SERVER_SET_FIELDS,
    DecimalField,
    ModelSerializer,
    RecordViewSet,
    Serializer,
    idempotent,
)

from ..models import QUANTITY, Adjustment, AdjustmentLine
from ..services.adjustments import (
    adjustment_cancel,
    adjustment_count,
    adjustment_create,
    adjustment_post,
    adjustment_scan,
)


class AdjustmentLineSerializer(ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    location_name = serializers.CharField(source="location.full_name", read_only=True)
    lot_name = serializers.CharField(source="lot.name", read_only=True, default=None)
    difference = DecimalField(read_only=True, allow_null=True, **QUANTITY, help_text=_(
        "Counted less expected (the move posted is counted less on hand at posting)."))

    class Meta:
        model = AdjustmentLine
        fields = ["id", "product", "product_sku", "location", "location_name", "lot", "lot_name",
                  "expected_quantity", "counted_quantity", "difference", "move"]
        read_only_fields = fields


class AdjustmentSerializer(ModelSerializer):
    server_set_fields = (*SERVER_SET_FIELDS, "warehouse", "posted_at", "posted_by", "version", "lines")
    lines = AdjustmentLineSerializer(many=True, read_only=True)

    class Meta:
        model = Adjustment
        fields = ["id", "company", "number", "warehouse", "location", "date", "description", "state", "posted_at",
                  "posted_by", "version", "lines"]
        read_only_fields = ["warehouse", "posted_at", "posted_by", "version"]
        extra_kwargs = {"date": {"required": False, "help_text": _("Default: today.")}, "location": {"help_text": _(
            "The location counted (its sub-locations too); a warehouse's root location counts the whole warehouse.")}}


class CountLineSerializer(Serializer):
    line = serializers.IntegerField(required=False, help_text=_("A line of the count."))
    product = serializers.IntegerField(required=False, help_text=_("Stock found that is not on the count."))
    location = serializers.IntegerField(required=False)
    lot = serializers.IntegerField(required=False, allow_null=True)
    lot_name = serializers.CharField(required=False, max_length=100, help_text=_(
        "A lot or serial number not in Tessera yet (tracked products): created with the line; an existing name "
        "of the product is reused."))
    expiry_on = serializers.DateField(required=False, allow_null=True, help_text=_("The new lot's expiry date."))
    counted_quantity = DecimalField(allow_null=True, **QUANTITY)

    def validate(self, attrs):
        if "line" not in attrs and "product" not in attrs:
            raise serializers.ValidationError(_("Give the line, or the product found."))
        return attrs


class CountSerializer(Serializer):
    lines = CountLineSerializer(many=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "The version you read: the change is refused (409) if someone saved the count meanwhile."))


class ScanSerializer(Serializer):
    code = serializers.CharField(max_length=100, help_text=_("A product barcode or SKU, or a lot/serial number."))
    location = serializers.IntegerField(required=False, allow_null=True)
    quantity = DecimalField(required=False, **QUANTITY)
    product = serializers.IntegerField(required=False, allow_null=True, help_text=_(
        "A tracked product: a code that is no product and no lot becomes a new lot or serial number of it."))


class AdjustmentFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Adjustment
        fields = ["state", "warehouse", "location"]


class AdjustmentViewSet(RecordViewSet):
    """`inventory/adjustments/`: stock counts with their nested `lines` (expected, counted)."""

    module = "inventory"
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Adjustment.objects.select_related("location", "warehouse").prefetch_related(
        Prefetch("lines", queryset=AdjustmentLine.objects.select_related("product", "location", "lot")))
    serializer_class = AdjustmentSerializer
    filterset_class = AdjustmentFilter
    search_fields = ["number", "description", "location__full_name"]
    ordering_fields = ["date", "number", "id"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        serializer.instance = adjustment_create(actor=self.request.user, company=self.request.company,
                                                data=dict(serializer.validated_data))

    def _answer(self, adjustment):
        return Response(AdjustmentSerializer(self.get_queryset().get(pk=adjustment.pk)).data,
                        status=status.HTTP_200_OK)

    @extend_schema(operation_id="inventory_adjustments_count", request=CountSerializer,
                   responses={200: AdjustmentSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Enter counted quantities: `{"lines": [{"line", "counted_quantity"} | {"product", "location", "lot" or
        "lot_name" (a new lot, with "expiry_on"), "counted_quantity"}], "version"}` (null clears a count)."""
        adjustment = self.get_object()
        serializer = CountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        adjustment_count(actor=request.user, adjustment=adjustment, lines=[dict(row) for row in data["lines"]],
                         version=data.get("version"))
        return self._answer(adjustment)

    @extend_schema(operation_id="inventory_adjustments_scan", request=ScanSerializer,
                   responses={200: AdjustmentLineSerializer})
    @action(detail=True, methods=["post"], required_permission="change")
    def scan(self, request, pk=None):
        """A barcode read: +1 (or `quantity`) on the product's (or lot's) line; a new line for stock found; with
        `product` (tracked), a code that is no product and no lot becomes a new lot of it."""
        serializer = ScanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = adjustment_scan(actor=request.user, adjustment=self.get_object(), **serializer.validated_data)
        return Response(AdjustmentLineSerializer(line).data)

    @extend_schema(operation_id="inventory_adjustments_post", request=None, responses={200: AdjustmentSerializer})
    @action(detail=True, methods=["post"], url_path="post", url_name="post", required_permission="post")
    @idempotent
    def post_adjustment(self, request, pk=None):
        """Post the count: one move per difference between counted and on hand now; 409 `invalid_state`,
        `insufficient_stock` (a loss of reserved stock), `period_closed`."""
        return self._answer(adjustment_post(actor=request.user, adjustment=self.get_object()))

    @extend_schema(operation_id="inventory_adjustments_cancel", request=None, responses={200: AdjustmentSerializer})
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel", required_permission="change")
    @idempotent
    def cancel_adjustment(self, request, pk=None):
        """Give up a count that is not posted."""
        return self._answer(adjustment_cancel(actor=request.user, adjustment=self.get_object()))

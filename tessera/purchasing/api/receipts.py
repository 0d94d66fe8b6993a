"""Goods receipts (API.md): `purchasing/orders/{id}/receive/` posts a receipt (served by the orders viewset,
which mixes in `ReceiveActionMixin`), `purchasing/receipts/` reads them (list and item, with their lines).

Body of `/receive/`: `{"lines": [{"line": <order line id>, "quantity": "5", "lots": [{"lot_name": "L1",
"quantity": "2", "expiry_on": "2027-01-31"} | {"lot": <id>, "quantity": "1"}]}], "date": "YYYY-MM-DD",
"reference": "<delivery note>"}` — quantities in the order line's unit, lot quantities in the product's
unit (a serial number is one unit). Answers 201 with the receipt; 400 `validation_error` (fields
`lines.<i>.quantity` beyond the over-receipt tolerance, ...), 409 `invalid_state` (order not receivable).
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import DecimalField, ModelSerializer, ReadOnlyViewSet, Serializer, idempotent

from ..models import QUANTITY, Receipt, ReceiptLine
from ..services.receipts import order_receive


class ReceiptLineSerializer(ModelSerializer):
    product = serializers.IntegerField(source="order_line.product_id", read_only=True)
    product_sku = serializers.CharField(source="order_line.product.sku", read_only=True)
    description = serializers.CharField(source="order_line.description", read_only=True)
    uom = serializers.IntegerField(source="order_line.uom_id", read_only=True)
    lots = serializers.SerializerMethodField()

    class Meta:
        model = ReceiptLine
        fields = ["id", "order_line", "product", "product_sku", "description", "quantity", "uom", "move", "value",
                  "lots"]
        read_only_fields = fields

    def get_lots(self, obj) -> list[dict]:
        if obj.move_id is None:
            return []
        return [{"lot": line.lot_id, "lot_name": line.lot.name, "quantity": str(line.quantity)}
                for line in obj.move.lines.all() if line.lot_id and line.is_done]


class ReceiptSerializer(ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    partner = serializers.IntegerField(source="order.partner_id", read_only=True)
    lines = ReceiptLineSerializer(many=True, read_only=True)

    class Meta:
        model = Receipt
        fields = ["id", "company", "number", "order", "order_number", "partner", "date", "reference", "state",
                  "received_by", "created_at", "lines"]
        read_only_fields = fields


class ReceiveLotSerializer(Serializer):
    lot = serializers.IntegerField(required=False, help_text=_("An existing lot or serial number."))
    lot_name = serializers.CharField(required=False, max_length=100, help_text=_("A new (or known) lot name."))
    quantity = DecimalField(required=False, **QUANTITY, help_text=_(
        "In the product's unit; a serial number is one unit; one lot alone takes the whole quantity."))
    expiry_on = serializers.DateField(required=False, allow_null=True)


class ReceiveLineSerializer(Serializer):
    line = serializers.IntegerField(help_text=_("A line of the order."))
    quantity = DecimalField(**QUANTITY, help_text=_("Received now, in the order line's unit."))
    lots = ReceiveLotSerializer(many=True, required=False)


class ReceiveSerializer(Serializer):
    lines = ReceiveLineSerializer(many=True)
    date = serializers.DateField(required=False, help_text=_("Default: today."))
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                      help_text=_("The supplier's delivery note."))


def receipt_queryset():
    return Receipt.objects.select_related("order").prefetch_related(
        Prefetch("lines", queryset=ReceiptLine.objects.select_related(
            "order_line__product", "move").prefetch_related("move__lines__lot").order_by("pk")))


class ReceiveActionMixin:
    """Mixed into the orders viewset: `POST purchasing/orders/{id}/receive/`."""

    @extend_schema(operation_id="purchasing_orders_receive", request=ReceiveSerializer,
                   responses={201: ReceiptSerializer})
    @action(detail=True, methods=["post"], required_permission="purchasing.receive_purchaseorder")
    @idempotent
    def receive(self, request, pk=None):
        """Post a goods receipt against the order (partial allowed; over-receipt within the tolerance)."""
        order = self.get_object()
        payload = ReceiveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        lines = [{**row, "lots": [dict(lot) for lot in row.get("lots", [])]} for row in data["lines"]]
        receipt = order_receive(actor=request.user, order=order, lines=lines, date=data.get("date"),
                                reference=data.get("reference", ""))
        return Response(ReceiptSerializer(receipt_queryset().get(pk=receipt.pk), context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class ReceiptFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    partner = django_filters.NumberFilter(field_name="order__partner")

    class Meta:
        model = Receipt
        fields = ["order", "state"]


class ReceiptViewSet(ReadOnlyViewSet):
    """`purchasing/receipts/`: goods receipts with their lines (read only: receipts come from `/receive/`)."""

    module = "purchasing"
    queryset = receipt_queryset()
    serializer_class = ReceiptSerializer
    filterset_class = ReceiptFilter
    search_fields = ["number", "reference", "order__number"]
    ordering_fields = ["date", "number", "id"]
    ordering = ["-date", "-id"]


def register(router) -> None:
    router.register("receipts", ReceiptViewSet, basename="purchasing-receipt")

"""Returns to suppliers (API.md `purchasing/returns/`): a draft with nested `lines` (POST, PATCH, DELETE while
draft), `/post/` (stock out to the supplier; the credit note for what was billed when the user may also post
it, else `credit_pending`; 409 `invalid_state`, `insufficient_stock`), `/credit/` (accounting issues the
pending credit note) and `/cancel/` (drafts). Every write goes through services.returns."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import SERVER_SET_FIELDS, ModelSerializer, RecordViewSet, idempotent

from ..models import SupplierReturn, SupplierReturnLine
from ..services.returns import (
    awaiting_credit,
    return_cancel,
    return_create,
    return_credit,
    return_delete,
    return_post,
    return_update,
)


class ReturnLineSerializer(ModelSerializer):
    server_set_fields = ("company", "move", "quantity_to_credit")
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = SupplierReturnLine
        fields = ["id", "order_line", "product", "product_sku", "quantity", "uom", "lot", "unit_price", "move",
                  "quantity_to_credit"]
        read_only_fields = ["move", "quantity_to_credit"]
        extra_kwargs = {
            "product": {"required": False, "help_text": _("Default: the order line's product.")},
            "uom": {"required": False, "help_text": _("Default: the order line's unit, else the product's.")},
            "unit_price": {"help_text": _("Credit price per unit; default the order line's (required on free "
                                          "lines).")}}


class ReturnSerializer(ModelSerializer):
    server_set_fields = (*SERVER_SET_FIELDS, "credit_note", "credit_pending")
    lines = ReturnLineSerializer(many=True, required=False)
    credit_pending = serializers.SerializerMethodField(help_text=_(
        "Done with its supplier credit note still to issue (`/credit/`, by accounting)."))
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved the draft meanwhile."))

    class Meta:
        model = SupplierReturn
        fields = ["id", "company", "number", "partner", "order", "warehouse", "date", "reason", "is_quality_issue",
                  "refund_method", "credit_note", "credit_pending", "state", "version", "lines"]
        read_only_fields = ["credit_note"]
        extra_kwargs = {"date": {"required": False}, "partner": {"required": False},
                        "warehouse": {"required": False}}

    def get_credit_pending(self, obj) -> bool:
        return (obj.state == "done" and obj.credit_note_id is None
                and any(line.quantity_to_credit > 0 for line in obj.lines.all()))


class ReturnFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    credit_pending = django_filters.BooleanFilter(method="filter_credit_pending", label=_(
        "Done with the supplier credit note still to issue"))

    class Meta:
        model = SupplierReturn
        fields = ["state", "partner", "order", "refund_method", "is_quality_issue"]

    def filter_credit_pending(self, queryset, name, value):
        return awaiting_credit(queryset, pending=value) if value is not None else queryset


def _split(serializer) -> tuple[dict, list[dict] | None, int | None]:
    data = dict(serializer.validated_data)
    rows = data.pop("lines", None)
    version = data.pop("version", None)
    lines = [{key: getattr(value, "pk", value) for key, value in row.items()} for row in rows] \
        if rows is not None else None
    return {key: getattr(value, "pk", value) for key, value in data.items()}, lines, version


class ReturnViewSet(RecordViewSet):
    """`purchasing/returns/`: goods sent back to suppliers, with nested `lines`."""

    module = "purchasing"
    queryset = SupplierReturn.objects.select_related("partner", "order").prefetch_related(
        Prefetch("lines", queryset=SupplierReturnLine.objects.select_related("product").order_by("pk")))
    serializer_class = ReturnSerializer
    filterset_class = ReturnFilter
    search_fields = ["number", "reason", "partner__name", "order__number"]
    ordering_fields = ["date", "number", "id"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        data, lines, _version = _split(serializer)
        serializer.instance = return_create(actor=self.request.user, company=self.request.company, data=data,
                                            lines=lines or [])

    def perform_update(self, serializer):
        data, lines, version = _split(serializer)
        serializer.instance = return_update(actor=self.request.user, supplier_return=serializer.instance, data=data,
                                            lines=lines, version=version)

    def perform_destroy(self, instance):
        return_delete(actor=self.request.user, supplier_return=instance)

    def _answer(self, supplier_return):
        return Response(self.get_serializer(self.get_queryset().get(pk=supplier_return.pk)).data,
                        status=status.HTTP_200_OK)

    @extend_schema(operation_id="purchasing_returns_post", request=None, responses={200: ReturnSerializer})
    @action(detail=True, methods=["post"], url_path="post", url_name="post", required_permission="post")
    @idempotent
    def post_return(self, request, pk=None):
        """Send the goods back: stock out, and a supplier credit note for what was already billed."""
        return self._answer(return_post(actor=request.user, supplier_return=self.get_object()))

    @extend_schema(operation_id="purchasing_returns_credit", request=None, responses={200: ReturnSerializer})
    @action(detail=True, methods=["post"], required_permission="accounting.post_invoice")
    @idempotent
    def credit(self, request, pk=None):
        """Issue and post the supplier credit note of a return sent back after billing (accounting)."""
        supplier_return = self.get_object()
        return_credit(actor=request.user, supplier_return=supplier_return)
        return self._answer(supplier_return)

    @extend_schema(operation_id="purchasing_returns_cancel", request=None, responses={200: ReturnSerializer})
    @action(detail=True, methods=["post"], required_permission="post")
    @idempotent
    def cancel(self, request, pk=None):
        """Cancel a draft return."""
        return self._answer(return_cancel(actor=request.user, supplier_return=self.get_object()))


def register(router) -> None:
    router.register("returns", ReturnViewSet, basename="purchasing-return")

"""Transfers (API.md `inventory/transfers/`): draft with nested `lines`, then `/confirm/` (reserves at the
source), `/ship/` (to transit), `/done/` (arrived; from confirmed it ships first), `/cancel/` (draft or
confirmed). Every write goes through services.transfers; PATCH and DELETE only for drafts (409 otherwise)."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import SERVER_SET_FIELDS, ModelSerializer, RecordViewSet, idempotent

from ..models import Transfer, TransferLine
from ..services.transfers import (
    transfer_cancel,
    transfer_confirm,
    transfer_create,
    transfer_delete,
    transfer_done,
    transfer_ship,
    transfer_update,
)


class TransferLineSerializer(ModelSerializer):
    server_set_fields = ("company", "move_out", "move_in")
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = TransferLine
        fields = ["id", "product", "product_sku", "quantity", "uom", "lot", "move_out", "move_in"]
        read_only_fields = ["move_out", "move_in"]
        extra_kwargs = {"uom": {"required": False, "help_text": _("Default: the product's unit.")}}


class TransferSerializer(ModelSerializer):
    server_set_fields = (*SERVER_SET_FIELDS, "shipped_at", "done_at")
    lines = TransferLineSerializer(many=True, required=False)
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved the draft meanwhile."))

    class Meta:
        model = Transfer
        fields = ["id", "company", "number", "location", "location_dest", "date", "description", "state",
                  "shipped_at", "done_at", "version", "lines"]
        read_only_fields = ["shipped_at", "done_at"]
        extra_kwargs = {"date": {"required": False}}


class TransferFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Transfer
        fields = ["state", "location", "location_dest"]


def _split(serializer) -> tuple[dict, list[dict] | None, int | None]:
    data = dict(serializer.validated_data)
    rows = data.pop("lines", None)
    version = data.pop("version", None)
    return data, [{key: getattr(value, "pk", value) for key, value in row.items()} for row in rows] \
        if rows is not None else None, version


class TransferViewSet(RecordViewSet):
    """`inventory/transfers/`: goods between internal locations through transit, with nested `lines`."""

    module = "inventory"
    queryset = Transfer.objects.select_related("location", "location_dest").prefetch_related(
        Prefetch("lines", queryset=TransferLine.objects.select_related("product").order_by("pk")))
    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    search_fields = ["number", "description"]
    ordering_fields = ["date", "number", "id"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        data, lines, _version = _split(serializer)
        serializer.instance = transfer_create(actor=self.request.user, company=self.request.company, data=data,
                                              lines=lines or [])

    def perform_update(self, serializer):
        data, lines, version = _split(serializer)
        serializer.instance = transfer_update(actor=self.request.user, transfer=serializer.instance, data=data,
                                              lines=lines, version=version)

    def perform_destroy(self, instance):
        transfer_delete(actor=self.request.user, transfer=instance)

    def _answer(self, transfer):
        return Response(self.get_serializer(self.get_queryset().get(pk=transfer.pk)).data, status=status.HTTP_200_OK)

    @extend_schema(operation_id="inventory_transfers_confirm", request=None, responses={200: TransferSerializer})
    @action(detail=True, methods=["post"], required_permission="confirm")
    @idempotent
    def confirm(self, request, pk=None):
        """Number the transfer and reserve its goods at the source (409 `invalid_state`)."""
        return self._answer(transfer_confirm(actor=request.user, transfer=self.get_object()))

    @extend_schema(operation_id="inventory_transfers_ship", request=None, responses={200: TransferSerializer})
    @action(detail=True, methods=["post"], required_permission="post")
    @idempotent
    def ship(self, request, pk=None):
        """The goods leave for transit (409 `invalid_state`, `insufficient_stock`)."""
        return self._answer(transfer_ship(actor=request.user, transfer=self.get_object()))

    @extend_schema(operation_id="inventory_transfers_done", request=None, responses={200: TransferSerializer})
    @action(detail=True, methods=["post"], required_permission="post")
    @idempotent
    def done(self, request, pk=None):
        """The goods arrive at the destination (shipped first when still confirmed)."""
        return self._answer(transfer_done(actor=request.user, transfer=self.get_object()))

    @extend_schema(operation_id="inventory_transfers_cancel", request=None, responses={200: TransferSerializer})
    @action(detail=True, methods=["post"], required_permission="cancel")
    @idempotent
    def cancel(self, request, pk=None):
        """Cancel a draft or confirmed transfer, releasing its reservations."""
        return self._answer(transfer_cancel(actor=request.user, transfer=self.get_object()))

"""Purchase orders (API.md `purchasing/orders/`): drafts with nested `lines`, then `/submit/`,
`/approve/`, `/reject/`, `/confirm/`, `/cancel/`, `/close/`; `/receive/` and `/bill/` come from the
receipts and bills areas' mixins. Every write goes through services.orders; PATCH and DELETE only while
the order is editable (409 otherwise)."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import RecordViewSet, idempotent

from ..models import PurchaseOrder, PurchaseOrderLine
from ..services.orders import (
    order_approve,
    order_cancel,
    order_close,
    order_confirm,
    order_create,
    order_delete,
    order_reject,
    order_submit,
    order_update,
)
from .bills import BillActionMixin
from .receipts import ReceiveActionMixin
from .serializers_orders import DecisionSerializer, OrderSerializer


class OrderFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = PurchaseOrder
        fields = ["state", "partner", "warehouse", "currency", "buyer"]


def _line(row: dict) -> dict:
    return {key: ([getattr(item, "pk", item) for item in value] if key == "taxes" else getattr(value, "pk", value))
            for key, value in row.items()}


def _split(serializer) -> tuple[dict, list[dict] | None, int | None]:
    data = dict(serializer.validated_data)
    rows = data.pop("lines", None)
    version = data.pop("version", None)
    data = {key: getattr(value, "pk", value) for key, value in data.items()}
    return data, [_line(row) for row in rows] if rows is not None else None, version


class OrderViewSet(ReceiveActionMixin, BillActionMixin, RecordViewSet):
    """`purchasing/orders/`: purchase orders with nested `lines` and one endpoint per transition."""

    module = "purchasing"
    queryset = PurchaseOrder.objects.select_related("partner", "currency", "warehouse").prefetch_related(
        Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("product").prefetch_related("taxes")
                 .order_by("sequence", "pk")))
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    search_fields = ["number", "reference", "partner__name", "partner__code"]
    ordering_fields = ["date", "number", "total", "expected_on", "id"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        data, lines, _version = _split(serializer)
        serializer.instance = order_create(actor=self.request.user, company=self.request.company, data=data,
                                           lines=lines or [])

    def perform_update(self, serializer):
        data, lines, version = _split(serializer)
        serializer.instance = order_update(actor=self.request.user, order=serializer.instance, data=data,
                                           lines=lines, version=version)

    def perform_destroy(self, instance):
        order_delete(actor=self.request.user, order=instance)

    def _answer(self, order):
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data, status=status.HTTP_200_OK)

    def _comment(self, request) -> str:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data.get("comment", "")

    @extend_schema(operation_id="purchasing_orders_submit", request=None, responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], required_permission="submit")
    @idempotent
    def submit(self, request, pk=None):
        """Submit for approval (or approved at once when no rule applies); 409 `invalid_state`."""
        return self._answer(order_submit(actor=request.user, order=self.get_object()))

    @extend_schema(operation_id="purchasing_orders_approve", request=DecisionSerializer,
                   responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], required_permission="view")
    @idempotent
    def approve(self, request, pk=None):
        """Approve the pending approval request as one of its current approvers (403 otherwise)."""
        return self._answer(order_approve(actor=request.user, order=self.get_object(), comment=self._comment(request)))

    @extend_schema(operation_id="purchasing_orders_reject", request=DecisionSerializer,
                   responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], required_permission="view")
    @idempotent
    def reject(self, request, pk=None):
        """Reject the pending approval request (`comment` required): the order goes back to draft."""
        return self._answer(order_reject(actor=request.user, order=self.get_object(), comment=self._comment(request)))

    @extend_schema(operation_id="purchasing_orders_confirm", request=None, responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], required_permission="confirm")
    @idempotent
    def confirm(self, request, pk=None):
        """Number the order and create its incoming moves (409 `approval_required`, `invalid_state`)."""
        return self._answer(order_confirm(actor=request.user, order=self.get_object()))

    @extend_schema(operation_id="purchasing_orders_cancel", request=None, responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], required_permission="cancel")
    @idempotent
    def cancel(self, request, pk=None):
        """Cancel an order nothing was received or billed of (409 `invalid_state`)."""
        return self._answer(order_cancel(actor=request.user, order=self.get_object()))

    @extend_schema(operation_id="purchasing_orders_close", request=None, responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], required_permission="cancel")
    @idempotent
    def close(self, request, pk=None):
        """Short-close: what is still to come is cancelled and the order closed."""
        return self._answer(order_close(actor=request.user, order=self.get_object()))


def register(router) -> None:
    router.register("orders", OrderViewSet, basename="purchaseorder")

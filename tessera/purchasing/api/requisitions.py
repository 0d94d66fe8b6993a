"""Requisitions (API.md `purchasing/requisitions/`): drafts with nested `lines`, then `/submit/`, `/approve/`,
`/reject/` (body `{"comment"}`), `/cancel/`, and `/convert/` — on one requisition (`{"to": "order"|"rfq",
"supplier"}`) or on several (`POST purchasing/requisitions/convert/` with `{"requisitions": [ids], ...}`),
answering `{"requisitions", "orders", "rfq"}`. Everyone sees their own requisitions; purchasers and
approvers see the company's. Every write goes through services.requisitions."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import SERVER_SET_FIELDS, ModelSerializer, RecordViewSet, Serializer, idempotent

from ..models import Requisition, RequisitionLine, Rfq
from ..services.requisitions import (
    requisition_amount,
    requisition_approve,
    requisition_cancel,
    requisition_convert,
    requisition_create,
    requisition_delete,
    requisition_reject,
    requisition_submit,
    requisition_update,
    requisitions_visible,
)


class RequisitionLineSerializer(ModelSerializer):
    server_set_fields = ("company", "order_line", "rfq_line")
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = RequisitionLine
        fields = ["id", "product", "product_sku", "description", "quantity", "uom", "supplier", "estimated_price",
                  "order_line", "rfq_line"]
        read_only_fields = ["order_line", "rfq_line"]
        extra_kwargs = {"uom": {"required": False, "help_text": _("Default: the product's purchase unit.")},
                        "description": {"required": False}}


class RequisitionSerializer(ModelSerializer):
    server_set_fields = (*SERVER_SET_FIELDS, "requested_by", "origin")
    lines = RequisitionLineSerializer(many=True, required=False)
    amount = serializers.SerializerMethodField(help_text=_("Estimated value in the company's currency."))
    orders = serializers.SerializerMethodField(help_text=_("Ids of the purchase orders its lines went to."))
    rfqs = serializers.SerializerMethodField(help_text=_("Ids of the RFQs its lines went to."))
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved it meanwhile."))

    class Meta:
        model = Requisition
        fields = ["id", "company", "number", "requested_by", "date", "needed_on", "warehouse", "cost_center",
                  "description", "origin", "state", "version", "amount", "orders", "rfqs", "lines"]
        read_only_fields = ["requested_by", "origin"]
        extra_kwargs = {"date": {"required": False}}

    def get_amount(self, obj) -> str:
        return str(requisition_amount(obj))

    def get_orders(self, obj) -> list[int]:
        return sorted({line.order_line.order_id for line in obj.lines.all() if line.order_line_id})

    def get_rfqs(self, obj) -> list[int]:
        return sorted({line.rfq_line.rfq_id for line in obj.lines.all() if line.rfq_line_id})


class RequisitionFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Requisition
        fields = ["state", "warehouse", "requested_by", "origin"]


class CommentSerializer(Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ConvertSerializer(Serializer):
    to = serializers.ChoiceField(choices=[("order", _("Purchase orders")), ("rfq", _("Request for quotation"))],
                                 default="order")
    supplier = serializers.IntegerField(required=False, allow_null=True, help_text=_(
        "Order everything from this supplier (for an RFQ: invite it too); default: each line's suggested one."))


class ConvertManySerializer(ConvertSerializer):
    requisitions = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


def _split(serializer) -> tuple[dict, list[dict] | None, int | None]:
    data = dict(serializer.validated_data)
    rows = data.pop("lines", None)
    version = data.pop("version", None)
    return data, [{key: getattr(value, "pk", value) for key, value in row.items()} for row in rows] \
        if rows is not None else None, version


class RequisitionViewSet(RecordViewSet):
    """`purchasing/requisitions/`: requests to buy, with nested `lines`."""

    module = "purchasing"
    queryset = Requisition.objects.select_related("warehouse", "requested_by").prefetch_related(
        Prefetch("lines", queryset=RequisitionLine.objects.select_related("product", "order_line", "rfq_line")
                 .order_by("pk")))
    serializer_class = RequisitionSerializer
    filterset_class = RequisitionFilter
    search_fields = ["number", "description"]
    ordering_fields = ["date", "number", "id", "needed_on"]
    ordering = ["-date", "-id"]

    def select(self):
        return self.queryset.filter(pk__in=requisitions_visible(self.request.user, self.request.company))

    def perform_create(self, serializer):
        data, lines, _version = _split(serializer)
        serializer.instance = requisition_create(actor=self.request.user, company=self.request.company, data=data,
                                                 lines=lines or [])

    def perform_update(self, serializer):
        data, lines, version = _split(serializer)
        serializer.instance = requisition_update(actor=self.request.user, requisition=serializer.instance, data=data,
                                                 lines=lines, version=version)

    def perform_destroy(self, instance):
        requisition_delete(actor=self.request.user, requisition=instance)

    def _answer(self, requisition):
        return Response(self.get_serializer(self.get_queryset().get(pk=requisition.pk)).data,
                        status=status.HTTP_200_OK)

    def _comment(self, request) -> str:
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["comment"]

    @extend_schema(operation_id="purchasing_requisitions_submit", request=None,
                   responses={200: RequisitionSerializer})
    @action(detail=True, methods=["post"], required_permission="purchasing.change_requisition")
    @idempotent
    def submit(self, request, pk=None):
        """Number it and ask for approval (approved at once when nothing requires it)."""
        return self._answer(requisition_submit(actor=request.user, requisition=self.get_object()))

    @extend_schema(operation_id="purchasing_requisitions_approve", request=CommentSerializer,
                   responses={200: RequisitionSerializer})
    @action(detail=True, methods=["post"], required_permission="approve")
    @idempotent
    def approve(self, request, pk=None):
        """Approve (never your own requisition: 403)."""
        comment = self._comment(request)
        return self._answer(requisition_approve(actor=request.user, requisition=self.get_object(), comment=comment))

    @extend_schema(operation_id="purchasing_requisitions_reject", request=CommentSerializer,
                   responses={200: RequisitionSerializer})
    @action(detail=True, methods=["post"], required_permission="approve")
    @idempotent
    def reject(self, request, pk=None):
        """Reject with a comment saying why (400 without one)."""
        comment = self._comment(request)
        return self._answer(requisition_reject(actor=request.user, requisition=self.get_object(), comment=comment))

    @extend_schema(operation_id="purchasing_requisitions_cancel", request=None,
                   responses={200: RequisitionSerializer})
    @action(detail=True, methods=["post"], required_permission="purchasing.change_requisition")
    @idempotent
    def cancel(self, request, pk=None):
        """Cancel an open requisition (not once ordered)."""
        return self._answer(requisition_cancel(actor=request.user, requisition=self.get_object()))

    def _convert(self, request, requisitions, body):
        result = requisition_convert(actor=request.user, requisitions=requisitions, to=body["to"],
                                     supplier=body.get("supplier"))
        answer = {"requisitions": sorted(getattr(item, "pk", item) for item in requisitions), "orders": [], "rfq": None}
        if isinstance(result, Rfq):
            answer["rfq"] = result.pk
        else:
            answer["orders"] = [order.pk for order in result]
        return Response(answer, status=status.HTTP_200_OK)

    @extend_schema(operation_id="purchasing_requisitions_convert", request=ConvertSerializer, responses={200: dict})
    @action(detail=True, methods=["post"], required_permission="convert")
    @idempotent
    def convert(self, request, pk=None):
        """Turn this approved requisition into draft orders (one per supplier) or a draft RFQ."""
        body = ConvertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._convert(request, [self.get_object()], body.validated_data)

    @extend_schema(operation_id="purchasing_requisitions_convert_many", request=ConvertManySerializer,
                   responses={200: dict})
    @action(detail=False, methods=["post"], url_path="convert", required_permission="convert")
    @idempotent
    def convert_many(self, request):
        """Merge several approved requisitions into orders (one per supplier, same products added up) or an RFQ."""
        body = ConvertManySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visible = set(self.get_queryset().filter(pk__in=body.validated_data["requisitions"])
                      .values_list("pk", flat=True))
        missing = [pk for pk in body.validated_data["requisitions"] if pk not in visible]
        if missing:
            raise serializers.ValidationError({"requisitions": [
                _("No requisition %(ids)s here.") % {"ids": ", ".join(str(pk) for pk in missing)}]})
        return self._convert(request, sorted(visible), body.validated_data)


def register(router) -> None:
    router.register("requisitions", RequisitionViewSet, basename="requisition")

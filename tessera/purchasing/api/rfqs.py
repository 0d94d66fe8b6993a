"""Requests for quotation (API.md `purchasing/rfqs/`): drafts with nested `lines` and `suppliers`
(`[{"partner": id}]`), then `/send/`, `/quotes/` (one supplier's prices: `{"supplier": partner id,
"quoted_on", "valid_to", "lead_days", "notes", "quotes": [{"line", "unit_price", "discount"}]}`),
`/award/` (`{"supplier": partner id}` for the whole RFQ, or `{"lines": [{"line", "supplier"}]}`; with
`"save_prices": true` the quotes become supplier prices) and `/cancel/`; `GET .../comparison/` gives the
quotes side by side. Every write goes through services.rfqs."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import SERVER_SET_FIELDS, ModelSerializer, RecordViewSet, Serializer, idempotent

from ..models import PurchaseOrder, Rfq, RfqLine, RfqQuote, RfqSupplier
from ..services.rfqs import (
    rfq_award,
    rfq_cancel,
    rfq_comparison,
    rfq_create,
    rfq_delete,
    rfq_quote_set,
    rfq_send,
    rfq_update,
)


class RfqLineSerializer(ModelSerializer):
    server_set_fields = ("company", "awarded_to")
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = RfqLine
        fields = ["id", "product", "product_sku", "description", "quantity", "uom", "awarded_to"]
        read_only_fields = ["awarded_to"]
        extra_kwargs = {"uom": {"required": False, "help_text": _("Default: the product's purchase unit.")},
                        "description": {"required": False}}


class RfqQuoteSerializer(ModelSerializer):
    class Meta:
        model = RfqQuote
        fields = ["line", "unit_price", "discount"]
        read_only_fields = fields


class RfqSupplierSerializer(ModelSerializer):
    server_set_fields = ("company", "order")
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    quotes = RfqQuoteSerializer(many=True, read_only=True)

    class Meta:
        model = RfqSupplier
        fields = ["id", "partner", "partner_name", "quoted_on", "valid_to", "lead_days", "notes", "order", "quotes"]
        read_only_fields = ["quoted_on", "valid_to", "lead_days", "notes", "order"]
        validators = []


class RfqSerializer(ModelSerializer):
    lines = RfqLineSerializer(many=True, required=False)
    suppliers = RfqSupplierSerializer(many=True, required=False, help_text=_(
        "The suppliers asked to quote: write `[{\"partner\": id}]`; quotes are entered through `/quotes/`."))
    orders = serializers.SerializerMethodField(help_text=_("Ids of the purchase orders it was awarded into."))
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved it meanwhile."))

    class Meta:
        model = Rfq
        fields = ["id", "company", "number", "date", "quote_by", "warehouse", "currency", "description", "state",
                  "version", "orders", "lines", "suppliers"]
        read_only_fields = [name for name in SERVER_SET_FIELDS]
        extra_kwargs = {"date": {"required": False}, "currency": {"required": False}}

    def get_orders(self, obj) -> list[int]:
        return list(PurchaseOrder.objects.filter(rfq=obj).order_by("pk").values_list("pk", flat=True))


class RfqFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Rfq
        fields = ["state", "warehouse"]


class QuoteInputSerializer(Serializer):
    line = serializers.IntegerField()
    unit_price = serializers.CharField(allow_blank=True, allow_null=True, required=False, help_text=_(
        "A decimal string; empty removes this line's quote."))
    discount = serializers.CharField(allow_blank=True, allow_null=True, required=False)


class QuotesSerializer(Serializer):
    supplier = serializers.IntegerField(help_text=_("The invited supplier (partner id)."))
    quoted_on = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    lead_days = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=255)
    quotes = QuoteInputSerializer(many=True)


class AwardLineSerializer(Serializer):
    line = serializers.IntegerField()
    supplier = serializers.IntegerField()


class AwardSerializer(Serializer):
    supplier = serializers.IntegerField(required=False, allow_null=True, help_text=_(
        "Award the whole RFQ to this supplier (partner id) ..."))
    lines = AwardLineSerializer(many=True, required=False, help_text=_("... or each line to a supplier."))
    save_prices = serializers.BooleanField(required=False, default=False)


def _plain(value):
    return getattr(value, "pk", value)


def _split(serializer) -> tuple[dict, list | None, list | None, int | None]:
    data = dict(serializer.validated_data)
    rows = data.pop("lines", None)
    suppliers = data.pop("suppliers", None)
    version = data.pop("version", None)
    lines = [{key: _plain(value) for key, value in row.items()} for row in rows] if rows is not None else None
    partners = [_plain(row.get("partner")) for row in suppliers] if suppliers is not None else None
    return data, lines, partners, version


class RfqViewSet(RecordViewSet):
    """`purchasing/rfqs/`: requests for quotation with nested `lines` and `suppliers` (and their quotes)."""

    module = "purchasing"
    queryset = Rfq.objects.select_related("warehouse", "currency").prefetch_related(
        Prefetch("lines", queryset=RfqLine.objects.select_related("product").order_by("pk")),
        Prefetch("suppliers", queryset=RfqSupplier.objects.select_related("partner").prefetch_related("quotes")
                 .order_by("pk")))
    serializer_class = RfqSerializer
    filterset_class = RfqFilter
    search_fields = ["number", "description"]
    ordering_fields = ["date", "number", "id", "quote_by"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        data, lines, partners, _version = _split(serializer)
        serializer.instance = rfq_create(actor=self.request.user, company=self.request.company, data=data,
                                         lines=lines or [], suppliers=partners or [])

    def perform_update(self, serializer):
        data, lines, partners, version = _split(serializer)
        serializer.instance = rfq_update(actor=self.request.user, rfq=serializer.instance, data=data, lines=lines,
                                         suppliers=partners, version=version)

    def perform_destroy(self, instance):
        rfq_delete(actor=self.request.user, rfq=instance)

    def _answer(self, rfq):
        return Response(self.get_serializer(self.get_queryset().get(pk=rfq.pk)).data, status=status.HTTP_200_OK)

    @extend_schema(operation_id="purchasing_rfqs_send", request=None, responses={200: RfqSerializer})
    @action(detail=True, methods=["post"], required_permission="change")
    @idempotent
    def send(self, request, pk=None):
        """Number the RFQ: the suppliers may quote now (409 `invalid_state` unless a draft)."""
        return self._answer(rfq_send(actor=request.user, rfq=self.get_object()))

    @extend_schema(operation_id="purchasing_rfqs_quotes", request=QuotesSerializer, responses={200: RfqSerializer})
    @action(detail=True, methods=["post"], required_permission="change")
    @idempotent
    def quotes(self, request, pk=None):
        """Enter one supplier's quote (the RFQ sent)."""
        body = QuotesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        supplier, quotes = data.pop("supplier"), [dict(item) for item in data.pop("quotes")]
        rfq = self.get_object()
        rfq_quote_set(actor=request.user, rfq=rfq, supplier=supplier, quotes=quotes, data=data)
        return self._answer(rfq)

    @extend_schema(operation_id="purchasing_rfqs_award", request=AwardSerializer, responses={200: RfqSerializer})
    @action(detail=True, methods=["post"], required_permission="award")
    @idempotent
    def award(self, request, pk=None):
        """Award the whole RFQ or each line: draft purchase orders at the quoted prices (their ids in `orders`)."""
        body = AwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        lines = [dict(item) for item in data["lines"]] if "lines" in data else None
        rfq = self.get_object()
        rfq_award(actor=request.user, rfq=rfq, supplier=data.get("supplier"), lines=lines,
                  save_prices=data["save_prices"])
        return self._answer(rfq)

    @extend_schema(operation_id="purchasing_rfqs_cancel", request=None, responses={200: RfqSerializer})
    @action(detail=True, methods=["post"], required_permission="change")
    @idempotent
    def cancel(self, request, pk=None):
        """Cancel a draft or sent RFQ; requisitions on it can be converted again."""
        return self._answer(rfq_cancel(actor=request.user, rfq=self.get_object()))

    @extend_schema(operation_id="purchasing_rfqs_comparison", request=None, responses={200: dict})
    @action(detail=True, methods=["get"], required_permission="view")
    def comparison(self, request, pk=None):
        """The quotes side by side: per line each supplier's amount and the cheapest; totals per supplier."""
        result = rfq_comparison(self.get_object())
        return Response({
            "suppliers": [{"partner": item.partner_id, "name": item.partner.name,
                           "total": str(result.totals[item.pk]["total"]),
                           "complete": result.totals[item.pk]["complete"]} for item in result.suppliers],
            "best_supplier": result.best.partner_id if result.best else None,
            "lines": [{"line": row["line"].pk, "product": row["line"].product_id,
                       "quantity": str(row["line"].quantity),
                       "cheapest_supplier": row["cheapest"].partner_id if row["cheapest"] else None,
                       "quotes": [{"supplier": cell["supplier"].partner_id,
                                   "unit_price": str(cell["quote"].unit_price) if cell["quote"] else None,
                                   "discount": str(cell["quote"].discount) if cell["quote"] else None,
                                   "amount": str(cell["amount"]) if cell["amount"] is not None else None,
                                   "cheapest": cell["cheapest"]} for cell in row["cells"]]}
                      for row in result.rows],
        })


def register(router) -> None:
    router.register("rfqs", RfqViewSet, basename="rfq")

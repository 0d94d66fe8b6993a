"""Supplier bills of purchase orders (API.md): `purchasing/orders/{id}/bill/` (the orders viewset mixes in
`BillActionMixin`), `purchasing/bills/` (supplier invoices and credit notes that bill orders, with their
match), `purchasing/bills/{invoice id}/match/` (GET: the three-way match now), `/approve-match/`, `/link/`,
and the payment proposal `purchasing/payment-proposal/` (GET `?due_by=&partner=`) + `pay/` (POST).

A mismatch blocks posting the bill in accounting (409 `bill_mismatch`) until approved here.
"""

from django.db.models import Exists, OuterRef
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.accounting.models import Invoice, InvoiceLine, Journal
from tessera.core.api.base import ApiView, DecimalField, ReadOnlyViewSet, Serializer, idempotent
from tessera.core.errors import ValidationFailed
from tessera.partners.models import Partner

from ..models import BillLine, BillMatch
from ..services.bills import bill_link, order_bill
from ..services.matching import bill_match_approve, match_data
from ..services.proposal import payment_proposal, payment_proposal_pay

MONEY = {"max_digits": 18, "decimal_places": 2}
QUANTITY = {"max_digits": 18, "decimal_places": 4}
PRICE = {"max_digits": 18, "decimal_places": 6}
SUPPLIER_KINDS = ("supplier_invoice", "supplier_credit")


class BillLineSerializer(serializers.ModelSerializer):
    taxes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    order_line = serializers.SerializerMethodField()

    class Meta:
        model = InvoiceLine
        fields = ["id", "sequence", "product", "description", "account", "quantity", "uom", "unit_price", "discount",
                  "taxes", "subtotal", "total_tax", "total", "order_line"]
        read_only_fields = fields

    def get_order_line(self, line) -> int | None:
        link = BillLine.objects.filter(invoice_line=line).first()
        return link.order_line_id if link else None


class BillSerializer(serializers.ModelSerializer):
    lines = BillLineSerializer(many=True, read_only=True)
    match_state = serializers.SerializerMethodField()
    orders = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "company", "kind", "number", "partner", "reference", "date", "due_on", "currency", "state",
                  "total_untaxed", "total_tax", "total", "amount_paid", "credit_note_of", "match_state", "orders",
                  "lines"]
        read_only_fields = fields

    def get_match_state(self, invoice) -> str | None:
        match = BillMatch.objects.filter(invoice=invoice).first()
        return match.state if match else None

    def get_orders(self, invoice) -> list[int]:
        return sorted(set(BillLine.objects.filter(invoice=invoice).values_list("order_line__order_id", flat=True)))


class BillRequestSerializer(Serializer):
    date = serializers.DateField(required=False, help_text=_("The bill's date (default: today)."))
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                      help_text=_("The supplier's invoice number."))


class BillActionMixin:
    """Mixed into the orders viewset: `POST purchasing/orders/{id}/bill/`."""

    @extend_schema(operation_id="purchasing_orders_bill", request=BillRequestSerializer,
                   responses={201: BillSerializer})
    @action(detail=True, methods=["post"], required_permission="purchasing.bill_purchaseorder")
    @idempotent
    def bill(self, request, pk=None):
        """Create the draft supplier invoice for what the order received and has not billed yet; post it in
        accounting (`accounting/invoices/{id}/post/`), where the three-way match guards it."""
        order = self.get_object()
        payload = BillRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invoice = order_bill(actor=request.user, order=order, date=payload.validated_data.get("date"),
                             reference=payload.validated_data.get("reference", ""))
        return Response(BillSerializer(invoice).data, status=status.HTTP_201_CREATED)


# --- the match ------------------------------------------------------------------------------------------

class DifferenceSerializer(Serializer):
    kind = serializers.CharField()
    message = serializers.CharField()
    order_line = serializers.IntegerField(required=False)


class MatchLineSerializer(Serializer):
    invoice_line = serializers.IntegerField()
    order_line = serializers.IntegerField()
    order = serializers.IntegerField()
    order_number = serializers.CharField()
    product = serializers.IntegerField()
    uom = serializers.IntegerField()
    ordered = DecimalField(**QUANTITY)
    received = DecimalField(**QUANTITY, help_text=_("Received less returned."))
    billed_before = DecimalField(**QUANTITY, help_text=_("Billed by other posted bills."))
    billed = DecimalField(**QUANTITY, help_text=_("Billed by this bill (in the order line's unit)."))
    order_price = DecimalField(**PRICE, help_text=_("Net unit price of the order (order currency)."))
    billed_price = DecimalField(**PRICE, help_text=_("Net unit price of the bill (order currency, order unit)."))
    findings = serializers.ListField(child=serializers.CharField())


class MatchSerializer(Serializer):
    invoice = serializers.IntegerField()
    state = serializers.CharField(allow_null=True, help_text=_("matched, mismatch, approved; null: bills no order."))
    differences = DifferenceSerializer(many=True)
    lines = MatchLineSerializer(many=True)
    matched_value = DecimalField(**MONEY, allow_null=True)
    untaxed = DecimalField(**MONEY, allow_null=True)
    approved_by = serializers.IntegerField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    approval_note = serializers.CharField(allow_blank=True)


class ApproveMatchSerializer(Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class LinkItemSerializer(Serializer):
    invoice_line = serializers.IntegerField()
    order_line = serializers.IntegerField(allow_null=True)


class LinkSerializer(Serializer):
    links = LinkItemSerializer(many=True)


class BillViewSet(ReadOnlyViewSet):
    """`purchasing/bills/`: supplier invoices and credit notes that bill purchase orders (an item is any
    supplier document: a free-entered bill is linked through `/link/`)."""

    module = "purchasing"
    queryset = Invoice.objects.filter(kind__in=SUPPLIER_KINDS).select_related("partner", "currency")
    serializer_class = BillSerializer
    permission_map = {"list": "purchasing.view_billmatch", "retrieve": "purchasing.view_billmatch"}
    filterset_fields = ["state", "partner", "kind"]
    search_fields = ["number", "reference", "partner__name"]
    ordering_fields = ["date", "number", "id"]
    ordering = ["-date", "-id"]

    def select(self):
        queryset = super().select().prefetch_related("lines__taxes")
        if self.action == "list":
            queryset = queryset.filter(Exists(BillLine.objects.filter(invoice=OuterRef("pk"))))
        return queryset

    @extend_schema(operation_id="purchasing_bills_match", request=None, responses={200: MatchSerializer})
    @action(detail=True, methods=["get"], required_permission="purchasing.view_billmatch")
    def match(self, request, pk=None):
        """The three-way match: per line ordered, received, billed and prices; the findings; the approval."""
        return Response(MatchSerializer(match_data(self.get_object())).data)

    @extend_schema(operation_id="purchasing_bills_approve_match", request=ApproveMatchSerializer,
                   responses={200: MatchSerializer})
    @action(detail=True, methods=["post"], url_path="approve-match", url_name="approve-match",
            required_permission="purchasing.approve_billmatch")
    @idempotent
    def approve_match(self, request, pk=None):
        """Approve the bill's differences as they are (not by the bill's creator); 409 `invalid_state` when
        it matches or is not a draft."""
        invoice = self.get_object()
        payload = ApproveMatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        bill_match_approve(actor=request.user, invoice=invoice, note=payload.validated_data.get("note", ""))
        return Response(MatchSerializer(match_data(invoice)).data)

    @extend_schema(operation_id="purchasing_bills_link", request=LinkSerializer, responses={200: MatchSerializer})
    @action(detail=True, methods=["post"], required_permission="purchasing.add_billline")
    @idempotent
    def link(self, request, pk=None):
        """Tie lines of a draft supplier invoice to order lines: `{"links": [{"invoice_line", "order_line"}]}`
        (`order_line` null removes a link)."""
        invoice = self.get_object()
        payload = LinkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        bill_link(actor=request.user, invoice=invoice, links=[dict(item) for item in payload.validated_data["links"]])
        invoice.refresh_from_db()
        return Response(MatchSerializer(match_data(invoice)).data)


# --- payment proposal -----------------------------------------------------------------------------------

class ProposalQuerySerializer(Serializer):
    due_by = serializers.DateField(required=False, help_text=_("Bills due on or before (default: today)."))
    partner = serializers.IntegerField(required=False)


class ProposalInvoiceSerializer(Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    reference = serializers.CharField()
    date = serializers.DateField()
    due_on = serializers.DateField()
    total = DecimalField(**MONEY)
    residual = DecimalField(**MONEY)


class ProposalRowSerializer(Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    partner_name = serializers.CharField(source="partner.name")
    currency = serializers.CharField(source="currency.code")
    total = DecimalField(**MONEY)
    overdue = DecimalField(**MONEY)
    invoices = ProposalInvoiceSerializer(many=True)


class PaySerializer(Serializer):
    invoices = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    date = serializers.DateField(required=False, help_text=_("Default: today."))
    journal = serializers.IntegerField(help_text=_("A bank or cash journal."))


class PaymentOutSerializer(Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    partner = serializers.IntegerField(source="partner_id")
    date = serializers.DateField()
    amount = DecimalField(**MONEY)
    currency = serializers.CharField(source="currency.code")
    state = serializers.CharField()


class PaymentProposalView(ApiView):
    """`purchasing/payment-proposal/?due_by=&partner=`: open posted supplier bills due by the date, per
    supplier and currency."""

    module = "purchasing"
    required_permission = "accounting.view_invoice"
    model = Invoice

    @extend_schema(operation_id="purchasing_payment_proposal", parameters=[ProposalQuerySerializer],
                   responses={200: ProposalRowSerializer(many=True)})
    def get(self, request):
        query = ProposalQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        partner = None
        if params.get("partner") is not None:
            partner = Partner.objects.filter(company=request.company, pk=params["partner"]).first()
            if partner is None:
                raise ValidationFailed(fields={"partner": [_("Not one of this company's records.")]})
        today = timezone.localdate()
        rows = payment_proposal(company=request.company, due_by=params.get("due_by") or today, partner=partner,
                                today=today)
        return Response({"count": len(rows), "results": ProposalRowSerializer(rows, many=True).data})


class PaymentProposalPayView(ApiView):
    """`POST purchasing/payment-proposal/pay/` `{"invoices": [ids], "journal", "date"}`: one posted outbound
    payment per supplier paying the bills in full (201 with the payments)."""

    module = "purchasing"
    required_permission = "accounting.post_payment"
    model = Invoice

    @extend_schema(operation_id="purchasing_payment_proposal_pay", request=PaySerializer,
                   responses={201: PaymentOutSerializer(many=True)})
    @idempotent
    def post(self, request):
        payload = PaySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        journal = Journal.objects.filter(company=request.company, pk=data["journal"]).first()
        payments = payment_proposal_pay(actor=request.user, company=request.company, invoices=data["invoices"],
                                        date=data.get("date") or timezone.localdate(),
                                        journal=journal.pk if journal else -1)
        return Response({"payments": PaymentOutSerializer(payments, many=True).data}, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("bills", BillViewSet, basename="bill")


urlpatterns = [
    path("payment-proposal/", PaymentProposalView.as_view(), name="payment_proposal"),
    path("payment-proposal/pay/", PaymentProposalPayView.as_view(), name="payment_proposal_pay"),
]

"""Payments (API.md `accounting/payments/`): receipts and disbursements with their `allocations` to invoices,
then `/post/`, `/cancel/` and `/allocate/` (the unallocated remainder of a posted payment, later).

Every write goes through services.payments; a posted payment answers 409 to PATCH and DELETE and is
undone only by `/cancel/` (its entry reversed, its allocations released).
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
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
from tessera.core.api.collaboration import RecordExtrasMixin

from ..models import Payment, PaymentAllocation
from ..models.ledger import MONEY
from ..services.payments import (
    payment_allocate,
    payment_cancel,
    payment_create,
    payment_delete,
    payment_post,
    payment_remainder,
    payment_update,
)
from .invoices import CancelSerializer, VersionedMixin, document_data, version_field

PAYMENT_SERVER_SET_FIELDS = (*SERVER_SET_FIELDS, "exchange_rate", "entry", "posted_at", "unallocated")


class AllocationSerializer(ModelSerializer):
    server_set_fields = ("company", "payment_amount")
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    class Meta:
        model = PaymentAllocation
        fields = ["id", "invoice", "invoice_number", "amount", "payment_amount"]
        read_only_fields = ["payment_amount"]
        extra_kwargs = {
            "amount": {"help_text": _("In the invoice's currency.")},
            "payment_amount": {"help_text": _("The same amount in the payment's currency.")},
        }


class PaymentSerializer(VersionedMixin, ModelSerializer):
    server_set_fields = PAYMENT_SERVER_SET_FIELDS
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    allocations = AllocationSerializer(many=True, required=False, help_text=_(
        "Invoices this payment settles. On PATCH, allocations sent replace all the allocations of the draft."))
    unallocated = serializers.SerializerMethodField(help_text=_(
        "Amount plus write-off less the allocations, in the payment's currency: a prepayment left on the "
        "partner's account once posted."))
    version = version_field()

    class Meta:
        model = Payment
        fields = ["id", "company", "kind", "number", "partner", "partner_name", "journal", "date", "amount",
                  "currency", "currency_code", "exchange_rate", "reference", "description", "writeoff_account",
                  "writeoff_amount", "unallocated", "state", "entry", "posted_at", "version", "allocations"]
        extra_kwargs = {
            "journal": {"help_text": _("A bank or cash journal: its default account is where the money moves.")},
            "currency": {"required": False, "help_text": _(
                "Default: the currency of the journal's account, else the company's.")},
        }
        validators = []

    @extend_schema_field(DecimalField(**MONEY))
    def get_unallocated(self, payment) -> str:
        # The prefetched allocations (with their invoices) serve the list without a query per payment.
        return DecimalField(**MONEY).to_representation(payment_remainder(payment, payment.allocations.all()))


class AllocateSerializer(Serializer):
    allocations = AllocationSerializer(many=True)

    def validate_allocations(self, value):
        if not value:
            raise serializers.ValidationError(_("Allocate to at least one invoice."))
        return value


class PaymentFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text=_("Dated on or after."))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text=_("Dated on or before."))

    class Meta:
        model = Payment
        fields = ["kind", "state", "partner", "journal", "currency"]


class PaymentViewSet(RecordExtrasMixin, RecordViewSet):
    """`accounting/payments/`: money received and paid, with its `allocations` to invoices."""

    module = "accounting"
    queryset = Payment.objects.select_related("partner", "currency").prefetch_related(
        Prefetch("allocations", queryset=PaymentAllocation.objects.select_related("invoice").order_by("pk"))
    )
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    search_fields = ["number", "reference", "partner__name"]
    ordering_fields = ["date", "number", "amount", "id"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        data, allocations, _version = document_data(serializer, "allocations")
        serializer.instance = payment_create(actor=self.request.user, company=self.request.company, data=data,
                                             allocations=allocations or [])

    def perform_update(self, serializer):
        data, allocations, version = document_data(serializer, "allocations")
        serializer.instance = payment_update(actor=self.request.user, payment=serializer.instance, data=data,
                                             allocations=allocations, version=version)

    def perform_destroy(self, instance):
        payment_delete(actor=self.request.user, payment=instance)

    def _answer(self, payment):
        return Response(self.get_serializer(self.get_queryset().get(pk=payment.pk)).data, status=status.HTTP_200_OK)

    @extend_schema(operation_id="accounting_payments_post", request=None, responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"], url_path="post", url_name="post", required_permission="post")
    @idempotent
    def post_payment(self, request, pk=None):
        """Post a draft: its entry moves the money, its allocations settle the invoices (partially paid, paid).
        400 when an allocation exceeds what an invoice still owes or the allocations exceed the amount;
        409 `invalid_state` or `period_closed`."""
        return self._answer(payment_post(actor=request.user, payment=self.get_object()))

    @extend_schema(operation_id="accounting_payments_cancel", request=CancelSerializer,
                   responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel", required_permission="cancel")
    @idempotent
    def cancel_payment(self, request, pk=None):
        """Cancel a draft, or a posted payment: its entry is reversed and the invoices it paid are open again."""
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(payment_cancel(actor=request.user, payment=self.get_object(), **serializer.validated_data))

    @extend_schema(operation_id="accounting_payments_allocate", request=AllocateSerializer,
                   responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"], url_path="allocate", url_name="allocate", required_permission="post")
    @idempotent
    def allocate(self, request, pk=None):
        """Allocate what a posted payment has not yet allocated (a prepayment) to invoices."""
        serializer = AllocateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        allocations = [dict(row) for row in serializer.validated_data["allocations"]]
        return self._answer(payment_allocate(actor=request.user, payment=self.get_object(), allocations=allocations))

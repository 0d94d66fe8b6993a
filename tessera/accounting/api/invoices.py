"""Invoices and credit notes (API.md `accounting/invoices/`): drafts with nested `lines`, then `/post/`,
`/cancel/` and `/credit-note/`; `open/` lists what a partner still owes or is owed (for allocations).

Every write goes through services.invoices; a posted invoice answers 409 to PATCH and DELETE and is
corrected by cancelling it (a settling credit note) or by a credit note of its own.
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
from tessera.core.api.collaboration import RecordExtrasMixin
from tessera.core.selectors import scoped
from tessera.partners.models import Partner

from .. import selectors
from ..models import Invoice, InvoiceLine
from ..models.ledger import MONEY
from ..services.invoices import (
    credit_note_create,
    invoice_cancel,
    invoice_create,
    invoice_delete,
    invoice_post,
    invoice_update,
)

# Computed or set by posting: sending any of them is refused, so a client learns instead of being ignored.
INVOICE_SERVER_SET_FIELDS = (*SERVER_SET_FIELDS, "total_untaxed", "total_tax", "total", "amount_paid", "residual",
                             "exchange_rate", "entry", "posted_at")
LINE_SERVER_SET_FIELDS = ("company", "subtotal", "total_tax", "total")


# --- Serializers shared with payments ----------------------------------------------------------


class VersionedMixin:
    """A draft document's `version`: read with it, sent back on PATCH (409 when someone saved meanwhile)."""

    def validate_version(self, value):
        if self.instance is None:
            raise serializers.ValidationError(_("Send the version only when changing a draft."))
        return value


def version_field():
    return serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved the draft meanwhile."))


class CancelSerializer(Serializer):
    date = serializers.DateField(required=False, help_text=_(
        "Date of the cancelling entry when the document is posted (default: today); it must fall in an open "
        "period."))


class CreditNoteSerializer(Serializer):
    date = serializers.DateField(required=False, help_text=_("Date of the credit note (default: today)."))


def document_data(serializer, children: str) -> tuple[dict, list[dict] | None, int | None]:
    """A document serializer's validated data split into header, child rows (None when not sent) and version."""
    data = dict(serializer.validated_data)
    rows = data.pop(children, None)
    version = data.pop("version", None)
    return data, [dict(row) for row in rows] if rows is not None else None, version


# --- Invoice serializers -----------------------------------------------------------------------


class InvoiceLineSerializer(ModelSerializer):
    server_set_fields = LINE_SERVER_SET_FIELDS

    class Meta:
        model = InvoiceLine
        fields = ["id", "product", "description", "account", "quantity", "uom", "unit_price", "discount", "taxes",
                  "cost_center", "subtotal", "total_tax", "total"]
        extra_kwargs = {
            "taxes": {"help_text": _("Tax ids; an empty list means the line is not taxed. Omitted, the product's "
                                     "default tax applies.")},
            "product": {"help_text": _("Optional: fills the description, account, unit, unit price and taxes "
                                       "that are not sent.")},
            "description": {"required": False},
            "account": {"required": False},
            "unit_price": {"required": False},
        }


class InvoiceSerializer(VersionedMixin, ModelSerializer):
    server_set_fields = INVOICE_SERVER_SET_FIELDS
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    residual = DecimalField(read_only=True, **MONEY, help_text=_("What is still to be paid: total less paid."))
    lines = InvoiceLineSerializer(many=True, required=False, help_text=_(
        "On PATCH, lines sent replace all the lines of the draft."))
    version = version_field()

    class Meta:
        model = Invoice
        fields = ["id", "company", "kind", "number", "partner", "partner_name", "journal", "date", "due_on",
                  "payment_term", "currency", "currency_code", "exchange_rate", "reference", "description",
                  "tax_rounding", "state", "total_untaxed", "total_tax", "total", "amount_paid", "residual", "entry",
                  "credit_note_of", "posted_at", "version", "lines"]
        extra_kwargs = {
            "journal": {"required": False, "help_text": _(
                "Default: the company's first active sales journal (customer documents) or purchase journal.")},
            "currency": {"required": False, "help_text": _("Default: the partner's currency, else the company's.")},
            "payment_term": {"help_text": _("Default: the partner's payment term.")},
        }
        validators = []


class OpenInvoicesQuerySerializer(Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    side = serializers.ChoiceField(choices=[("customer", _("Customer")), ("supplier", _("Supplier"))], help_text=_(
        "customer: customer invoices and credit notes; supplier: supplier invoices and credit notes."))

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["partner"].queryset = scoped(Partner.objects.all(), getattr(request, "company", None))
        return fields


class OpenInvoiceSerializer(ModelSerializer):
    residual = DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Invoice
        fields = ["id", "kind", "number", "partner", "date", "due_on", "currency", "total", "amount_paid", "residual",
                  "state"]
        read_only_fields = fields


# --- Views -------------------------------------------------------------------------------------


class InvoiceFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text=_("Dated on or after."))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text=_("Dated on or before."))
    due_on_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", help_text=_("Due on or after."))
    due_on_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", help_text=_("Due on or before."))

    class Meta:
        model = Invoice
        fields = ["kind", "state", "partner", "journal", "currency", "credit_note_of"]


class InvoiceViewSet(RecordExtrasMixin, RecordViewSet):
    """`accounting/invoices/`: customer and supplier invoices and credit notes with their `lines`."""

    module = "accounting"
    queryset = Invoice.objects.select_related("partner", "currency").prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.prefetch_related("taxes").order_by("sequence", "pk"))
    )
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    search_fields = ["number", "reference", "partner__name"]
    ordering_fields = ["date", "due_on", "number", "total", "id"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        data, lines, _version = document_data(serializer, "lines")
        serializer.instance = invoice_create(actor=self.request.user, company=self.request.company, data=data,
                                             lines=lines or [])

    def perform_update(self, serializer):
        data, lines, version = document_data(serializer, "lines")
        serializer.instance = invoice_update(actor=self.request.user, invoice=serializer.instance, data=data,
                                             lines=lines, version=version)

    def perform_destroy(self, instance):
        invoice_delete(actor=self.request.user, invoice=instance)

    def _answer(self, invoice, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=invoice.pk)).data, status=status_code)

    @extend_schema(operation_id="accounting_invoices_post", request=None, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"], url_path="post", url_name="post", required_permission="post")
    @idempotent
    def post_invoice(self, request, pk=None):
        """Post a draft: it takes its number, due date and exchange rate, and its journal entry is posted.
        409 `invalid_state` (not a draft) or `period_closed`."""
        return self._answer(invoice_post(actor=request.user, invoice=self.get_object()))

    @extend_schema(operation_id="accounting_invoices_cancel", request=CancelSerializer,
                   responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel", required_permission="cancel")
    @idempotent
    def cancel_invoice(self, request, pk=None):
        """Cancel a draft, or a posted invoice nothing has been paid on (a credit note settles it).
        409 `invalid_state` once it is partly or fully paid."""
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(invoice_cancel(actor=request.user, invoice=self.get_object(), **serializer.validated_data))

    @extend_schema(operation_id="accounting_invoices_credit_note", request=CreditNoteSerializer,
                   responses={201: InvoiceSerializer})
    @action(detail=True, methods=["post"], url_path="credit-note", url_name="credit-note", required_permission="add")
    @idempotent
    def credit_note(self, request, pk=None):
        """Create a draft credit note copying a posted invoice's lines, linked by `credit_note_of`, and answer
        with it. 409 `invalid_state` for a draft, a cancelled invoice or a credit note."""
        serializer = CreditNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credit = credit_note_create(actor=request.user, invoice=self.get_object(), **serializer.validated_data)
        return self._answer(credit, status.HTTP_201_CREATED)

    @extend_schema(operation_id="accounting_invoices_open", parameters=[OpenInvoicesQuerySerializer],
                   responses={200: OpenInvoiceSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="open", url_name="open", required_permission="view",
            filter_backends=[], serializer_class=OpenInvoiceSerializer)
    def open_invoices(self, request):
        """Posted and partly paid invoices and credit notes of a partner with something left to pay
        (`residual`), oldest due first: what a payment can be allocated to. 400 without `partner` and `side`."""
        query = OpenInvoicesQuerySerializer(
            data={name: request.query_params[name] for name in ("partner", "side") if name in request.query_params},
            context={"request": request},
        )
        query.is_valid(raise_exception=True)
        invoices = selectors.open_invoices(request.company, query.validated_data["partner"],
                                           query.validated_data["side"])
        page = self.paginate_queryset(invoices)
        return self.get_paginated_response(OpenInvoiceSerializer(page, many=True).data)

"""Exchange revaluations (`accounting/revaluations/`): period-end revaluation of open foreign-currency
balances at the closing rate (services/revaluation.py).

- `GET revaluations/`, `GET revaluations/{id}/` (with its `lines`), filters `state`, `date_from`, `date_to`;
- `GET revaluations/preview/?date=YYYY-MM-DD`: the lines a revaluation on that date would post, nothing
  written;
- `POST revaluations/` `{"date": "YYYY-MM-DD"}`: revalues and posts (entry dated `date`, its reversal the
  next day) in one step; `Idempotency-Key` supported; 400 (bad date, no closing rate), 409
  `revaluation_exists`, `period_closed`, `nothing_to_revalue`;
- `POST revaluations/{id}/cancel/`: undoes it in the ledger (409 `invalid_state`, `period_closed`).
Posting and cancelling need `accounting.post_revaluation`; reading `accounting.view_revaluation`.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import DecimalField, ModelSerializer, ReadOnlyViewSet, Serializer, idempotent

from ..models import Revaluation, RevaluationLine
from ..models.documents import RATE
from ..models.ledger import MONEY
from ..services.revaluation import revaluation_cancel, revaluation_post, revaluation_preview


class RevaluationLineSerializer(ModelSerializer):
    account_code = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True, default=None)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True, default=None)
    currency_code = serializers.CharField(source="currency.code", read_only=True)

    class Meta:
        model = RevaluationLine
        fields = ["id", "account", "account_code", "account_name", "partner", "partner_name", "invoice",
                  "invoice_number", "currency", "currency_code", "amount_currency", "carrying_amount", "rate",
                  "revalued_amount", "difference"]
        read_only_fields = fields
        extra_kwargs = {
            "amount_currency": {"help_text": _("Open amount in the currency, signed as the ledger (debit positive).")},
            "carrying_amount": {"help_text": _("What the books carried in base currency before the revaluation.")},
            "revalued_amount": {"help_text": _("The open amount at the closing rate, rounded to the cent.")},
            "difference": {"help_text": _("Revalued less carrying: above zero a gain, below zero a loss.")},
        }


class RevaluationSerializer(ModelSerializer):
    entry_number = serializers.CharField(source="entry.number", read_only=True, default=None)
    reversal_entry_number = serializers.CharField(source="reversal_entry.number", read_only=True, default=None)
    lines = RevaluationLineSerializer(many=True, read_only=True)

    class Meta:
        model = Revaluation
        fields = ["id", "company", "date", "state", "total_gain", "total_loss", "entry", "entry_number",
                  "reversal_entry", "reversal_entry_number", "created_at", "created_by", "lines"]
        read_only_fields = fields


class RevaluationCreateSerializer(Serializer):
    date = serializers.DateField(help_text=_("The revaluation date: balances on it are revalued at its closing "
                                             "rate; the reversing entry is dated the next day."))


class RevaluationPreviewQuerySerializer(Serializer):
    date = serializers.DateField(help_text=_("The revaluation date."))


class RevaluationPreviewLineSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    account_code = serializers.CharField(source="account.code")
    account_name = serializers.CharField(source="account.name")
    partner = serializers.IntegerField(source="partner.pk", default=None)
    partner_name = serializers.CharField(source="partner.name", default=None)
    invoice = serializers.IntegerField(source="invoice.pk", default=None)
    invoice_number = serializers.CharField(source="invoice.number", default=None)
    currency = serializers.IntegerField(source="currency.pk")
    currency_code = serializers.CharField(source="currency.code")
    amount_currency = DecimalField(**MONEY)
    carrying_amount = DecimalField(**MONEY)
    rate = DecimalField(**RATE)
    revalued_amount = DecimalField(**MONEY)
    difference = DecimalField(**MONEY)


class RevaluationPreviewSerializer(serializers.Serializer):
    date = serializers.DateField()
    rates = serializers.DictField(child=DecimalField(**RATE), help_text=_("Closing rate per currency code."))
    lines = RevaluationPreviewLineSerializer(many=True)
    total_carrying = DecimalField(**MONEY)
    total_revalued = DecimalField(**MONEY)
    total_gain = DecimalField(**MONEY)
    total_loss = DecimalField(**MONEY)
    net = DecimalField(**MONEY, help_text=_("Gain less loss."))


class RevaluationFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text=_("Dated on or after."))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text=_("Dated on or before."))

    class Meta:
        model = Revaluation
        fields = ["state"]


class RevaluationViewSet(ReadOnlyViewSet):
    """`accounting/revaluations/`: period-end revaluations of foreign-currency balances."""

    module = "accounting"
    queryset = Revaluation.objects.select_related("entry", "reversal_entry").prefetch_related(
        Prefetch("lines", queryset=RevaluationLine.objects.select_related(
            "account", "partner", "invoice", "currency").order_by("pk")))
    serializer_class = RevaluationSerializer
    filterset_class = RevaluationFilter
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]
    permission_map = {"create": "post"}

    def _answer(self, revaluation, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=revaluation.pk)).data, status=code)

    @extend_schema(operation_id="accounting_revaluations_create", request=RevaluationCreateSerializer,
                   responses={201: RevaluationSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        """Revalue the open foreign-currency balances at the closing rate of `date` and post the entry and its
        reversal. 400 for a bad date or a missing rate; 409 `revaluation_exists`, `period_closed`,
        `nothing_to_revalue`."""
        serializer = RevaluationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revaluation = revaluation_post(actor=request.user, company=request.company,
                                       date=serializer.validated_data["date"])
        return self._answer(revaluation, status.HTTP_201_CREATED)

    @extend_schema(operation_id="accounting_revaluations_preview", parameters=[RevaluationPreviewQuerySerializer],
                   responses={200: RevaluationPreviewSerializer})
    @action(detail=False, methods=["get"], url_path="preview", url_name="preview", required_permission="view",
            filter_backends=[], pagination_class=None)
    def preview(self, request):
        """The lines a revaluation on `date` would post, with the closing rates and totals; writes nothing.
        400 without a valid `date` or when a currency has no rate on or before it."""
        query = RevaluationPreviewQuerySerializer(data={"date": request.query_params.get("date", "")})
        query.is_valid(raise_exception=True)
        preview = revaluation_preview(company=request.company, date=query.validated_data["date"])
        return Response(RevaluationPreviewSerializer(preview).data)

    @extend_schema(operation_id="accounting_revaluations_cancel", request=None,
                   responses={200: RevaluationSerializer})
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel", required_permission="post")
    @idempotent
    def cancel(self, request, pk=None):
        """Undo a posted revaluation while the period of its date is open: its entry is mirrored on its date
        and its reversal reversed on the next day. 409 `invalid_state` or `period_closed`."""
        return self._answer(revaluation_cancel(actor=request.user, revaluation=self.get_object()))

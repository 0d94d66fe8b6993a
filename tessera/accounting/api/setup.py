"""Ledger set-up: accounts, journals, taxes, cost centres, fiscal years and periods."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import ReadOnlyViewSet, RecordViewSet, idempotent

from ..models import Account, CostCenter, FiscalYear, Journal, Period, Tax
from ..services.accounts import account_create, account_delete, account_update
from ..services.periods import fiscal_year_create, period_close, period_reopen
from ..services.yearend import fiscal_year_close, fiscal_year_reopen
from .serializers import (
    AccountSerializer,
    CostCenterSerializer,
    FiscalYearCreateSerializer,
    FiscalYearSerializer,
    JournalSerializer,
    PeriodSerializer,
    TaxSerializer,
)


class AccountViewSet(RecordViewSet):
    """`accounting/accounts/`: the chart of accounts as a tree (`parent`); only leaves take postings.

    An account with postings is never deleted (409) and keeps its type.
    """

    module = "accounting"
    queryset = Account.objects.all()
    serializer_class = AccountSerializer
    filterset_fields = {"type": ["exact"], "role": ["exact"], "parent": ["exact", "isnull"],
                        "is_reconcilable": ["exact"], "is_active": ["exact"], "currency": ["exact"]}
    search_fields = ["code", "name", "name_en"]
    ordering_fields = ["code", "name", "type"]
    ordering = ["code"]

    def select(self):
        return Account.objects.annotate(has_children=Exists(Account.objects.filter(parent=OuterRef("pk"))))

    def perform_create(self, serializer):
        serializer.instance = account_create(actor=self.request.user, company=self.request.company,
                                             data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = account_update(actor=self.request.user, account=serializer.instance,
                                             data=dict(serializer.validated_data), company=self.request.company)

    def perform_destroy(self, instance):
        account_delete(actor=self.request.user, account=instance, company=self.request.company)


class JournalViewSet(RecordViewSet):
    """`accounting/journals/`: the books entries are written in, and how their vouchers are numbered."""

    module = "accounting"
    queryset = Journal.objects.all()
    serializer_class = JournalSerializer
    filterset_fields = ["kind", "is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class TaxViewSet(RecordViewSet):
    """`accounting/taxes/`: VAT rates (`rate` in percent) and the accounts they post to."""

    module = "accounting"
    queryset = Tax.objects.all()
    serializer_class = TaxSerializer
    filterset_fields = ["kind", "price_included", "is_exempt", "is_active"]
    search_fields = ["name"]
    ordering_fields = ["name", "rate", "kind"]
    ordering = ["kind", "-rate", "name"]


class CostCenterViewSet(RecordViewSet):
    """`accounting/cost-centers/`: where costs and revenues belong inside the company."""

    module = "accounting"
    queryset = CostCenter.objects.all()
    serializer_class = CostCenterSerializer
    filterset_fields = ["is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class FiscalYearViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """`accounting/fiscal-years/`: POST `{"year": 2027}` opens a year with its monthly periods;
    `/close/` carries profit and loss to retained earnings, `/reopen/` undoes a close."""

    module = "accounting"
    queryset = FiscalYear.objects.all()
    serializer_class = FiscalYearSerializer
    filterset_fields = ["state"]
    ordering_fields = ["start_on"]
    ordering = ["start_on"]

    @extend_schema(request=FiscalYearCreateSerializer, responses={201: FiscalYearSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = FiscalYearCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fiscal_year = fiscal_year_create(actor=request.user, company=request.company,
                                         year=serializer.validated_data["year"])
        return Response(FiscalYearSerializer(fiscal_year).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: FiscalYearSerializer})
    @action(detail=True, methods=["post"], required_permission="close")
    @idempotent
    def close(self, request, pk=None):
        """Close the year: the closing entry carries profit and loss to retained earnings (本年利润 → 利润分配).
        409 `invalid_state` while an earlier year or a period other than the last is open, or drafts remain."""
        fiscal_year = fiscal_year_close(actor=request.user, fiscal_year=self.get_object())
        return Response(FiscalYearSerializer(fiscal_year).data)

    @extend_schema(request=None, responses={200: FiscalYearSerializer})
    @action(detail=True, methods=["post"], required_permission="reopen")
    @idempotent
    def reopen(self, request, pk=None):
        """Reopen the latest closed year: its closing entry is reversed, its last period reopened."""
        fiscal_year = fiscal_year_reopen(actor=request.user, fiscal_year=self.get_object())
        return Response(FiscalYearSerializer(fiscal_year).data)


class PeriodFilter(django_filters.FilterSet):
    date = django_filters.DateFilter(method="filter_date", help_text=_("The period containing this date."))

    class Meta:
        model = Period
        fields = ["fiscal_year", "state"]

    def filter_date(self, queryset, name, value):
        return queryset.filter(start_on__lte=value, end_on__gte=value)


class PeriodViewSet(ReadOnlyViewSet):
    """`accounting/periods/`: the months of the fiscal years; `/close/` stops postings, `/reopen/` allows them."""

    module = "accounting"
    queryset = Period.objects.all()
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["start_on"]
    ordering = ["start_on"]

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"], required_permission="close")
    @idempotent
    def close(self, request, pk=None):
        return Response(PeriodSerializer(period_close(actor=request.user, period=self.get_object())).data)

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"], required_permission="reopen")
    @idempotent
    def reopen(self, request, pk=None):
        return Response(PeriodSerializer(period_reopen(actor=request.user, period=self.get_object())).data)

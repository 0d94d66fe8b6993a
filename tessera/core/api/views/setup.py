"""Set-up: companies and their modules, currencies, exchange rates, numbering sequences."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from ...menu import ordered
from ...models import Company, Currency, ExchangeRate, Sequence
from ...selectors import company_list
from ...services.companies import active_module_codes, company_create, company_module_set, company_update
from ...services.currency import currency_rate, exchange_rate_set
from ..base import RecordViewSet, idempotent
from ..serializers import (
    CompanyModuleSerializer,
    CompanySerializer,
    CurrencySerializer,
    ExchangeRateSerializer,
    RateLookupQuerySerializer,
    RateLookupSerializer,
    SequenceSerializer,
)


def _modules_of(company: Company) -> list[dict]:
    active = active_module_codes(company)
    return [
        {"module": module.code, "name": str(module.name), "is_active": module.code in active,
         "always_on": module.always_on}
        for module in ordered()
    ]


class CompanyViewSet(RecordViewSet):
    """`core/companies/`: only the companies the user may work in; created and changed through services."""

    module = "core"
    queryset = Company.objects.all()
    serializer_class = CompanySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active", "country", "code"]
    search_fields = ["code", "name", "tax_id"]
    ordering_fields = ["code", "name", "created_at"]

    def select(self):
        return company_list(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        modules = data.pop("modules", [])
        serializer.instance = company_create(actor=self.request.user, data=data, modules=modules)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("modules", None)
        serializer.instance = company_update(actor=self.request.user, company=serializer.instance, data=data)

    @extend_schema(methods=["GET"], request=None, responses={200: CompanyModuleSerializer(many=True)})
    @extend_schema(methods=["POST"], request=CompanyModuleSerializer, responses={200: CompanyModuleSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[],
            required_permission={"GET": "core.view_companymodule", "POST": "core.change_companymodule"})
    def modules(self, request, pk=None):
        """The modules of a company with whether each is live; POST switches one on or off."""
        company = self.get_object()
        if request.method == "GET":
            return Response(_modules_of(company))
        return self._module_set(request, company)

    @idempotent
    def _module_set(self, request, company):
        serializer = CompanyModuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        company_module_set(actor=request.user, company=company, module=serializer.validated_data["module"],
                           is_active=serializer.validated_data["is_active"])
        row = next(item for item in _modules_of(company) if item["module"] == serializer.validated_data["module"])
        return Response(row)


class CurrencyViewSet(RecordViewSet):
    """`core/currencies/`: ISO 4217 currencies (seeded) and their rounding."""

    module = "core"
    queryset = Currency.objects.all()
    serializer_class = CurrencySerializer
    filterset_fields = ["code", "is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]


class ExchangeRateViewSet(RecordViewSet):
    """`core/exchange-rates/`: rates by day; posting a rate for a day that has one corrects it."""

    module = "core"
    queryset = ExchangeRate.objects.select_related("currency", "quote_currency")
    serializer_class = ExchangeRateSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    filterset_fields = {"currency": ["exact"], "quote_currency": ["exact"], "rate_on": ["exact", "gte", "lte"]}
    search_fields = ["currency__code", "quote_currency__code"]
    ordering_fields = ["rate_on", "rate"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = exchange_rate_set(
            actor=self.request.user,
            currency=data["currency"],
            quote=data["quote_currency"],
            on=data["rate_on"],
            rate=data["rate"],
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("currency", str, required=True, description="ISO code, e.g. USD"),
            OpenApiParameter("quote", str, required=True, description="ISO code, e.g. CNY"),
            OpenApiParameter("date", str, required=True, description="YYYY-MM-DD"),
        ],
        responses={200: RateLookupSerializer},
    )
    @action(detail=False, methods=["get"], required_permission="view", filter_backends=[], pagination_class=None)
    def lookup(self, request):
        """The rate in force on a day: the latest on or before it (inverse rates are used too)."""
        query = RateLookupQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        currency, quote, day = (query.validated_data[name] for name in ("currency", "quote", "date"))
        rate = currency_rate(currency=currency, quote=quote, on=day)
        return Response(
            RateLookupSerializer({"currency": currency.code, "quote": quote.code, "date": day, "rate": rate}).data,
            status=status.HTTP_200_OK,
        )


class SequenceViewSet(RecordViewSet):
    """`core/sequences/`: how the request's company numbers each document type."""

    module = "core"
    queryset = Sequence.objects.select_related("company")
    serializer_class = SequenceSerializer
    filterset_fields = ["code", "reset"]
    search_fields = ["code", "name", "prefix"]
    ordering_fields = ["code", "name"]

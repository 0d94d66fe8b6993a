"""Supplier prices (API.md `purchasing/price-lists/`, with `quote/` giving the price an order line would
take) and the company's purchase settings (`purchasing/settings/`: GET and PATCH)."""

import datetime

import django_filters
from django.urls import path
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import ApiView, RecordViewSet
from tessera.core.errors import ValidationFailed
from tessera.partners.models import Partner
from tessera.products.models import Product, Uom

from ..models import SupplierPrice
from ..services.prices import (
    pk_of,
    supplier_price_create,
    supplier_price_delete,
    supplier_price_for,
    supplier_price_update,
)
from ..services.settings import purchase_settings, purchase_settings_update
from .serializers_orders import PriceQuoteSerializer, PurchaseSettingsSerializer, SupplierPriceSerializer


class SupplierPriceFilter(django_filters.FilterSet):
    class Meta:
        model = SupplierPrice
        fields = ["partner", "product", "currency", "is_active"]


def _ids(data: dict) -> dict:
    return {key: getattr(value, "pk", value) for key, value in data.items()}


class SupplierPriceViewSet(RecordViewSet):
    """`purchasing/price-lists/`: supplier prices with quantity breaks, validity and currency."""

    module = "purchasing"
    queryset = SupplierPrice.objects.select_related("partner", "product", "uom", "currency")
    serializer_class = SupplierPriceSerializer
    filterset_class = SupplierPriceFilter
    search_fields = ["partner__name", "partner__code", "product__sku", "product__name", "supplier_sku"]
    ordering_fields = ["product", "partner", "min_quantity", "price", "valid_from", "id"]
    ordering = ["product", "partner", "min_quantity"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = supplier_price_create(actor=self.request.user, company=self.request.company,
                                                    data=_ids(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = supplier_price_update(actor=self.request.user, price=serializer.instance,
                                                    data=_ids(serializer.validated_data))

    def perform_destroy(self, instance):
        supplier_price_delete(actor=self.request.user, price=instance)

    @extend_schema(operation_id="purchasing_price_lists_quote", responses={200: PriceQuoteSerializer}, parameters=[
        OpenApiParameter("partner", int), OpenApiParameter("product", int), OpenApiParameter("quantity", str),
        OpenApiParameter("uom", int, required=False), OpenApiParameter("date", datetime.date, required=False),
        OpenApiParameter("currency", str, required=False)])
    @action(detail=False, methods=["get"], required_permission="view")
    def quote(self, request):
        """The price an order line would take: `?partner=&product=&quantity=&uom=&date=&currency=` (every field
        null when the supplier has no valid price)."""
        company, params, errors = request.company, request.query_params, {}
        partner = Partner.objects.filter(company=company, pk=pk_of(params.get("partner"))).first()
        product = Product.objects.filter(company=company, pk=pk_of(params.get("product"))).select_related(
            "uom", "purchase_uom").first()
        if partner is None:
            errors["partner"] = [_("Choose one of this company's suppliers.")]
        if product is None:
            errors["product"] = [_("Choose one of this company's products.")]
        if errors:
            raise ValidationFailed(fields=errors)
        uom = Uom.objects.filter(pk=pk_of(params.get("uom")), category_id=product.uom.category_id).first() \
            or product.purchase_uom or product.uom
        on = parse_date(params.get("date") or "") or datetime.date.today()
        currency = None
        if params.get("currency"):
            from tessera.core.models import Currency

            currency = Currency.objects.filter(code=params["currency"].upper()).first()
        found = supplier_price_for(company=company, partner=partner, product=product,
                                   quantity=params.get("quantity") or "1", uom=uom, on=on, currency=currency)
        if found is None:
            return Response({"price": None, "unit_price": None, "discount": None, "currency": None, "source": ""})
        return Response(PriceQuoteSerializer(found).data)


class PurchaseSettingsView(ApiView):
    """`purchasing/settings/`: the company's tolerances and price difference account (GET, PATCH)."""

    module = "purchasing"
    required_permission = {"GET": "purchasing.view_purchasesettings", "PATCH": "purchasing.change_purchasesettings"}
    serializer_class = PurchaseSettingsSerializer

    @extend_schema(operation_id="purchasing_settings_retrieve", responses={200: PurchaseSettingsSerializer})
    def get(self, request):
        return Response(PurchaseSettingsSerializer(purchase_settings(request.company)).data)

    @extend_schema(operation_id="purchasing_settings_update", request=PurchaseSettingsSerializer,
                   responses={200: PurchaseSettingsSerializer})
    def patch(self, request):
        serializer = PurchaseSettingsSerializer(purchase_settings(request.company), data=request.data, partial=True,
                                                context={"request": request})
        serializer.is_valid(raise_exception=True)
        settings = purchase_settings_update(actor=request.user, company=request.company,
                                            data=_ids(serializer.validated_data))
        return Response(PurchaseSettingsSerializer(settings).data)


def register(router) -> None:
    router.register("price-lists", SupplierPriceViewSet, basename="supplierprice")


urlpatterns = [path("settings/", PurchaseSettingsView.as_view(), name="purchase_settings")]

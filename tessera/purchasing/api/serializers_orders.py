"""Serializers of purchase orders, supplier prices and purchase settings (API.md field names)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.base import SERVER_SET_FIELDS, ModelSerializer, Serializer

from ..models import PurchaseOrder, PurchaseOrderLine, PurchaseSettings, SupplierPrice


class OrderLineSerializer(ModelSerializer):
    server_set_fields = ("company", "price_source", "subtotal", "total_tax", "total", "quantity_received",
                         "quantity_billed", "quantity_returned", "sequence")
    id = serializers.IntegerField(required=False, help_text=_(
        "On PATCH: the id of an existing line to change; lines not listed are deleted."))
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = ["id", "sequence", "product", "product_sku", "description", "quantity", "uom", "unit_price",
                  "discount", "taxes", "expected_on", "price_source", "subtotal", "total_tax", "total",
                  "quantity_received", "quantity_billed", "quantity_returned"]
        read_only_fields = ["sequence", "price_source", "subtotal", "total_tax", "total", "quantity_received",
                            "quantity_billed", "quantity_returned"]
        extra_kwargs = {
            "description": {"required": False, "help_text": _("Default: the product's name.")},
            "uom": {"required": False, "help_text": _("Default: the product's purchase unit, else its unit.")},
            "unit_price": {"required": False, "help_text": _(
                "Default: the supplier's price list for the quantity and date, else the standard cost.")},
            "discount": {"required": False},
            "taxes": {"required": False, "help_text": _("Tax ids; default: the product's purchase tax.")},
        }


class OrderSerializer(ModelSerializer):
    server_set_fields = (*SERVER_SET_FIELDS, "total_untaxed", "total_tax", "total", "confirmed_at", "received_at",
                         "rfq")
    lines = OrderLineSerializer(many=True, required=False)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved the order meanwhile."))

    class Meta:
        model = PurchaseOrder
        fields = ["id", "company", "number", "partner", "partner_name", "reference", "date", "expected_on",
                  "warehouse", "currency", "payment_term", "buyer", "rfq", "notes", "state", "total_untaxed",
                  "total_tax", "total", "confirmed_at", "received_at", "version", "lines"]
        read_only_fields = ["rfq", "total_untaxed", "total_tax", "total", "confirmed_at", "received_at"]
        extra_kwargs = {"date": {"required": False}, "warehouse": {"required": False},
                        "currency": {"required": False}}


class DecisionSerializer(Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class SupplierPriceSerializer(ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = SupplierPrice
        fields = ["id", "company", "partner", "partner_name", "product", "product_sku", "supplier_sku", "currency",
                  "uom", "min_quantity", "price", "discount", "valid_from", "valid_to", "lead_days", "is_active"]
        extra_kwargs = {"currency": {"required": False}, "uom": {"required": False}}


class PurchaseSettingsSerializer(ModelSerializer):
    class Meta:
        model = PurchaseSettings
        fields = ["over_receipt_percent", "price_tolerance_percent", "amount_tolerance",
                  "quantity_tolerance_percent", "price_difference_account",
                  "requisition_needs_approval"]


class PriceQuoteSerializer(Serializer):
    price = serializers.IntegerField(source="price.pk")
    unit_price = serializers.DecimalField(max_digits=18, decimal_places=6, coerce_to_string=True)
    discount = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField(source="price.currency_id")
    source = serializers.CharField()

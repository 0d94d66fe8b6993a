"""Serializers of the inventory API (API.md `inventory/warehouses/`, `locations/`, `lots/`, `stock/`, `moves/`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.base import DecimalField, ModelSerializer, Serializer

from ..models import MONEY, QUANTITY, Location, Lot, StockMove, StockMoveLine, Warehouse


class WarehouseSerializer(ModelSerializer):
    class Meta:
        model = Warehouse
        fields = ["id", "company", "code", "name", "address", "allow_negative_stock", "view_location",
                  "stock_location", "is_active"]
        read_only_fields = ["view_location", "is_active"]
        validators = []  # (company, code) is unique: the service checks it with the company set
        extra_kwargs = {
            "code": {"help_text": _("Upper-case, no spaces; the root location of the warehouse is named after it.")},
            "stock_location": {"required": False, "help_text": _(
                "Where goods are received and picked by default: created as “<CODE>/Stock”; on PATCH, an active "
                "internal location of this warehouse.")},
        }


class LocationSerializer(ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "company", "name", "full_name", "parent", "warehouse", "usage", "barcode", "is_active"]
        read_only_fields = ["full_name", "warehouse"]
        validators = []
        extra_kwargs = {
            "parent": {"help_text": _("Its warehouse and full name come from the parent; an internal location "
                                      "needs a parent in a warehouse.")},
            "usage": {"required": False, "help_text": _("Default: internal.")},
        }


class LotSerializer(ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "company", "product", "product_sku", "name", "expiry_on", "notes", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class MoveLineSerializer(ModelSerializer):
    class Meta:
        model = StockMoveLine
        fields = ["id", "location", "location_dest", "lot", "quantity", "is_done", "date"]
        read_only_fields = fields


class MoveSerializer(ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    location_name = serializers.CharField(source="location.full_name", read_only=True)
    location_dest_name = serializers.CharField(source="location_dest.full_name", read_only=True)
    lines = MoveLineSerializer(many=True, read_only=True)

    class Meta:
        model = StockMove
        fields = ["id", "company", "reference", "source", "description", "product", "product_sku", "quantity", "uom",
                  "product_quantity", "reserved_quantity", "location", "location_name", "location_dest",
                  "location_dest_name", "lot", "partner", "date", "state", "unit_cost", "value", "entry",
                  "origin_move", "done_at", "done_by", "lines"]
        read_only_fields = fields


class StockRowSerializer(Serializer):
    product = serializers.IntegerField(allow_null=True)
    warehouse = serializers.IntegerField(allow_null=True)
    location = serializers.IntegerField(allow_null=True)
    lot = serializers.IntegerField(allow_null=True)
    on_hand = DecimalField(**QUANTITY)
    reserved = DecimalField(**QUANTITY)
    available = DecimalField(**QUANTITY)
    value = DecimalField(**MONEY)


class StockQuerySerializer(Serializer):
    product = serializers.IntegerField(required=False)
    warehouse = serializers.IntegerField(required=False)
    location = serializers.IntegerField(required=False)
    lot = serializers.IntegerField(required=False)
    group_by = serializers.CharField(required=False, help_text=_(
        "Comma-separated: product, warehouse, location, lot (default product,warehouse)."))
    page = serializers.IntegerField(required=False)
    page_size = serializers.IntegerField(required=False)

    def validate_group_by(self, value):
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in ("product", "warehouse", "location", "lot")]
        if unknown or not names:
            raise serializers.ValidationError(_("Group by any of product, warehouse, location, lot."))
        return tuple(names)


class TraceLineSerializer(ModelSerializer):
    reference = serializers.CharField(source="move.reference", read_only=True)
    source = serializers.CharField(source="move.source", read_only=True)
    partner = serializers.IntegerField(source="move.partner_id", read_only=True, allow_null=True)
    location_name = serializers.CharField(source="location.full_name", read_only=True)
    location_dest_name = serializers.CharField(source="location_dest.full_name", read_only=True)

    class Meta:
        model = StockMoveLine
        fields = ["id", "move", "date", "reference", "source", "partner", "location", "location_name",
                  "location_dest", "location_dest_name", "quantity"]
        read_only_fields = fields


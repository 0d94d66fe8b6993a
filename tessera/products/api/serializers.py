"""Serializers of the products API (API.md `products/`, `products/categories/`, `products/uoms/`)."""

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.base import ModelSerializer, Serializer
from tessera.core.selectors import scoped

from ..models import Product, ProductCategory, Uom, UomCategory
from ..services import category_path, product_costing_method

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "up": ROUND_UP, "down": ROUND_DOWN,
                  "ceiling": ROUND_CEILING, "floor": ROUND_FLOOR}


class UomCategorySerializer(ModelSerializer):
    class Meta:
        model = UomCategory
        fields = ["id", "company", "name", "name_en"]
        validators = []  # (company, name) is unique: the service checks it with the company set


class UomSerializer(ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Uom
        fields = ["id", "company", "category", "category_name", "name", "name_en", "symbol", "ratio", "is_reference",
                  "decimal_places", "is_active"]
        validators = []
        extra_kwargs = {
            "ratio": {"help_text": _("How many reference units one of this unit is: 12 for a box of 12 pieces, "
                                     "0.001 for a gram when the kilogram is the reference.")},
            "decimal_places": {"help_text": _("How finely quantities in this unit may be given (0 for pieces).")},
            "is_reference": {"help_text": _("The first unit of a category is its reference (ratio 1); it stays "
                                            "the reference.")},
        }


class ProductCategorySerializer(ModelSerializer):
    path = serializers.SerializerMethodField(help_text=_("The names from the root down: “Goods / Electronics”."))

    class Meta:
        model = ProductCategory
        fields = ["id", "company", "name", "name_en", "parent", "path", "costing_method", "income_account",
                  "expense_account", "inventory_account", "price_difference_account", "stock_adjustment_account"]
        validators = []
        extra_kwargs = {"costing_method": {"help_text": _("Empty: the parent category's.")}}

    def get_path(self, category) -> str:
        return category_path(category)


class ImageUploadField(serializers.FileField):
    """Written as a multipart file upload (the service checks it is a JPEG, PNG, GIF or WebP picture of at
    most 5 MB); `null` removes the image; read as the image's URL (null without one)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, use_url=True, **kwargs)


class ProductSerializer(ModelSerializer):
    image = ImageUploadField(help_text=_("Upload with multipart/form-data; read as a URL."))
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved the product meanwhile."))
    effective_costing_method = serializers.SerializerMethodField(help_text=_(
        "The costing method used: the product's own, else its category's (or an ancestor's), else average."))

    class Meta:
        model = Product
        fields = ["id", "company", "sku", "name", "name_en", "category", "type", "uom", "purchase_uom", "barcode",
                  "list_price", "standard_cost", "costing_method", "effective_costing_method", "sales_tax",
                  "purchase_tax", "tracking", "is_sold", "is_purchased", "description", "image", "is_active",
                  "version"]
        validators = []  # SKU and barcode are unique per company: the service checks them with the company set
        extra_kwargs = {
            "costing_method": {"help_text": _("Empty: the category's.")},
            "purchase_uom": {"help_text": _("The unit suppliers sell in (a unit of the same category); empty: the "
                                            "unit.")},
            "barcode": {"help_text": _("Unique in the company; EAN-8, UPC-A, EAN-13 and GTIN-14 codes must carry "
                                       "a valid check digit.")},
        }

    def get_effective_costing_method(self, product) -> str:
        return product_costing_method(product).value

    def validate_version(self, value):
        if self.instance is None:
            raise serializers.ValidationError(_("Send the version only when changing a product."))
        return value


class VersionSerializer(Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "The version you read: refused (409) if someone saved the product meanwhile."))


class ConvertQuerySerializer(Serializer):
    """`?quantity=&from=&to=` (`from` is a Python keyword: the fields are declared in get_fields)."""

    def get_fields(self):
        request = self.context.get("request")
        units = scoped(Uom.objects.select_related("category"), getattr(request, "company", None))
        return {
            "quantity": serializers.CharField(help_text=_("A decimal quantity such as 5 or 1.5.")),
            "from": serializers.PrimaryKeyRelatedField(queryset=units, help_text=_("Id of the unit of the quantity.")),
            "to": serializers.PrimaryKeyRelatedField(queryset=units, help_text=_("Id of the unit to express it in.")),
            "rounding": serializers.ChoiceField(
                choices=list(ROUNDING_MODES), required=False,
                help_text=_("Round to the target unit's decimal places (for display) instead of refusing a result "
                            "that does not fit them.")),
        }


class ConvertResultSerializer(Serializer):
    quantity = serializers.CharField(help_text=_("The quantity asked about, as a decimal string."))
    # `from` is a Python keyword too: declared in get_fields.
    to = serializers.IntegerField()
    result = serializers.CharField(help_text=_("The quantity in the target unit, with its decimal places."))

    def get_fields(self):
        fields = super().get_fields()
        return {"quantity": fields["quantity"], "from": serializers.IntegerField(), "to": fields["to"],
                "result": fields["result"]}


class InstallResultSerializer(Serializer):
    categories = serializers.IntegerField(help_text=_("Unit categories created."))
    units = serializers.IntegerField(help_text=_("Units created."))

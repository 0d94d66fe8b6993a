"""Products and their units of measure.

Units belong to a category (count, weight, length, volume, time...); within a category every unit has a
`ratio` to the category's reference unit (reference 1; a box of 12 pieces 12; a gram 0.001 of a kilogram),
so a quantity converts exactly by multiplying by one ratio and dividing by the other. Product categories
form a tree and carry the default accounts and costing method of their products. Accounts and taxes are
referred to by name ("accounting.Account"): master data does not import the accounting app.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned

from .choices import CostingMethod, ProductType, Tracking

PRICE = {"max_digits": 18, "decimal_places": 6}
RATIO = {"max_digits": 20, "decimal_places": 10}


def localized(name: str, name_en: str) -> str:
    """A record's name in the active language: the English name in any language but Chinese when there
    is one, the (usually Chinese) `name` otherwise."""
    if name_en and not (get_language() or "").lower().startswith("zh"):
        return name_en
    return name


class UomCategory(CompanyOwned):
    """A kind of quantity; only units of the same category convert into each other."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("unit category")
        verbose_name_plural = _("unit categories")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="uniq_uom_category_name")]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)


class Uom(CompanyOwned):
    """A unit of measure. `ratio` = how many reference units one of this unit is; `decimal_places` is
    how finely a quantity in this unit may be given (0 for pieces)."""

    category = models.ForeignKey(UomCategory, on_delete=models.PROTECT, related_name="uoms",
                                 verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    symbol = models.CharField(_("symbol"), max_length=20, blank=True)
    ratio = models.DecimalField(_("ratio to the reference unit"), default=Decimal("1"),
                                validators=[MinValueValidator(Decimal("0.0000000001"))], **RATIO)
    is_reference = models.BooleanField(_("reference unit"), default=False)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "category", "ratio", "name"]
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="uniq_uom_name"),
            models.UniqueConstraint(fields=["category"], condition=models.Q(is_reference=True),
                                    name="uniq_uom_reference_per_category",
                                    violation_error_message=_("A unit category has one reference unit.")),
            models.CheckConstraint(condition=models.Q(ratio__gt=0), name="uom_ratio_positive"),
            models.CheckConstraint(condition=~models.Q(is_reference=True) | models.Q(ratio=1),
                                   name="uom_reference_ratio_one",
                                   violation_error_message=_("The reference unit has ratio 1.")),
        ]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def short_name(self) -> str:
        """How a quantity is labelled ("12 件", "12 pcs"): the name in Chinese, else the symbol."""
        if (get_language() or "").lower().startswith("zh"):
            return self.name
        return self.symbol or self.name_en or self.name


class ProductCategory(CompanyOwned):
    """A node of the product category tree. Its accounts and costing method are the defaults of its
    products; an empty one inherits from the parent (see services.category_setting)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent"))
    costing_method = models.CharField(_("costing method"), max_length=10, choices=CostingMethod.choices, blank=True)
    income_account = models.ForeignKey("accounting.Account", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("income account"))
    expense_account = models.ForeignKey("accounting.Account", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("expense account"),
                                        help_text=_("Cost of goods sold for stocked products; the expense of "
                                                    "consumables and services."))
    inventory_account = models.ForeignKey("accounting.Account", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("inventory account"))
    price_difference_account = models.ForeignKey(
        "accounting.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("price difference account"))
    stock_adjustment_account = models.ForeignKey(
        "accounting.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("inventory gain/loss account"))

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [models.UniqueConstraint(fields=["company", "parent", "name"], name="uniq_product_category")]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)


class Product(CompanyOwned):
    """Something bought, sold or stocked. Stock is kept in `uom`; `purchase_uom` (same category) is
    what suppliers sell in. Costing method empty = the category's. `version` guards concurrent edits."""

    sku = models.CharField(_("SKU"), max_length=50, validators=[RegexValidator(r"^\S+$")])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="products",
                                 verbose_name=_("category"))
    type = models.CharField(_("type"), max_length=12, choices=ProductType.choices, default=ProductType.STOCK)
    uom = models.ForeignKey(Uom, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    purchase_uom = models.ForeignKey(Uom, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("purchase unit"))
    barcode = models.CharField(_("barcode"), max_length=50, blank=True)
    list_price = models.DecimalField(_("list price"), default=Decimal("0"),
                                     validators=[MinValueValidator(Decimal("0"))], **PRICE)
    standard_cost = models.DecimalField(_("standard cost"), default=Decimal("0"),
                                        validators=[MinValueValidator(Decimal("0"))], **PRICE)
    costing_method = models.CharField(_("costing method"), max_length=10, choices=CostingMethod.choices, blank=True)
    sales_tax = models.ForeignKey("accounting.Tax", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("sales tax"))
    purchase_tax = models.ForeignKey("accounting.Tax", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("purchase tax"))
    tracking = models.CharField(_("tracking"), max_length=10, choices=Tracking.choices, default=Tracking.NONE)
    is_sold = models.BooleanField(_("can be sold"), default=True)
    is_purchased = models.BooleanField(_("can be purchased"), default=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="products/%Y/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["company", "sku"], name="uniq_product_sku"),
            models.UniqueConstraint(fields=["company", "barcode"], condition=~models.Q(barcode=""),
                                    name="uniq_product_barcode"),
        ]
        indexes = [models.Index(fields=["company", "name"])]

    def __str__(self) -> str:
        return f"[{self.sku}] {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the active language (the English name in an English UI when there is one)."""
        return localized(self.name, self.name_en)

    @property
    def is_stocked(self) -> bool:
        return self.type == ProductType.STOCK

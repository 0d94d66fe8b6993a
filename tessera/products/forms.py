"""Forms of the products screens. They parse input only; the services validate and write.

Choices list only the company's records (active ones, plus the record's current choice); categories are
labelled with their path, units grouped by category, taxes split into sales and purchase taxes, and
accounts limited to the leaf accounts of the types each use accepts.
"""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tessera.core.forms import ServiceModelForm

from .choices import CostingMethod
from .models import Product, ProductCategory, Uom, UomCategory
from .services.categories import ACCOUNT_FIELDS, ACCOUNT_TYPES, category_descendant_ids

IMAGE_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class CompanyForm(ServiceModelForm):
    """Choices of company-owned records list only the company's (active) ones; the record's current choice
    stays selectable even when it was made inactive."""

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            model = queryset.model
            if any(f.name == "company" for f in model._meta.fields):
                queryset = queryset.filter(company=company)
            if any(f.name == "is_active" for f in model._meta.fields):
                keep = Q(is_active=True)
                current = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
                if current:
                    keep |= Q(pk=current)
                queryset = queryset.filter(keep)
            field.queryset = queryset


def category_choices(queryset, company) -> list[tuple]:
    """The categories of `queryset` labelled "商品 / 电子产品" and sorted by that path (one query for the
    company's whole tree)."""
    by_pk = {category.pk: category for category in ProductCategory.objects.filter(company=company)}

    def path(category):
        names, seen = [], set()
        while category is not None and category.pk not in seen:
            names.append(str(category))
            seen.add(category.pk)
            category = by_pk.get(category.parent_id)
        return " / ".join(reversed(names))

    choices = sorted(((pk, path(by_pk[pk])) for pk in queryset.values_list("pk", flat=True) if pk in by_pk),
                     key=lambda choice: choice[1])
    return [("", "---------"), *choices]


def unit_choices(queryset) -> list[tuple]:
    """Units grouped by their category (optgroups), from the smallest ratio; each label has its symbol."""
    groups: dict[str, list] = {}
    for uom in queryset.select_related("category").order_by("category__name", "ratio", "name"):
        label = f"{uom} ({uom.symbol})" if uom.symbol and uom.symbol != str(uom) else str(uom)
        groups.setdefault(str(uom.category), []).append((uom.pk, label))
    return [("", "---------"), *groups.items()]


class ProductForm(CompanyForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Product
        fields = ["sku", "name", "name_en", "category", "type", "uom", "purchase_uom", "barcode", "list_price",
                  "standard_cost", "costing_method", "sales_tax", "purchase_tax", "tracking", "is_sold",
                  "is_purchased", "description", "image", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "barcode": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
            "image": forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
            "uom": forms.Select(attrs={"data-unit-source": "true"}),
            "purchase_uom": forms.Select(attrs={"data-unit-target": "true"}),
        }
        help_texts = {
            "purchase_uom": _("What suppliers sell in (a box of 12, ...): a unit of the same kind as the unit. "
                              "Empty: the unit."),
            "costing_method": _("Empty: the category's."),
            "barcode": _("EAN-13, UPC or an internal code; scan it into this field."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(self.fields["category"].queryset, self.company)
        for name in ("uom", "purchase_uom"):
            self.fields[name].choices = unit_choices(self.fields[name].queryset)
        self.fields["sales_tax"].queryset = self.fields["sales_tax"].queryset.filter(kind="sales")
        self.fields["purchase_tax"].queryset = self.fields["purchase_tax"].queryset.filter(kind="purchase")
        self.fields["costing_method"].choices = [("", _("The category's")), *CostingMethod.choices]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for name in ("list_price", "standard_cost"):
            value = self.initial.get(name)
            if value is not None:
                # 99.00 rather than the stored 99.000000
                places = max(2, -Decimal(value).normalize().as_tuple().exponent)
                self.initial[name] = Decimal(value).quantize(Decimal(1).scaleb(-places))


class ProductCategoryForm(CompanyForm):
    class Meta:
        model = ProductCategory
        fields = ["name", "name_en", "parent", "costing_method", *ACCOUNT_FIELDS]
        help_texts = {"costing_method": _("Empty: the parent category's (moving average at the top).")}
        labels = {"parent": pgettext_lazy("product category", "Parent category")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = self.fields["parent"].queryset
        if self.instance.pk:
            # Not under itself or its sub-categories (the service refuses a cycle all the same).
            parents = parents.exclude(pk__in=category_descendant_ids(self.instance))
        self.fields["parent"].choices = category_choices(parents, self.company)
        self.fields["costing_method"].choices = [("", _("The parent category's")), *CostingMethod.choices]
        for name in ACCOUNT_FIELDS:
            types, _kind = ACCOUNT_TYPES[name]
            field = self.fields[name]
            keep = Q(type__in=types, children__isnull=True)
            current = getattr(self.instance, f"{name}_id", None)
            if current:
                keep |= Q(pk=current)
            field.queryset = field.queryset.filter(keep).distinct().order_by("code")
            field.help_text = _("Empty: the parent category's.")


class UomCategoryForm(CompanyForm):
    class Meta:
        model = UomCategory
        fields = ["name", "name_en"]


class UomForm(CompanyForm):
    class Meta:
        model = Uom
        fields = ["category", "name", "name_en", "symbol", "ratio", "is_reference", "decimal_places", "is_active"]
        help_texts = {
            "ratio": _("How many reference units one of this unit is: 12 for a box of 12 pieces, 0.001 for a "
                       "gram when the kilogram is the reference."),
            "is_reference": _("The first unit of a category is its reference, with ratio 1."),
            "decimal_places": _("How finely a quantity in this unit may be given: 0 for pieces, 3 for kilograms."),
        }

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        if category is not None and not self.instance.pk:
            self.fields["category"].initial = category.pk
        if self.instance.pk:
            self.fields["is_reference"].disabled = True  # it stays the reference (or not) once created

"""Reads of products, product categories and units, scoped to the user's company (PermissionDenied without
the view permission there)."""

from django.db.models import Q, QuerySet

from tessera.core.models import Company
from tessera.core.selectors import model_list

from .models import Product, ProductCategory, Uom, UomCategory
from .services.categories import category_descendant_ids

PRODUCT_SEARCH_FIELDS = ("sku", "name", "name_en", "barcode")


def product_search(queryset: QuerySet[Product], term: str | None) -> QuerySet[Product]:
    """Products whose SKU, name, English name or barcode contains `term` (case ignored)."""
    term = (term or "").strip()
    if not term:
        return queryset
    condition = Q()
    for name in PRODUCT_SEARCH_FIELDS:
        condition |= Q(**{f"{name}__icontains": term})
    return queryset.filter(condition)


def products_in_category(queryset: QuerySet[Product], category: ProductCategory | None) -> QuerySet[Product]:
    """Products of `category` or of any category below it."""
    if category is None:
        return queryset
    return queryset.filter(category_id__in=category_descendant_ids(category))


def product_list(user, company: Company | None, *, search: str | None = None, type: str | None = None,
                 category: ProductCategory | None = None, is_active: bool | None = None) -> QuerySet[Product]:
    """The products of `company`, optionally searched (SKU, name, English name, barcode) and filtered by
    type, category (sub-categories included) and active flag. Raises PermissionDenied without
    products.view_product there."""
    products = model_list(user, Product, company).select_related(
        "category", "uom", "uom__category", "purchase_uom", "sales_tax", "purchase_tax")
    products = product_search(products, search)
    if type:
        products = products.filter(type=type)
    if is_active is not None:
        products = products.filter(is_active=is_active)
    return products_in_category(products, category)


def product_by_barcode(user, company: Company | None, barcode: str) -> Product | None:
    """The product of `company` whose barcode is exactly `barcode` (spaces around it ignored), or None.
    Raises PermissionDenied without products.view_product there."""
    barcode = (barcode or "").strip()
    if not barcode:
        return None
    return product_list(user, company).filter(barcode=barcode).first()


def product_category_list(user, company: Company | None) -> QuerySet[ProductCategory]:
    """The product categories of `company`."""
    return model_list(user, ProductCategory, company).select_related("parent")


def uom_list(user, company: Company | None) -> QuerySet[Uom]:
    """The units of `company`, by category and from the smallest ratio."""
    return model_list(user, Uom, company).select_related("category").order_by("category__name", "ratio", "name")


def uom_category_list(user, company: Company | None) -> QuerySet[UomCategory]:
    """The unit categories of `company`."""
    return model_list(user, UomCategory, company)

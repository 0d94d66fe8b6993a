"""Product categories: a tree per company whose nodes carry the default accounts and costing method of
their products; an empty setting is inherited from the nearest ancestor that has one.

Invariants: a parent belongs to the same company and never makes a cycle; names are unique among
siblings; each account is the company's own, a leaf (only leaves take postings), and of a type that
fits its use (income: income; expense: expense or cost; inventory: asset; price difference: asset,
cost or expense; inventory gain/loss: asset, expense or income). Accounts are read through the foreign
keys (`account.type`, `account.children`): master data does not import the accounting app.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate

from ..choices import CostingMethod
from ..guards import costing_change_check
from ..models import Product, ProductCategory
from .common import changed, delete_unused, in_company, save, values_of

ACCOUNT_FIELDS = ("income_account", "expense_account", "inventory_account", "price_difference_account",
                  "stock_adjustment_account")
CATEGORY_FIELDS = {"name", "name_en", "parent", "costing_method", *ACCOUNT_FIELDS}
INHERITED_FIELDS = ("costing_method", *ACCOUNT_FIELDS)
DEFAULT_COSTING_METHOD = CostingMethod.AVERAGE

# Account types (accounting's AccountType values) each account may have, and how to say so.
ACCOUNT_TYPES = {
    "income_account": ({"income"}, gettext_lazy("an income account")),
    "expense_account": ({"expense", "cost"}, gettext_lazy("an expense or cost account")),
    "inventory_account": ({"asset"}, gettext_lazy("an asset account")),
    "price_difference_account": ({"asset", "cost", "expense"}, gettext_lazy("an asset, cost or expense account")),
    "stock_adjustment_account": ({"asset", "expense", "income"},
                                 gettext_lazy("an asset, expense or income account")),
}


# --- Inheritance ---------------------------------------------------------------------------------


def category_ancestors(category: ProductCategory) -> list[ProductCategory]:
    """The category and its ancestors, nearest first (safe against a cycle made behind Tessera's back)."""
    chain, seen = [], set()
    node = category
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = node.parent
    return chain


def category_setting_origin(category: ProductCategory, field: str) -> tuple[object, ProductCategory | None]:
    """The value of `field` (a costing method or an account) for products of `category` and the
    category it comes from: the category's own, else the nearest ancestor's; (None or "", None) when
    no category of the chain sets it."""
    if field not in INHERITED_FIELDS:
        raise ValueError(f"{field} is not a category setting")
    for node in category_ancestors(category):
        value = getattr(node, field)
        if value not in (None, ""):
            return value, node
    return getattr(category, field), None


def category_setting(category: ProductCategory, field: str):
    """The category's own value of `field`, or the nearest ancestor's (None or "" when none sets it)."""
    return category_setting_origin(category, field)[0]


def category_descendant_ids(category: ProductCategory) -> set[int]:
    """The pks of the category and every category below it (one query over the company's tree)."""
    parents = dict(ProductCategory.objects.filter(company_id=category.company_id).values_list("pk", "parent_id"))
    found, frontier = {category.pk}, {category.pk}
    while frontier:
        frontier = {pk for pk, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def category_path(category: ProductCategory) -> str:
    """"商品 / 电子产品": the names from the root down, in the active language."""
    return " / ".join(str(node) for node in reversed(category_ancestors(category)))


@dataclass(frozen=True)
class Setting:
    """An effective product setting: its value and where it comes from (`category` None: the product's
    own or the default)."""

    value: object
    category: ProductCategory | None
    is_default: bool = False


# --- Validation ----------------------------------------------------------------------------------


def _check_parent(category: ProductCategory) -> None:
    parent = category.parent
    if parent is None:
        return
    if parent.company_id != category.company_id:
        raise ValidationFailed(fields={"parent": [_("Choose one of this company's product categories.")]})
    if category.pk is not None and any(node.pk == category.pk for node in category_ancestors(parent)):
        raise ValidationFailed(fields={"parent": [
            _("A category cannot be placed under itself or one of its sub-categories.")]})


def _check_name(category: ProductCategory) -> None:
    # (company, parent, name) is unique, but NULL parents never collide in the database: check here too.
    taken = ProductCategory.objects.filter(company_id=category.company_id, parent_id=category.parent_id,
                                           name=category.name).exclude(pk=category.pk)
    if category.name and taken.exists():
        raise ValidationFailed(fields={"name": [_("A category named %(name)s exists already at this level.")
                                                % {"name": category.name}]})


def _check_accounts(category: ProductCategory, before: dict) -> None:
    """Accounts newly set must be the company's own active leaf accounts of a fitting type (accounts set
    before are left alone, so a later change of the chart does not block renaming the category)."""
    errors = {}
    for name in ACCOUNT_FIELDS:
        account = getattr(category, name)
        if account is None or not changed(category, before, name):
            continue
        types, kind = ACCOUNT_TYPES[name]
        if account.company_id != category.company_id:
            errors[name] = [_("Choose one of this company's accounts.")]
        elif not account.is_active:
            errors[name] = [_("Account %(account)s is inactive.") % {"account": account}]
        elif account.children.exists():
            errors[name] = [_("Account %(account)s has sub-accounts: choose one of them (only accounts without "
                              "sub-accounts take postings).") % {"account": account}]
        elif account.type not in types:
            errors[name] = [_("Account %(account)s is of type %(type)s: choose %(kind)s.")
                            % {"account": account, "type": account.get_type_display(), "kind": kind}]
    if errors:
        raise ValidationFailed(fields=errors)


def _effective_costing_method(category: ProductCategory) -> str:
    return category_setting(category, "costing_method") or DEFAULT_COSTING_METHOD.value


def inheriting_category_ids(category: ProductCategory) -> set[int]:
    """The category and the categories below it that take their costing method from it (none of the
    categories on the way down sets its own)."""
    rows = ProductCategory.objects.filter(company_id=category.company_id).values_list("pk", "parent_id",
                                                                                      "costing_method")
    children: dict[int, list[tuple[int, str]]] = {}
    for pk, parent_id, method in rows:
        children.setdefault(parent_id, []).append((pk, method))
    found, frontier = {category.pk}, [category.pk]
    while frontier:
        node = frontier.pop()
        for pk, method in children.get(node, []):
            if not method and pk not in found:
                found.add(pk)
                frontier.append(pk)
    return found


def _check_costing_change(category: ProductCategory) -> None:
    """The products whose effective costing method follows the category may change it (no valued stock)."""
    names = dict(Product.objects.filter(category_id__in=inheriting_category_ids(category), costing_method="")
                 .values_list("pk", "sku"))
    costing_change_check(list(names), describe=lambda pk: names[pk])


def _clean(category: ProductCategory, before: dict) -> None:
    category.name = (category.name or "").strip()
    category.name_en = (category.name_en or "").strip()
    _check_parent(category)
    _check_name(category)
    _check_accounts(category, before)
    validate(category)


# --- Services --------------------------------------------------------------------------------------


def product_category_create(*, actor, company: Company, data: dict) -> ProductCategory:
    """A product category in `company` (`data`: name, name_en, parent, costing_method and the accounts).

    Raises PermissionDenied, ValidationFailed (another company's parent or account, a taken name at that
    level, a parent account, an account of the wrong type)."""
    require(actor, "products.add_productcategory", company)
    category = ProductCategory(company=company)
    assign(category, data, CATEGORY_FIELDS)
    with transaction.atomic():
        if category.parent_id:
            # The parent must not move under the new category meanwhile: lock it while checking.
            list(ProductCategory.objects.select_for_update().filter(pk=category.parent_id))
        _clean(category, {})
        save(category, lambda: _check_name(category))
    return category


def product_category_update(*, actor, category: ProductCategory, data: dict,
                            company: Company | None = None) -> ProductCategory:
    """Change a category under a row lock. A new parent must be of the same company and not below the
    category itself; accounts newly chosen are checked as at creation. A change of the costing method its
    products inherit (its own, or through a new parent) is refused while one of those products has stock
    valued with the old method (products.guards). Raises NotFound, PermissionDenied, ValidationFailed."""
    in_company(category, company)
    require(actor, "products.change_productcategory", category.company)
    with transaction.atomic():
        locked = ProductCategory.objects.select_for_update().get(pk=category.pk)
        before = values_of(locked, CATEGORY_FIELDS)
        method_before = _effective_costing_method(locked)
        assign(locked, data, CATEGORY_FIELDS)
        if locked.parent_id != before["parent"] and locked.parent_id:
            # Lock the whole tree of the company: two moves at once could otherwise make a cycle.
            list(ProductCategory.objects.select_for_update().filter(company_id=locked.company_id).order_by("pk"))
        _clean(locked, before)
        if _effective_costing_method(locked) != method_before:
            _check_costing_change(locked)
        save(locked, lambda: _check_name(locked))
    return locked


def product_category_delete(*, actor, category: ProductCategory, company: Company | None = None) -> None:
    """Delete a category without products or sub-categories; otherwise InUse (409), nothing deleted."""
    in_company(category, company)
    require(actor, "products.delete_productcategory", category.company)
    delete_unused(category, _("Category %(category)s has products or sub-categories and cannot be deleted.")
                  % {"category": category})

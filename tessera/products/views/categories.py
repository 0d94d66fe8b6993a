"""Product category screens: the tree (indented, in tree order), a category with its effective settings and
where each comes from, its sub-categories and products; the forms (accounts limited to fitting leaf
accounts); deletion."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tessera.core.views.generic import Column, CreateView, DeleteView, DetailView, ListView, UpdateView, form_data

from .. import services
from ..choices import CostingMethod
from ..forms import ProductCategoryForm
from ..models import ProductCategory
from ..services.categories import ACCOUNT_FIELDS, INHERITED_FIELDS
from .common import CompanyFormKwargs, MasterData

PARENT_LABEL = pgettext_lazy("product category", "Parent category")


class TreeOrder(list):
    """Records in tree order, usable where a queryset is expected by the list (paging, export)."""

    def iterator(self, chunk_size=None):
        return iter(self)


def tree(company) -> tuple[dict[int, int | None], dict[int, int]]:
    """pk -> parent pk, and pk -> depth, of every category of the company (one query)."""
    parents = dict(ProductCategory.objects.filter(company=company).values_list("pk", "parent_id"))
    depths = {}
    for pk in parents:
        depth, node, seen = 0, pk, {pk}
        while parents.get(node) is not None and parents[node] not in seen:
            node = parents[node]
            seen.add(node)
            depth += 1
        depths[pk] = depth
    return parents, depths


class CategoryScreen(MasterData):
    model = ProductCategory

    def get_queryset(self):
        return super().get_queryset().select_related(
            "parent", *ACCOUNT_FIELDS).annotate(product_count=Count("products", distinct=True))


def _costing(category) -> str:
    return category.get_costing_method_display() if category.costing_method else ""


class CategoryListView(CategoryScreen, ListView):
    """The category tree: names indented by depth, each node after its parent."""

    title = gettext_lazy("Product categories")
    template_name = "products/category_list.html"
    table_template = "products/_category_table.html"
    columns = ["name", "name_en", Column("costing_method", value=_costing, sort="costing_method"),
               "income_account", "expense_account", "inventory_account",
               Column("price_difference_account", default=False), Column("stock_adjustment_account", default=False),
               Column("product_count", gettext_lazy("Products"), sort="product_count")]
    search_fields = ["name", "name_en"]
    paginate_by = 1000  # a tree is read whole

    def sort(self, queryset, columns):
        if self.request.GET.get("sort"):
            return super().sort(queryset, columns)
        records = {category.pk: category for category in queryset}
        children: dict[int | None, list] = {}
        for category in records.values():
            parent = category.parent_id if category.parent_id in records else None
            children.setdefault(parent, []).append(category)
        ordered, stack = [], sorted(children.get(None, []), key=lambda c: str(c), reverse=True)
        seen = set()
        while stack:
            node = stack.pop()
            if node.pk in seen:
                continue
            seen.add(node.pk)
            ordered.append(node)
            stack.extend(sorted(children.get(node.pk, []), key=lambda c: str(c), reverse=True))
        return TreeOrder(ordered), ""

    def get_extra_context(self):
        return {"depths": tree(self.company)[1]}


def setting_rows(category) -> list[dict]:
    """Each inherited setting of a category: its effective value and the category it comes from."""
    rows = []
    for field in INHERITED_FIELDS:
        value, origin = services.category_setting_origin(category, field)
        if field == "costing_method":
            value = CostingMethod(value).label if value else _("Moving average (default)")
        rows.append({"label": ProductCategory._meta.get_field(field).verbose_name, "value": value,
                     "origin": origin, "own": origin is not None and origin.pk == category.pk,
                     "is_default": field == "costing_method" and origin is None})
    return rows


class CategoryDetailView(CategoryScreen, DetailView):
    template_name = "products/category_detail.html"
    fields = ["name", "name_en",
              Column("parent", PARENT_LABEL,
                     value=lambda category: services.category_path(category.parent) if category.parent else None),
              Column("product_count", gettext_lazy("Products"))]

    def get_tab_context(self, obj):
        return {
            "settings": setting_rows(obj),
            "children": obj.children.order_by("name"),
            "products_url": f"{reverse('products:product_list')}?category={obj.pk}",
        }

    def get_actions(self, obj):
        actions = super().get_actions(obj)
        if self.can("add"):
            actions.insert(1, {"label": _("New sub-category"),
                               "url": f"{reverse('products:productcategory_create')}?parent={obj.pk}",
                               "method": "get", "style": "outline-secondary"})
        return actions


class CategoryFormMixin(CategoryScreen, CompanyFormKwargs):
    form_class = ProductCategoryForm


class CategoryCreateView(CategoryFormMixin, CreateView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        parent = self.request.GET.get("parent", "")
        if parent.isdigit():
            kwargs["initial"] = {"parent": int(parent)}
        return kwargs

    def perform(self, form):
        return services.product_category_create(actor=self.request.user, company=self.company, data=form_data(form))


class CategoryUpdateView(CategoryFormMixin, UpdateView):
    def perform(self, form):
        return services.product_category_update(actor=self.request.user, category=self.object, data=form_data(form),
                                                company=self.company)


class CategoryDeleteView(CategoryScreen, DeleteView):
    def perform(self, obj):
        services.product_category_delete(actor=self.request.user, category=obj, company=self.company)

"""Product screens: the list (search, barcode scan, filters, export), the detail page with the image and the
effective costing method and accounts, the form (units restricted to one category), deactivation, deletion."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.views.generic import (
    Column,
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    Screen,
    UpdateView,
    YesNoFilter,
    form_data,
)

from .. import services
from ..choices import CostingMethod, ProductType, Tracking
from ..forms import ProductForm, category_choices
from ..models import Product, ProductCategory
from ..selectors import product_by_barcode, products_in_category
from .common import ActionView, CompanyFormKwargs, MasterData, price


def _categories(request):
    company = getattr(request, "company", None)
    return ProductCategory.objects.filter(company=company) if company else ProductCategory.objects.none()


class ProductFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=ProductType.choices, label=gettext_lazy("Type"))
    category = django_filters.ModelChoiceFilter(queryset=_categories, method="filter_category",
                                                label=gettext_lazy("Category"))
    tracking = django_filters.ChoiceFilter(choices=Tracking.choices, label=gettext_lazy("Tracking"))
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Product
        fields = ["type", "category", "tracking", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        field = self.form.fields["category"]
        field.widget.choices = category_choices(field.queryset, getattr(request, "company", None))

    def filter_category(self, queryset, name, value):
        return products_in_category(queryset, value)


class ProductScreen(MasterData):
    model = Product

    def get_queryset(self):
        return super().get_queryset().select_related("category", "uom", "purchase_uom", "sales_tax", "purchase_tax")


def _name(product) -> str:
    return product.display_name


LIST_PRICE = Column("list_price", value=lambda product: price(product.list_price), sort="list_price")


class ProductListView(ProductScreen, ListView):
    template_name = "products/product_list.html"
    columns = [
        "sku", Column("display_name", gettext_lazy("Name"), value=_name, sort="name"),
        Column("name", gettext_lazy("Chinese name"), default=False), Column("name_en", default=False),
        "category", "type", "uom", Column("purchase_uom", default=False), LIST_PRICE,
        Column("standard_cost", value=lambda p: price(p.standard_cost), sort="standard_cost", default=False),
        "barcode", Column("tracking", default=False),
        Column("sales_tax", default=False), Column("purchase_tax", default=False),
        Column("is_sold", default=False), Column("is_purchased", default=False), "is_active",
    ]
    search_fields = ["sku", "name", "name_en", "barcode"]
    filterset_class = ProductFilter
    ordering = ["sku"]


class ProductScanView(ProductScreen, Screen):
    """A scanned (or typed) barcode: straight to the product that has it, else back to the list with a
    message and the code in the search box."""

    def get(self, request, *args, **kwargs):
        barcode = request.GET.get("barcode", "").strip()
        if not barcode:
            return redirect("products:product_list")
        product = product_by_barcode(request.user, self.company, barcode)
        if product is not None:
            return redirect("products:product_detail", product.pk)
        messages.warning(request, _("No product has the barcode %(barcode)s.") % {"barcode": barcode})
        return redirect(f"{reverse('products:product_list')}?{urlencode({'q': barcode})}")


def costing_row(product) -> dict:
    setting = services.product_costing_method(product)
    return {"label": _("Costing method"), "value": CostingMethod(setting.value).label, "category": setting.category,
            "own": setting.category is None and not setting.is_default, "is_default": setting.is_default}


def account_rows(product) -> list[dict]:
    rows = []
    for field, setting in services.product_accounts(product).items():
        rows.append({"label": ProductCategory._meta.get_field(field).verbose_name, "value": setting.value,
                     "category": setting.category})
    return rows


class ProductDetailView(ProductScreen, DetailView):
    template_name = "products/product_detail.html"
    fields = ["sku", "name", "name_en", Column("category", value=lambda p: services.category_path(p.category)),
              "type", "uom", Column("purchase_uom", value=services.product_purchase_uom), "barcode", LIST_PRICE,
              Column("standard_cost", value=lambda p: price(p.standard_cost)), "sales_tax", "purchase_tax",
              "tracking", "is_sold", "is_purchased", "description",
              "is_active"]

    def get_tab_context(self, obj):
        return {"costing": costing_row(obj), "accounts": account_rows(obj)}

    def get_actions(self, obj):
        actions = super().get_actions(obj)
        if self.can("change"):
            kind = "deactivate" if obj.is_active else "activate"
            actions.insert(1, {"label": _("Deactivate") if obj.is_active else _("Activate"),
                               "url": reverse(f"products:product_{kind}", args=[obj.pk]), "method": "post",
                               "style": "outline-secondary"})
        if self.can("add"):
            actions.insert(1, {"label": _("Copy"), "url": f"{reverse('products:product_create')}?copy={obj.pk}",
                               "method": "get", "style": "outline-secondary"})
        return actions


class ProductFormMixin(ProductScreen, CompanyFormKwargs):
    form_class = ProductForm
    template_name = "products/product_form.html"


COPIED_FIELDS = ["name", "name_en", "category", "type", "uom", "purchase_uom", "list_price", "standard_cost",
                 "costing_method", "sales_tax", "purchase_tax", "tracking", "is_sold", "is_purchased", "description"]


class ProductCreateView(ProductFormMixin, CreateView):
    """A new product; `?copy=<id>` starts from another product's settings (its SKU, barcode and image are
    not copied: they identify one product)."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        source_pk = self.request.GET.get("copy", "")
        source = self.get_queryset().filter(pk=source_pk).first() if source_pk.isdigit() else None
        if source is not None:
            kwargs["initial"] = {name: getattr(source, f"{name}_id", getattr(source, name)) for name in COPIED_FIELDS}
        return kwargs

    def perform(self, form):
        data = form_data(form)
        data.pop("version", None)
        return services.product_create(actor=self.request.user, company=self.company, data=data)


class ProductUpdateView(ProductFormMixin, UpdateView):
    def perform(self, form):
        data = form_data(form)
        version = data.pop("version", None)
        return services.product_update(actor=self.request.user, product=self.object, data=data,
                                       company=self.company, version=version)


class ProductDeleteView(ProductScreen, DeleteView):
    def perform(self, obj):
        services.product_delete(actor=self.request.user, product=obj, company=self.company)


class ProductDeactivateView(ProductScreen, ActionView, Screen):
    success_message = gettext_lazy("%(record)s is deactivated.")

    def run(self, obj):
        return services.product_deactivate(actor=self.request.user, product=obj, company=self.company)


class ProductActivateView(ProductScreen, ActionView, Screen):
    success_message = gettext_lazy("%(record)s is active again.")

    def run(self, obj):
        return services.product_activate(actor=self.request.user, product=obj, company=self.company)

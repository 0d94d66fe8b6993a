"""Units of measure screens: the units grouped by category (with a converter and the "install standard units"
action), a unit, unit categories, and their forms."""

from decimal import Decimal

import django_filters
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.views.generic import (
    Column,
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    Screen,
    Tab,
    UpdateView,
    YesNoFilter,
    form_data,
    resolve_columns,
)

from .. import services
from ..forms import UomCategoryForm, UomForm
from ..models import Uom, UomCategory
from .common import CompanyFormKwargs, MasterData


def plain_number(value: Decimal) -> str:
    """12, 0.001, 1000: a ratio without its trailing zeros."""
    return f"{value.normalize():f}"


class UomFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Uom
        fields = ["is_active"]


class UnitScreen(MasterData):
    model = Uom

    def get_queryset(self):
        return super().get_queryset().select_related("category")


class UomListView(UnitScreen, ListView):
    """Units grouped by category, from the smallest ratio, each with what it is in reference units."""

    template_name = "products/uom_list.html"
    table_template = "products/_uom_table.html"
    search_fields = ["name", "name_en", "symbol", "category__name", "category__name_en"]
    filterset_class = UomFilter
    ordering = ["category__name", "ratio", "name"]
    paginate_by = 1000

    def get_columns(self):
        references = {uom.category_id: uom for uom in Uom.objects.filter(company=self.company, is_reference=True)}

        def equals(uom):
            reference = references.get(uom.category_id)
            if uom.is_reference or reference is None:
                return ""
            return f"{plain_number(uom.ratio)} {reference.short_name}"

        columns = [Column("display_name", gettext_lazy("Unit"), value=str, sort="name"), "symbol",
                   Column("equals", gettext_lazy("In reference units"), value=equals, sort="ratio"),
                   "decimal_places", Column("is_reference", default=False),
                   Column("name", gettext_lazy("Chinese name"), default=False),
                   Column("name_en", default=False), Column("category", default=False), "is_active"]
        return resolve_columns(self.model, columns)

    def get_extra_context(self):
        can_add = self.can("add")
        return {
            "install_url": reverse("products:uom_install") if can_add else None,
            "category_create_url": reverse("products:uomcategory_create") if self.can("add", UomCategory) else None,
            "categories_url": reverse("products:uomcategory_list"),
            "add_unit": can_add,
            "convert_units": list(Uom.objects.filter(company=self.company, is_active=True)
                                  .select_related("category").order_by("category__name", "ratio")),
        }


class UomConvertView(UnitScreen, Screen):
    """The converter of the units screen (htmx): `quantity`, `from`, `to` → the exact result or why not."""

    def get(self, request, *args, **kwargs):
        units = Uom.objects.filter(company=self.company)
        source = units.filter(pk=request.GET.get("from") or 0).select_related("category").first()
        target = units.filter(pk=request.GET.get("to") or 0).select_related("category").first()
        context = {"source": source, "target": target, "quantity": request.GET.get("quantity", "").strip()}
        if source is None or target is None or not context["quantity"]:
            context["error"] = _("Give a quantity and two units.")
        else:
            try:
                context["result"] = services.uom_convert(quantity=context["quantity"], from_uom=source,
                                                         to_uom=target)
            except errors.ValidationFailed as error:
                context["error"] = " ".join(str(message) for messages_ in error.fields.values()
                                            for message in messages_) or str(error.message)
        return render(request, "products/_convert_result.html", context)


class UomInstallView(UnitScreen, Screen):
    """POST: add the standard units the company lacks, then back to the units."""

    http_method_names = ["post"]
    action = "add"

    def post(self, request, *args, **kwargs):
        result = services.uom_defaults_install(company=self.company, actor=request.user)
        if result.units or result.categories:
            messages.success(request, _("Standard units installed: %(units)s units in %(categories)s new "
                                        "categories.") % {"units": result.units, "categories": result.categories})
        else:
            messages.info(request, _("The company has all the standard units already."))
        return redirect("products:uom_list")


class UomDetailView(UnitScreen, DetailView):
    fields = ["category", "name", "name_en", "symbol", Column("ratio", value=lambda uom: plain_number(uom.ratio)),
              "is_reference", "decimal_places", "is_active",
              Column("used_by", gettext_lazy("Used by"), value=lambda uom: ", ".join(services.references(uom)))]


class UomCreateView(UnitScreen, CompanyFormKwargs, CreateView):
    form_class = UomForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        category = self.request.GET.get("category", "")
        if category.isdigit():
            kwargs["category"] = UomCategory.objects.filter(company=self.company, pk=int(category)).first()
        return kwargs

    def perform(self, form):
        return services.uom_create(actor=self.request.user, company=self.company, data=form_data(form))


class UomUpdateView(UnitScreen, CompanyFormKwargs, UpdateView):
    form_class = UomForm

    def perform(self, form):
        data = form_data(form)
        data.pop("is_reference", None)  # shown, never changed
        return services.uom_update(actor=self.request.user, uom=self.object, data=data, company=self.company)


class UomDeleteView(UnitScreen, DeleteView):
    def perform(self, obj):
        services.uom_delete(actor=self.request.user, uom=obj, company=self.company)


# --- Unit categories -------------------------------------------------------------------------------


class UomCategoryScreen(MasterData):
    model = UomCategory


class UomCategoryListView(UomCategoryScreen, ListView):
    columns = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    ordering = ["name"]


class UomCategoryDetailView(UomCategoryScreen, DetailView):
    fields = ["name", "name_en"]
    tabs = [Tab("units", gettext_lazy("Units"), "products/_category_units.html")]

    def get_tab_context(self, obj):
        return {"units": obj.uoms.order_by("ratio", "name"),
                "add_unit_url": f"{reverse('products:uom_create')}?category={obj.pk}" if self.can("add", Uom) else None}


class UomCategoryCreateView(UomCategoryScreen, CompanyFormKwargs, CreateView):
    form_class = UomCategoryForm

    def perform(self, form):
        return services.uom_category_create(actor=self.request.user, company=self.company, data=form_data(form))


class UomCategoryUpdateView(UomCategoryScreen, CompanyFormKwargs, UpdateView):
    form_class = UomCategoryForm

    def perform(self, form):
        return services.uom_category_update(actor=self.request.user, category=self.object, data=form_data(form),
                                            company=self.company)


class UomCategoryDeleteView(UomCategoryScreen, DeleteView):
    def perform(self, obj):
        services.uom_category_delete(actor=self.request.user, category=obj, company=self.company)

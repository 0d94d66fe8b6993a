"""Supplier prices (list, form, delete) and the purchase settings screen. Writes go through
services.prices and services.settings; the forms only parse."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.accounting.models import Account
from tessera.core import errors
from tessera.core.forms import DateInput, ServiceModelForm
from tessera.core.permissions import check
from tessera.core.views.generic import (
    Column,
    CreateView,
    DeleteView,
    FormScreen,
    ListView,
    UpdateView,
    apply_domain_error,
)
from tessera.partners.models import Partner
from tessera.products.models import Product, Uom

from ..models import PurchaseSettings, SupplierPrice
from ..services.prices import supplier_price_create, supplier_price_delete, supplier_price_update
from ..services.settings import SETTINGS_FIELDS, purchase_settings, purchase_settings_update
from .orders import Purchasing, company_suppliers


class PriceFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(queryset=company_suppliers, label=gettext_lazy("Supplier"))
    is_active = django_filters.BooleanFilter(label=gettext_lazy("Active"))

    class Meta:
        model = SupplierPrice
        fields = ["partner", "is_active"]


class PriceScreen(Purchasing):
    model = SupplierPrice
    list_url_name = "purchasing:price_list"
    create_url_name = "purchasing:price_create"
    update_url_name = "purchasing:price_update"
    detail_url_name = "purchasing:price_update"

    def get_queryset(self):
        return super().get_queryset().select_related("partner", "product", "uom", "currency")


class PriceListView(PriceScreen, ListView):
    columns = [Column("product", sort="product__sku", link=True), Column("partner", sort="partner__name"),
               Column("supplier_sku", default=False), "min_quantity",
               Column("uom", value=lambda row: row.uom.short_name),
               "price", "currency", "discount", "valid_from", "valid_to", Column("lead_days", default=False),
               "is_active"]
    search_fields = ["product__sku", "product__name", "product__name_en", "partner__name", "partner__code",
                     "supplier_sku"]
    filterset_class = PriceFilter
    ordering = ["product__sku", "partner__name", "min_quantity"]


class PriceForm(ServiceModelForm):
    class Meta:
        model = SupplierPrice
        fields = ["partner", "product", "supplier_sku", "currency", "uom", "min_quantity", "price", "discount",
                  "valid_from", "valid_to", "lead_days", "is_active"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(company=company, is_supplier=True)
        self.fields["product"].queryset = Product.objects.filter(company=company, is_purchased=True).order_by("sku")
        self.fields["uom"].queryset = Uom.objects.filter(company=company, is_active=True)
        self.fields["uom"].required = False
        self.fields["currency"].required = False
        self.fields["uom"].help_text = _("Empty: the product's purchase unit.")
        self.fields["currency"].help_text = _("Empty: the supplier's currency.")


def form_values(form) -> dict:
    return {name: getattr(value, "pk", value) for name, value in form.cleaned_data.items()
            if not (name in ("uom", "currency") and value is None)}


class PriceCreateView(PriceScreen, CreateView):
    form_class = PriceForm
    title = gettext_lazy("New supplier price")

    def get_form_kwargs(self):
        return {"company": self.company, "initial": {"partner": self.request.GET.get("partner"),
                                                     "product": self.request.GET.get("product")}}

    def perform(self, form):
        return supplier_price_create(actor=self.request.user, company=self.company, data=form_values(form))

    def get_success_url(self, obj):
        return self.url("list")


class PriceUpdateView(PriceScreen, UpdateView):
    form_class = PriceForm

    def get_form_kwargs(self):
        return {"instance": self.object, "company": self.company}

    def perform(self, form):
        return supplier_price_update(actor=self.request.user, price=self.object, data=form_values(form))

    def get_success_url(self, obj):
        return self.url("list")


class PriceDeleteView(PriceScreen, DeleteView):
    def perform(self, obj):
        supplier_price_delete(actor=self.request.user, price=obj)


class SettingsForm(ServiceModelForm):
    class Meta:
        model = PurchaseSettings
        fields = sorted(SETTINGS_FIELDS, key=["over_receipt_percent", "quantity_tolerance_percent",
                                              "price_tolerance_percent", "amount_tolerance",
                                              "price_difference_account", "requisition_needs_approval"].index)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_difference_account"].queryset = Account.objects.filter(company=company).order_by("code")


class SettingsView(Purchasing, FormScreen):
    """The company's purchase settings: anyone who may view them sees the form; saving needs the change
    permission (the service checks it)."""

    model = PurchaseSettings
    title = gettext_lazy("Purchase settings")
    form_class = SettingsForm

    def get_form_kwargs(self):
        return {"instance": purchase_settings(self.company), "company": self.company}

    def render_form(self, form, status: int = 200):
        if not check(self.request.user, "purchasing.change_purchasesettings", self.company):
            for field in form.fields.values():
                field.disabled = True
        return super().render_form(form, status)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                purchase_settings_update(actor=request.user, company=self.company, data={
                    name: getattr(value, "pk", value) for name, value in form.cleaned_data.items()})
            except (errors.ValidationFailed, errors.PermissionDenied) as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Purchase settings saved."))
                return redirect("purchasing:settings")
        return self.render_form(form)

    def get_cancel_url(self):
        return None


urlpatterns = [
    path("prices/", PriceListView.as_view(), name="price_list"),
    path("prices/new/", PriceCreateView.as_view(), name="price_create"),
    path("prices/<int:pk>/", PriceUpdateView.as_view(), name="price_update"),
    path("prices/<int:pk>/delete/", PriceDeleteView.as_view(), name="price_delete"),
    path("settings/", SettingsView.as_view(), name="settings"),
]

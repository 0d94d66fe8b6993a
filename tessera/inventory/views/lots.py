"""Lots and serial numbers: list (expiry dates, scan box), the lot's page with where it is now and its trace
(every move of the lot, from where to where, which document), create and edit."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, CreateView, DetailView, ListView, Tab, UpdateView, form_data
from tessera.products.models import Product

from ..models import Lot
from ..selectors import lot_locations, lot_trace
from ..services import lot_create, lot_update
from .common import CompanyFormKwargs, Inventory, LotForm


def tracked_products(request):
    return Product.objects.filter(company=getattr(request, "company", None)).exclude(tracking="none").order_by("sku")


class LotFilter(django_filters.FilterSet):
    product = django_filters.ModelChoiceFilter(queryset=tracked_products, label=gettext_lazy("Product"))
    expiry_before = django_filters.DateFilter(field_name="expiry_on", lookup_expr="lte",
                                              label=gettext_lazy("Expires by"), widget=DateInput())

    class Meta:
        model = Lot
        fields = ["product"]


class LotScreen(Inventory):
    model = Lot

    def get_queryset(self):
        return super().get_queryset().select_related("product")


def _expired(lot) -> bool | None:
    return lot.expiry_on < timezone.localdate() if lot.expiry_on else None


class LotListView(LotScreen, ListView):
    template_name = "inventory/lot_list.html"
    columns = [Column("name", link=True), Column("product", sort="product__sku"), "expiry_on",
               Column("expired", gettext_lazy("Expired"), value=_expired, sort=None),
               Column("created_at", default=False)]
    search_fields = ["name", "product__sku", "product__name"]
    filterset_class = LotFilter
    ordering = ["product__sku", "expiry_on", "name"]

    def get(self, request, *args, **kwargs):
        code = request.GET.get("scan", "").strip()
        if code:
            found = list(self.get_queryset().filter(name=code)[:2])
            if len(found) == 1:
                return redirect(self.url("detail", found[0]))
            if not found:
                messages.error(request, _("No lot or serial number %(code)s.") % {"code": code})
        return super().get(request, *args, **kwargs)


class LotDetailView(LotScreen, DetailView):
    template_name = "inventory/lot_detail.html"
    fields = ["name", "product", "expiry_on", "notes", "created_at"]
    tabs = [Tab("trace", gettext_lazy("Trace"), "inventory/_lot_trace.html")]

    def get_tab_context(self, obj):
        return {"trace": lot_trace(obj), "where": lot_locations(obj)}


class LotCreateView(LotScreen, CompanyFormKwargs, CreateView):
    form_class = LotForm

    def perform(self, form):
        return lot_create(actor=self.request.user, company=self.company, data=form_data(form))


class LotUpdateView(LotScreen, CompanyFormKwargs, UpdateView):
    form_class = LotForm

    def perform(self, form):
        return lot_update(actor=self.request.user, lot=self.object, data=form_data(form))

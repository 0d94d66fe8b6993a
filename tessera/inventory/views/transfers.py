"""Transfers between warehouses: list, the transfer's page (lines with their moves; confirm, ship, receive,
cancel), and the form with its lines inline (a header and rows of product / quantity / unit / lot; blank
rows are ignored). Every write goes through services.transfers."""

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, DetailView, FormScreen, ListView, Screen, apply_domain_error
from tessera.products.models import Product, Uom

from ..choices import LocationUsage, TransferState
from ..models import Location, Lot, Transfer
from ..services.transfers import (
    transfer_cancel,
    transfer_confirm,
    transfer_create,
    transfer_done,
    transfer_ship,
    transfer_update,
)
from .common import ActionView, Inventory


class TransferFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=TransferState.choices, label=gettext_lazy("State"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = Transfer
        fields = ["state"]


class TransferScreen(Inventory):
    model = Transfer

    def get_queryset(self):
        return super().get_queryset().select_related("location", "location_dest")


class TransferListView(TransferScreen, ListView):
    columns = [Column("number", value=str, sort="number", link=True), "date",
               Column("location", sort="location__full_name"), Column("location_dest", sort="location_dest__full_name"),
               "state", "description"]
    search_fields = ["number", "description"]
    filterset_class = TransferFilter
    ordering = ["-date", "-pk"]


class TransferDetailView(TransferScreen, DetailView):
    template_name = "inventory/transfers/detail.html"
    fields = ["number", "location", "location_dest", "date", "description", "state", "shipped_at", "done_at"]

    def get_actions(self, obj):
        actions = []

        def post(label, name, style, confirm=None):
            actions.append({"label": label, "url": reverse(f"inventory:transfer_{name}", args=[obj.pk]),
                            "method": "post", "style": style, "confirm": confirm})

        if obj.state == TransferState.DRAFT and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
        if obj.state == TransferState.DRAFT and self.can("confirm"):
            post(_("Confirm"), "confirm", "primary")
        if obj.state == TransferState.CONFIRMED and self.can("post"):
            post(_("Ship"), "ship", "primary")
        if obj.state in (TransferState.CONFIRMED, TransferState.IN_TRANSIT) and self.can("post"):
            post(_("Receive"), "done", "success", _("The goods arrived at the destination?"))
        if obj.state in (TransferState.DRAFT, TransferState.CONFIRMED) and self.can("cancel"):
            post(_("Cancel"), "cancel", "outline-danger", _("Cancel this transfer?"))
        return actions

    def get_tab_context(self, obj):
        return {"lines": obj.lines.select_related("product", "uom", "lot", "move_out", "move_in").order_by("pk")}


class TransferForm(forms.Form):
    location = forms.ModelChoiceField(queryset=Location.objects.none(), label=gettext_lazy("From"))
    location_dest = forms.ModelChoiceField(queryset=Location.objects.none(), label=gettext_lazy("To"))
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DateInput())
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=255)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        locations = Location.objects.filter(company=company, usage=LocationUsage.INTERNAL, is_active=True) \
            .order_by("full_name")
        for name in ("location", "location_dest"):
            self.fields[name].queryset = locations
            self.fields[name].label_from_instance = lambda location: location.full_name


class TransferLineForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=gettext_lazy("Product"), required=False)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False, max_digits=18, decimal_places=4)
    uom = forms.ModelChoiceField(queryset=Uom.objects.none(), label=gettext_lazy("Unit"), required=False)
    lot = forms.ModelChoiceField(queryset=Lot.objects.none(), label=gettext_lazy("Lot"), required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company, type="stock").order_by("sku")
        self.fields["uom"].queryset = Uom.objects.filter(company=company)
        self.fields["lot"].queryset = Lot.objects.filter(company=company).select_related("product")


TransferLineFormSet = forms.formset_factory(TransferLineForm, extra=3, max_num=500, absolute_max=500)


class TransferFormView(TransferScreen, FormScreen):
    template_name = "inventory/transfers/form.html"

    def get_form(self, data=None, files=None):
        initial = {"date": timezone.localdate()}
        lines = []
        if getattr(self, "object", None) is not None:
            initial = {"location": self.object.location_id, "location_dest": self.object.location_dest_id,
                       "date": self.object.date, "description": self.object.description}
            lines = [{"product": line.product_id, "quantity": line.quantity, "uom": line.uom_id, "lot": line.lot_id}
                     for line in self.object.lines.order_by("pk")]
        self.formset = TransferLineFormSet(data=data, initial=lines, prefix="lines",
                                           form_kwargs={"company": self.company})
        return TransferForm(data=data, initial=initial, company=self.company)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid() and self.formset.is_valid():
            header = {key: value for key, value in form.cleaned_data.items()}
            lines = [{key: getattr(value, "pk", value) for key, value in row.items() if value not in (None, "")}
                     for row in self.formset.cleaned_data if row.get("product")]
            try:
                obj = self.perform(header, lines)
            except (errors.ValidationFailed, errors.InvalidState) as error:
                apply_domain_error(form, error)  # line errors show above the form as "lines.<row>.<field>"
            else:
                messages.success(request, _("Saved."))
                return redirect(self.url("detail", obj))
        return self.render_form(form)

    def render_form(self, form, status: int = 200):
        return self.render({"form": form, "formset": self.formset, "object": getattr(self, "object", None),
                            "submit_label": _("Save"), "cancel_url": self.get_cancel_url()}, status=status)


class TransferCreateView(TransferFormView):
    action = "add"
    title = gettext_lazy("New transfer")

    def perform(self, header, lines):
        return transfer_create(actor=self.request.user, company=self.company, data=header, lines=lines)


class TransferUpdateView(TransferFormView):
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Edit %(record)s") % {"record": self.object}

    def perform(self, header, lines):
        return transfer_update(actor=self.request.user, transfer=self.object, data=header, lines=lines)


class TransferConfirmView(TransferScreen, ActionView, Screen):
    success_message = gettext_lazy("Confirmed %(record)s.")

    def run(self, obj):
        return transfer_confirm(actor=self.request.user, transfer=obj)


class TransferShipView(TransferScreen, ActionView, Screen):
    success_message = gettext_lazy("Shipped %(record)s.")

    def run(self, obj):
        return transfer_ship(actor=self.request.user, transfer=obj)


class TransferDoneView(TransferScreen, ActionView, Screen):
    success_message = gettext_lazy("Received %(record)s.")

    def run(self, obj):
        return transfer_done(actor=self.request.user, transfer=obj)


class TransferCancelView(TransferScreen, ActionView, Screen):
    success_message = gettext_lazy("Cancelled %(record)s.")

    def run(self, obj):
        return transfer_cancel(actor=self.request.user, transfer=obj)

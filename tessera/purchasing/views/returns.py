"""Returns to suppliers: list (filter: waiting for a credit note), the return's page (lines, stock moves,
credit note; post, cancel, delete, and "Issue credit note" for accounting), and the form — from an order (its
received lines listed: enter what goes back) or free (product rows). Every write goes through
services.returns."""

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.actions import ActionView
from tessera.core.views.generic import Column, DetailView, FormScreen, ListView, Screen, apply_domain_error
from tessera.inventory.models import Lot, Warehouse
from tessera.partners.models import Partner
from tessera.products.models import Product, Uom

from ..choices import RefundMethod, ReturnState
from ..models import PurchaseOrder, SupplierReturn
from ..services.receipts import is_stocked
from ..services.returns import (
    RETURNABLE_ORDER_STATES,
    awaiting_credit,
    is_awaiting_credit,
    may_credit,
    return_cancel,
    return_create,
    return_credit,
    return_delete,
    return_post,
)
from .receipts import Purchasing, order_url


class ReturnFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ReturnState.choices, label=gettext_lazy("State"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())
    credit_pending = django_filters.BooleanFilter(method="filter_credit_pending",
                                                  label=gettext_lazy("Waiting for a credit note"))

    class Meta:
        model = SupplierReturn
        fields = ["state", "refund_method", "is_quality_issue"]

    def filter_credit_pending(self, queryset, name, value):
        return awaiting_credit(queryset, pending=value) if value is not None else queryset


class ReturnScreen(Purchasing):
    model = SupplierReturn
    list_url_name = "purchasing:return_list"
    detail_url_name = "purchasing:return_detail"

    def get_queryset(self):
        return super().get_queryset().select_related("partner", "order", "warehouse", "credit_note")


class ReturnListView(ReturnScreen, ListView):
    columns = [Column("number", value=str, sort="number", link=True), "date",
               Column("partner__name", label=gettext_lazy("Supplier")),
               Column("order", value=lambda ret: ret.order or "", sort="order__number"), "reason", "refund_method",
               "is_quality_issue", "state"]
    search_fields = ["number", "reason", "partner__name", "order__number"]
    filterset_class = ReturnFilter
    ordering = ["-date", "-pk"]


class ReturnDetailView(ReturnScreen, DetailView):
    template_name = "purchasing/returns/detail.html"
    fields = ["number", "partner", Column("order", value=lambda ret: ret.order), "warehouse", "date", "reason",
              "is_quality_issue", "refund_method", "credit_note", "state"]

    def get_actions(self, obj):
        actions = []
        if obj.state == ReturnState.DONE:
            if is_awaiting_credit(obj) and may_credit(self.request.user, self.company):
                actions.append({"label": _("Issue credit note"), "style": "primary", "method": "post",
                                "url": reverse("purchasing:return_credit", args=[obj.pk]),
                                "confirm": _("Post the supplier credit note for the part already billed?")})
            return actions
        if obj.state != ReturnState.DRAFT:
            return actions
        if self.can("post"):
            actions.append({"label": _("Send back"), "url": reverse("purchasing:return_post", args=[obj.pk]),
                            "method": "post", "style": "primary",
                            "confirm": _("Take the goods out of stock and send them back to the supplier?")})
            actions.append({"label": _("Cancel"), "url": reverse("purchasing:return_cancel", args=[obj.pk]),
                            "method": "post", "style": "outline-danger", "confirm": _("Cancel this return?")})
        if self.can("delete"):
            actions.append({"label": _("Delete"), "url": reverse("purchasing:return_delete", args=[obj.pk]),
                            "method": "post", "style": "outline-danger", "confirm": _("Delete this return?")})
        return actions

    def get_tab_context(self, obj):
        credit_url = None
        if obj.credit_note_id:
            try:
                credit_url = reverse("accounting:invoice_detail", args=[obj.credit_note_id])
            except NoReverseMatch:
                credit_url = None
        return {"lines": obj.lines.select_related("product", "uom", "lot", "move", "order_line__uom").order_by("pk"),
                "order_url": order_url(obj.order) if obj.order_id else None, "credit_url": credit_url,
                "credit_pending": is_awaiting_credit(obj)}


class ReturnForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=gettext_lazy("Supplier"))
    order = forms.ModelChoiceField(queryset=PurchaseOrder.objects.none(), label=gettext_lazy("Order"),
                                   required=False, widget=forms.HiddenInput())
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=gettext_lazy("From warehouse"))
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)
    refund_method = forms.ChoiceField(choices=RefundMethod.choices, label=gettext_lazy("Settle by"))
    is_quality_issue = forms.BooleanField(label=gettext_lazy("Quality issue"), required=False, initial=True)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(company=company, is_supplier=True, is_active=True) \
            .order_by("name")
        self.fields["order"].queryset = PurchaseOrder.objects.filter(company=company)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(company=company, is_active=True).order_by("code")


class ReturnLineForm(forms.Form):
    order_line = forms.IntegerField(required=False, widget=forms.HiddenInput())
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=gettext_lazy("Product"), required=False)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False, max_digits=18, decimal_places=4,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}))
    uom = forms.ModelChoiceField(queryset=Uom.objects.none(), label=gettext_lazy("Unit"), required=False)
    lot = forms.ModelChoiceField(queryset=Lot.objects.none(), label=gettext_lazy("Lot / serial number"),
                                 required=False)
    unit_price = forms.DecimalField(label=gettext_lazy("Credit unit price"), required=False, max_digits=18,
                                    decimal_places=6, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, company=None, order_lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company, type__in=("stock", "consumable")) \
            .order_by("sku")
        self.fields["uom"].queryset = Uom.objects.filter(company=company)
        self.fields["lot"].queryset = Lot.objects.filter(company=company).select_related("product").order_by("name")
        self.order_line = (order_lines or {}).get(self.initial.get("order_line")
                                                  or _int(self.data.get(self.add_prefix("order_line"))))
        if self.order_line is not None:
            self.fields["lot"].queryset = self.fields["lot"].queryset.filter(product=self.order_line.product)


def _int(value):
    return int(value) if isinstance(value, str) and value.isdigit() else None


class ReturnCreateView(ReturnScreen, FormScreen):
    """`purchasing:return_create`; `?order=<pk>` lists that order's received lines."""

    action = "add"
    template_name = "purchasing/returns/form.html"
    title = gettext_lazy("New return to supplier")

    def get_order(self):
        value = _int(self.request.GET.get("order") or self.request.POST.get("order") or "")
        if value is None:
            return None
        return PurchaseOrder.objects.filter(company=self.company, pk=value,
                                            state__in=RETURNABLE_ORDER_STATES).select_related("partner").first()

    def get_form(self, data=None, files=None):
        self.order = self.get_order()
        initial = {"date": timezone.localdate(), "refund_method": RefundMethod.OFFSET, "is_quality_issue": True}
        rows, order_lines, extra = [], {}, 5
        if self.order is not None:
            initial.update({"partner": self.order.partner_id, "order": self.order.pk,
                            "warehouse": self.order.warehouse_id})
            for line in self.order.lines.select_related("product", "uom").order_by("sequence", "pk"):
                if is_stocked(line) and line.net_received > 0:
                    order_lines[line.pk] = line
                    rows.append({"order_line": line.pk, "product": line.product_id, "uom": line.uom_id})
            extra = 0
        self.order_lines = order_lines
        formset_class = forms.formset_factory(ReturnLineForm, extra=extra, max_num=500, absolute_max=500)
        self.formset = formset_class(data=data, initial=rows, prefix="lines",
                                     form_kwargs={"company": self.company, "order_lines": order_lines})
        return ReturnForm(data=data, initial=initial, company=self.company)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid() and self.formset.is_valid():
            header = {key: getattr(value, "pk", value) for key, value in form.cleaned_data.items()
                      if value not in (None, "")}
            header["is_quality_issue"] = form.cleaned_data["is_quality_issue"]
            sent, lines = [], []
            for line_form in self.formset:
                row = line_form.cleaned_data
                if not row.get("quantity"):
                    continue
                if row.get("order_line") and row["order_line"] not in self.order_lines:
                    continue
                sent.append(line_form)
                lines.append({key: getattr(value, "pk", value) for key, value in row.items()
                              if value not in (None, "")})
            if not lines:
                form.add_error(None, _("Enter the quantity going back on at least one line."))
                return self.render_form(form, status=400)
            try:
                obj = return_create(actor=request.user, company=self.company, data=header, lines=lines)
            except (errors.ValidationFailed, errors.InvalidState) as error:
                line_fields = {}
                for key, field_messages in (error.fields or {}).items():
                    parts = key.split(".")
                    if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(sent):
                        target = sent[int(parts[1])]
                        for message in field_messages:
                            target.add_error(parts[2] if parts[2] in target.fields else None, str(message))
                    else:
                        line_fields[key] = field_messages
                if line_fields or not error.fields:
                    apply_domain_error(form, errors.ValidationFailed(error.message, fields=line_fields))
                return self.render_form(form, status=400)
            messages.success(request, _("Saved."))
            return redirect("purchasing:return_detail", pk=obj.pk)
        return self.render_form(form, status=400)

    def render_form(self, form, status: int = 200):
        orders = PurchaseOrder.objects.filter(company=self.company, state__in=RETURNABLE_ORDER_STATES) \
            .exclude(number=None).select_related("partner").order_by("-date", "-pk")[:200]
        return self.render({"form": form, "formset": self.formset, "order": self.order, "orders": orders,
                            "order_url": order_url(self.order) if self.order else None,
                            "cancel_url": self.url("list")}, status=status)


class ReturnActionView(ReturnScreen, ActionView, Screen):
    """POST only: a service on the return, back to its page (the list once deleted)."""


class ReturnPostView(ReturnActionView):
    success_message = gettext_lazy("Sent back: %(record)s.")

    def run(self, obj):
        return return_post(actor=self.request.user, supplier_return=obj)


class ReturnCreditView(ReturnActionView):
    """Issue the pending supplier credit note (accounting: the service checks the invoice permissions)."""

    permission = "accounting.post_invoice"
    success_message = gettext_lazy("Credit note posted for %(record)s.")

    def run(self, obj):
        return_credit(actor=self.request.user, supplier_return=obj)
        return obj


class ReturnCancelView(ReturnActionView):
    success_message = gettext_lazy("Cancelled %(record)s.")

    def run(self, obj):
        return return_cancel(actor=self.request.user, supplier_return=obj)


class ReturnDeleteView(ReturnActionView):
    success_message = gettext_lazy("Deleted %(record)s.")

    def run(self, obj):
        return_delete(actor=self.request.user, supplier_return=obj)


urlpatterns = [
    path("returns/", ReturnListView.as_view(), name="return_list"),
    path("returns/new/", ReturnCreateView.as_view(), name="return_create"),
    path("returns/<int:pk>/", ReturnDetailView.as_view(), name="return_detail"),
    path("returns/<int:pk>/post/", ReturnPostView.as_view(), name="return_post"),
    path("returns/<int:pk>/credit/", ReturnCreditView.as_view(), name="return_credit"),
    path("returns/<int:pk>/cancel/", ReturnCancelView.as_view(), name="return_cancel"),
    path("returns/<int:pk>/delete/", ReturnDeleteView.as_view(), name="return_delete"),
]

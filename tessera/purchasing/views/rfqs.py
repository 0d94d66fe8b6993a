"""RFQ screens: the list, the form (header, lines inline, suppliers to invite), the page with the quote
comparison grid (suppliers as columns, lines as rows, the cheapest highlighted, totals per supplier) from
which the RFQ is awarded whole or per line, and the quote entry of one supplier. Every write goes
through services.rfqs."""

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.models import Currency
from tessera.core.views.actions import ActionView
from tessera.core.views.generic import (
    Column,
    DeleteView,
    DetailView,
    FormScreen,
    ListView,
    Screen,
    apply_domain_error,
    screen_urls,
)
from tessera.inventory.models import Warehouse
from tessera.partners.models import Partner
from tessera.products.models import Product, Uom

from ..choices import RfqState
from ..models import PurchaseOrder, Rfq, RfqQuote, RfqSupplier
from ..services.rfqs import (
    cheapest_per_line,
    rfq_award,
    rfq_cancel,
    rfq_comparison,
    rfq_create,
    rfq_delete,
    rfq_quote_set,
    rfq_send,
    rfq_update,
)
from .requisitions import Purchasing, in_unit, order_url, trim


class RfqFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RfqState.choices, label=gettext_lazy("State"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = Rfq
        fields = ["state"]


class RfqScreen(Purchasing):
    model = Rfq

    def get_queryset(self):
        return super().get_queryset().select_related("warehouse", "currency")


class RfqListView(RfqScreen, ListView):
    columns = [Column("number", value=str, sort="number", link=True), "date", "quote_by",
               Column("warehouse", sort="warehouse__code"), "currency", "description", "state"]
    search_fields = ["number", "description"]
    filterset_class = RfqFilter
    ordering = ["-date", "-pk"]


class RfqDetailView(RfqScreen, DetailView):
    template_name = "purchasing/rfqs/detail.html"
    fields = ["number", "date", "quote_by", "warehouse", "currency", "description", "state"]

    def get_actions(self, obj):
        actions = []

        def post(label, name, style, confirm=None):
            actions.append({"label": label, "url": reverse(f"purchasing:rfq_{name}", args=[obj.pk]),
                            "method": "post", "style": style, "confirm": confirm})

        if obj.state == RfqState.DRAFT and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
            post(_("Send"), "send", "primary")
        if obj.state in (RfqState.DRAFT, RfqState.SENT) and self.can("change"):
            post(_("Cancel"), "cancel", "outline-danger", _("Cancel this request for quotation?"))
        if obj.state == RfqState.DRAFT and self.can("delete"):
            post(_("Delete"), "delete", "outline-danger", _("Delete this record?"))
        return actions

    def get_tab_context(self, obj):
        comparison = rfq_comparison(obj)
        orders = [(order, order_url(order)) for order in PurchaseOrder.objects.filter(rfq=obj).select_related(
            "partner").order_by("pk")]
        columns = [(supplier, comparison.totals[supplier.pk]) for supplier in comparison.suppliers]
        for row in comparison.rows:
            row["quantity"] = in_unit(row["line"].quantity, row["line"].uom)
            for cell in row["cells"]:
                cell["price"] = trim(cell["quote"].unit_price) if cell["quote"] else None
        return {"comparison": comparison, "columns": columns, "orders": orders,
                "can_quote": obj.state == RfqState.SENT and self.can("change"),
                "can_award": obj.state == RfqState.SENT and self.can("award")}


class RfqForm(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=gettext_lazy("Deliver to"))
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DateInput())
    quote_by = forms.DateField(label=gettext_lazy("Quotes due by"), required=False, widget=DateInput())
    currency = forms.ModelChoiceField(queryset=Currency.objects.all(), label=gettext_lazy("Currency"),
                                      required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=255)
    suppliers = forms.ModelMultipleChoiceField(queryset=Partner.objects.none(), label=gettext_lazy("Suppliers"),
                                               help_text=gettext_lazy("The suppliers asked to quote."))

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(company=company, is_active=True).order_by("code")
        self.fields["suppliers"].queryset = Partner.objects.filter(company=company, is_supplier=True,
                                                                   is_active=True).order_by("name")
        if hasattr(Currency, "is_active"):
            self.fields["currency"].queryset = Currency.objects.filter(is_active=True)


class RfqLineForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=gettext_lazy("Product"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=255)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False, max_digits=18, decimal_places=4)
    uom = forms.ModelChoiceField(queryset=Uom.objects.none(), label=gettext_lazy("Unit"), required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company, is_active=True).order_by("sku")
        self.fields["uom"].queryset = Uom.objects.filter(company=company)


RfqLineFormSet = forms.formset_factory(RfqLineForm, extra=3, max_num=500, absolute_max=500)


class RfqFormView(RfqScreen, FormScreen):
    template_name = "purchasing/requisitions/form.html"

    def get_form(self, data=None, files=None):
        initial = {"date": timezone.localdate(), "currency": self.company.base_currency_id,
                   "warehouse": Warehouse.objects.filter(company=self.company, is_active=True).order_by("code")
                   .values_list("pk", flat=True).first()}
        lines = []
        if getattr(self, "object", None) is not None:
            obj = self.object
            initial = {"warehouse": obj.warehouse_id, "date": obj.date, "quote_by": obj.quote_by,
                       "currency": obj.currency_id, "description": obj.description,
                       "suppliers": list(obj.suppliers.values_list("partner_id", flat=True))}
            lines = [{"product": line.product_id, "description": line.description, "quantity": line.quantity,
                      "uom": line.uom_id} for line in obj.lines.order_by("pk")]
        self.formset = RfqLineFormSet(data=data, initial=lines, prefix="lines", form_kwargs={"company": self.company})
        return RfqForm(data=data, initial=initial, company=self.company)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid() and self.formset.is_valid():
            header = dict(form.cleaned_data)
            suppliers = [partner.pk for partner in header.pop("suppliers")]
            lines = [{key: getattr(value, "pk", value) for key, value in row.items() if value not in (None, "")}
                     for row in self.formset.cleaned_data if row.get("product")]
            try:
                obj = self.perform(header, lines, suppliers)
            except (errors.ValidationFailed, errors.InvalidState, errors.PermissionDenied) as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.url("detail", obj))
        return self.render_form(form)

    def render_form(self, form, status: int = 200):
        return self.render({"form": form, "formset": self.formset, "object": getattr(self, "object", None),
                            "submit_label": _("Save"), "cancel_url": self.get_cancel_url()}, status=status)


class RfqCreateView(RfqFormView):
    action = "add"
    title = gettext_lazy("New request for quotation")

    def perform(self, header, lines, suppliers):
        return rfq_create(actor=self.request.user, company=self.company, data=header, lines=lines,
                          suppliers=suppliers)


class RfqUpdateView(RfqFormView):
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Edit %(record)s") % {"record": self.object}

    def perform(self, header, lines, suppliers):
        return rfq_update(actor=self.request.user, rfq=self.object, data=header, lines=lines, suppliers=suppliers)


class RfqDeleteView(RfqScreen, DeleteView):
    def perform(self, obj):
        rfq_delete(actor=self.request.user, rfq=obj)


class RfqActionView(RfqScreen, ActionView, Screen):
    """POST only: one service, back to the RFQ."""


class RfqSendView(RfqActionView):
    success_message = gettext_lazy("Sent %(record)s.")

    def run(self, obj):
        return rfq_send(actor=self.request.user, rfq=obj)


class RfqCancelView(RfqActionView):
    success_message = gettext_lazy("Cancelled %(record)s.")

    def run(self, obj):
        return rfq_cancel(actor=self.request.user, rfq=obj)


class RfqAwardView(RfqActionView):
    """`supplier=<partner>` (the whole RFQ), `mode=cheapest` (each line to its cheapest quote) or
    `mode=lines` with `award_<line pk>=<partner>` per line; `save_prices=on` keeps the quotes."""

    success_message = gettext_lazy("Awarded %(record)s: %(result)s.")

    def run(self, obj):
        data = self.request.POST
        mode = data.get("mode")
        save = data.get("save_prices") == "on"
        if data.get("supplier"):
            orders = rfq_award(actor=self.request.user, rfq=obj, supplier=data.get("supplier"), save_prices=save)
        else:
            if mode == "cheapest":
                lines = cheapest_per_line(obj)
            else:
                lines = [{"line": int(name.removeprefix("award_")), "supplier": value}
                         for name, value in data.items()
                         if name.startswith("award_") and name.removeprefix("award_").isdigit() and value]
            orders = rfq_award(actor=self.request.user, rfq=obj, lines=lines, save_prices=save)
        return ", ".join(str(order) for order in orders)


class QuoteForm(forms.Form):
    quoted_on = forms.DateField(label=gettext_lazy("Quoted on"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=gettext_lazy("Quote valid to"), required=False, widget=DateInput())
    lead_days = forms.IntegerField(label=gettext_lazy("Lead time (days)"), required=False, min_value=0)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=255)


class RfqQuoteView(RfqScreen, Screen):
    """One invited supplier's quote: its terms and a price (and discount) per line."""

    action = "change"
    template_name = "purchasing/rfqs/quote.html"

    def setup_objects(self):
        self.object = self.get_object()
        self.supplier = RfqSupplier.objects.select_related("partner").filter(
            rfq=self.object, pk=self.kwargs["supplier"]).first()
        if self.supplier is None:
            raise errors.NotFound(_("This supplier is not invited to the RFQ."))

    def get_title(self):
        return _("Quote of %(supplier)s for %(rfq)s") % {"supplier": self.supplier.partner, "rfq": self.object}

    def rows(self, data=None):
        quotes = {quote.line_id: quote for quote in RfqQuote.objects.filter(supplier=self.supplier)}
        rows = []
        for line in self.object.lines.select_related("product", "uom").order_by("pk"):
            quote = quotes.get(line.pk)
            price = data.get(f"price_{line.pk}", "") if data is not None else (trim(quote.unit_price) if quote else "")
            discount = data.get(f"discount_{line.pk}", "") if data is not None else (quote.discount if quote else "")
            rows.append({"line": line, "price": price, "discount": discount, "errors": [],
                         "quantity": in_unit(line.quantity, line.uom)})
        return rows

    def show(self, form, rows, status=200):
        return self.render({"form": form, "rows": rows, "supplier": self.supplier, "object": self.object},
                           status=status)

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        supplier = self.supplier
        form = QuoteForm(initial={"quoted_on": supplier.quoted_on or timezone.localdate(),
                                  "valid_to": supplier.valid_to, "lead_days": supplier.lead_days,
                                  "notes": supplier.notes})
        return self.show(form, self.rows())

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = QuoteForm(request.POST)
        rows = self.rows(request.POST)
        if form.is_valid():
            quotes = [{"line": row["line"].pk, "unit_price": str(row["price"]).strip(),
                       "discount": str(row["discount"]).strip()} for row in rows]
            try:
                rfq_quote_set(actor=request.user, rfq=self.object, supplier=self.supplier, quotes=quotes,
                              data=form.cleaned_data)
            except (errors.ValidationFailed, errors.InvalidState, errors.PermissionDenied) as error:
                for name, field_messages in (error.fields or {}).items():
                    parts = name.split(".")
                    if parts[0] == "quotes" and len(parts) > 1 and parts[1].isdigit():
                        rows[int(parts[1])]["errors"].extend(str(message) for message in field_messages)
                    else:
                        apply_domain_error(form, errors.ValidationFailed(fields={name: field_messages}))
                if not error.fields:
                    form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Saved the quote of %(supplier)s.") % {"supplier": self.supplier.partner})
                return redirect(self.url("detail", self.object))
        return self.show(form, rows, status=400)


urlpatterns = [
    *screen_urls("rfqs/", "rfq", list_view=RfqListView, detail=RfqDetailView, create=RfqCreateView,
                 update=RfqUpdateView, delete=RfqDeleteView),
    *[path(f"rfqs/<int:pk>/{name}/", view.as_view(), name=f"rfq_{name}") for name, view in (
        ("send", RfqSendView), ("cancel", RfqCancelView), ("award", RfqAwardView))],
    path("rfqs/<int:pk>/quotes/<int:supplier>/", RfqQuoteView.as_view(), name="rfq_quote"),
]

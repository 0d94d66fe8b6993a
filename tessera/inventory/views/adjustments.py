"""Stock counts: list, the count's page (lines expected / counted / difference, post, cancel), start a count,
the counting screen made for a phone (a barcode box that keeps the focus: each read adds one to the product's
line, or a new line, which is then highlighted; counted quantities typed per line), and the printable count
sheet (HTML, `?format=pdf` through WeasyPrint). Every write goes through services.adjustments."""

from decimal import Decimal
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, CreateView, DetailView, ListView, Screen, form_data
from tessera.products.choices import ProductType, Tracking
from tessera.products.models import Product

from ..choices import AdjustmentState, LocationUsage
from ..models import Adjustment, Location, Lot, Warehouse
from ..services.adjustments import (
    adjustment_cancel,
    adjustment_count,
    adjustment_create,
    adjustment_post,
    adjustment_scan,
)
from .common import ActionView, CompanyForm, CompanyFormKwargs, Inventory


def company_warehouses(request):
    return Warehouse.objects.filter(company=getattr(request, "company", None)).order_by("code")


class AdjustmentFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=AdjustmentState.choices, label=gettext_lazy("State"))
    warehouse = django_filters.ModelChoiceFilter(queryset=company_warehouses, label=gettext_lazy("Warehouse"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = Adjustment
        fields = ["state", "warehouse"]


class AdjustmentForm(CompanyForm):
    class Meta:
        model = Adjustment
        fields = ["location", "date", "description"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"location": gettext_lazy("Its sub-locations are counted too; a warehouse's root location "
                                               "counts the whole warehouse.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        field.queryset = field.queryset.filter(usage__in=[LocationUsage.INTERNAL, LocationUsage.VIEW],
                                               warehouse__isnull=False).order_by("full_name")
        field.label_from_instance = lambda location: location.full_name
        self.fields["date"].initial = timezone.localdate()
        self.fields["date"].required = False


class TrackingSelect(forms.Select):
    """Each product option tells its tracking (`data-tracking`): the count screen's script shows the lot number
    inputs for tracked products only."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-tracking"] = instance.tracking
        return option


class AddLineForm(forms.Form):
    """Stock found that is not on the count (the counting screen's "Add stock found"): product, where, the lot or
    serial number (a new one is created; an existing name of the product is reused), its expiry date, counted."""

    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=gettext_lazy("Product"),
                                     widget=TrackingSelect(attrs={"data-count-product": ""}))
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False,
                                      label=gettext_lazy("Location"))
    lot_name = forms.CharField(required=False, max_length=100, label=gettext_lazy("Lot / serial number"),
                               help_text=gettext_lazy("A new number is added to the product's lots."),
                               widget=forms.TextInput(attrs={"autocomplete": "off", "data-count-lot": ""}))
    expiry_on = forms.DateField(required=False, label=gettext_lazy("Expiry date"),
                                widget=forms.DateInput(attrs={"type": "date", "data-count-lot": ""},
                                                       format="%Y-%m-%d"))
    counted_quantity = forms.CharField(label=gettext_lazy("Counted"),
                                       widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, adjustment: Adjustment, locations, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["product"].queryset = Product.objects.filter(
            company_id=adjustment.company_id, type=ProductType.STOCK, is_active=True).order_by("sku")
        self.fields["location"].queryset = locations
        self.fields["location"].label_from_instance = lambda location: location.full_name
        self.fields["location"].empty_label = str(adjustment.location.full_name)

    def service_line(self) -> dict:
        data = self.cleaned_data
        line = {"product": data["product"].pk, "counted_quantity": data["counted_quantity"]}
        if data.get("location"):
            line["location"] = data["location"].pk
        if data.get("product").tracking != Tracking.NONE or data.get("lot_name"):
            line.update({"lot_name": data.get("lot_name") or "", "expiry_on": data.get("expiry_on")})
        return line

    def add_service_errors(self, fields: dict) -> None:
        for name, messages_ in fields.items():
            name = {"lot": "lot_name"}.get(name.removeprefix("lines.0."), name.removeprefix("lines.0."))
            field = name if name in self.fields else None
            for message in messages_:
                self.add_error(field, message)


class AdjustmentScreen(Inventory):
    model = Adjustment

    def get_queryset(self):
        return super().get_queryset().select_related("location", "warehouse", "posted_by")


class AdjustmentListView(AdjustmentScreen, ListView):
    columns = [Column("number", value=str, sort="number", link=True), "date",
               Column("location", sort="location__full_name"), Column("warehouse", sort="warehouse__code"), "state",
               "description", Column("posted_at", default=False)]
    search_fields = ["number", "description", "location__full_name"]
    filterset_class = AdjustmentFilter
    ordering = ["-date", "-pk"]


def count_lines(adjustment: Adjustment):
    return adjustment.lines.select_related("product__uom", "location", "lot", "move").order_by(
        "location__full_name", "product__sku", "lot__name", "pk")


class AdjustmentDetailView(AdjustmentScreen, DetailView):
    template_name = "inventory/adjustments/detail.html"
    fields = ["number", "location", "warehouse", "date", "description", "state", "posted_at", "posted_by"]

    def get_actions(self, obj):
        actions = []
        draft = obj.state == AdjustmentState.DRAFT
        if draft and self.can("change"):
            actions.append({"label": _("Count"), "url": reverse("inventory:adjustment_count", args=[obj.pk]),
                            "method": "get", "style": "primary"})
        if draft and self.can("post"):
            actions.append({"label": _("Post"), "url": reverse("inventory:adjustment_post", args=[obj.pk]),
                            "method": "post", "style": "success",
                            "confirm": _("Post this count? Stock is set to the counted quantities.")})
        actions.append({"label": _("Count sheet"), "url": reverse("inventory:adjustment_print", args=[obj.pk]),
                        "method": "get", "style": "outline-secondary"})
        if draft and self.can("change"):
            actions.append({"label": _("Cancel"), "url": reverse("inventory:adjustment_cancel", args=[obj.pk]),
                            "method": "post", "style": "outline-danger", "confirm": _("Cancel this count?")})
        return actions

    def get_tab_context(self, obj):
        return {"lines": count_lines(obj)}


class AdjustmentCreateView(AdjustmentScreen, CompanyFormKwargs, CreateView):
    form_class = AdjustmentForm
    title = gettext_lazy("New stock count")
    submit_label = gettext_lazy("Start counting")
    success_message = gettext_lazy("Count started: the lines show what was on hand.")

    def perform(self, form):
        return adjustment_create(actor=self.request.user, company=self.company, data=form_data(form))

    def get_success_url(self, obj) -> str:
        return reverse("inventory:adjustment_count", args=[obj.pk])


class AdjustmentCountView(AdjustmentScreen, Screen):
    """GET the counting screen; POST `code` (a barcode read: +1) or the counted quantities (`counted_<line>`)."""

    action = "change"
    template_name = "inventory/adjustments/count.html"

    def get_title(self) -> str:
        return _("Count %(count)s") % {"count": self.object}

    def _locations(self):
        return Location.objects.filter(company=self.company, usage=LocationUsage.INTERNAL,
                                       full_name__startswith=self.object.location.full_name).order_by("full_name")

    def _page(self, focus=None, status=200, add_form=None):
        locations = self._locations()
        if add_form is None:
            new_lot = self.request.GET.get("new_lot", "").strip()
            add_form = AddLineForm(adjustment=self.object, locations=locations,
                                   initial={"lot_name": new_lot, "counted_quantity": "1"} if new_lot else None)
            add_form.is_open = bool(new_lot)
        return self.render({"object": self.object, "lines": count_lines(self.object), "focus": focus,
                            "locations": locations, "add_form": add_form}, status=status)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        focus = request.GET.get("focus")
        return self._page(int(focus) if focus and focus.isdigit() else None)

    def _add_line(self, request, url):
        """The "Add stock found" form: field-level errors on the page (400), nothing written then."""
        form = AddLineForm(request.POST, adjustment=self.object, locations=self._locations())
        form.is_open = True
        if form.is_valid():
            try:
                adjustment_count(actor=request.user, adjustment=self.object, lines=[form.service_line()])
            except errors.ValidationFailed as error:
                form.add_service_errors(error.fields or {"__all__": [error.message]})
            except (errors.InvalidState, errors.PermissionDenied) as error:
                form.add_error(None, str(error.message))
            else:
                data = form.service_line()
                lot_name = (data.get("lot_name") or "").strip()
                line = self.object.lines.filter(
                    product_id=data["product"], location_id=data.get("location") or self.object.location_id,
                    **({"lot__name": lot_name} if lot_name else {"lot__isnull": True})).first()
                messages.success(request, _("%(product)s: %(counted)s counted.")
                                 % {"product": form.cleaned_data["product"],
                                    "counted": line.counted_quantity.normalize() if line else ""})
                return redirect(f"{url}?focus={line.pk}#line-{line.pk}" if line else url)
        return self._page(status=400, add_form=form)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        url = reverse("inventory:adjustment_count", args=[self.object.pk])
        if "add-product" in request.POST:
            return self._add_line(request, url)
        try:
            if "code" in request.POST:
                code = request.POST["code"]
                try:
                    line = adjustment_scan(actor=request.user, adjustment=self.object, code=code,
                                           location=request.POST.get("location") or None)
                except errors.ValidationFailed as error:
                    if code.strip() and self._unknown(code):  # maybe a new lot: offer the form to add it
                        messages.error(request, " ".join(map(str, error.fields.get("code", [error.message]))))
                        return redirect(f"{url}?{urlencode({'new_lot': code.strip()})}#add-line")
                    raise
                messages.success(request, _("%(product)s: %(counted)s counted.")
                                 % {"product": line.product, "counted": line.counted_quantity.normalize()})
                return redirect(f"{url}?focus={line.pk}#line-{line.pk}")
            rows = [{"line": key.removeprefix("counted_"), "counted_quantity": value.strip() or None}
                    for key, value in request.POST.items() if key.startswith("counted_")]
            adjustment_count(actor=request.user, adjustment=self.object, lines=rows,
                             version=int(request.POST["version"]) if request.POST.get("version", "").isdigit()
                             else None)
        except (errors.ValidationFailed, errors.InvalidState, errors.PermissionDenied) as error:
            details = [message for messages_ in (error.fields or {}).values() for message in messages_]
            messages.error(request, " ".join([str(error.message), *map(str, details)]))
            return redirect(url)
        messages.success(request, _("Counts saved."))
        return redirect(url)

    def _unknown(self, code: str) -> bool:
        code = code.strip()
        return not Product.objects.filter(company=self.company).filter(Q(barcode=code) | Q(sku=code)).exists() \
            and not Lot.objects.filter(company=self.company, name=code).exists()


class AdjustmentPostView(AdjustmentScreen, ActionView, Screen):
    success_message = gettext_lazy("Posted %(record)s.")

    def run(self, obj):
        return adjustment_post(actor=self.request.user, adjustment=obj)


class AdjustmentCancelView(AdjustmentScreen, ActionView, Screen):
    success_message = gettext_lazy("Cancelled %(record)s.")

    def run(self, obj):
        return adjustment_cancel(actor=self.request.user, adjustment=obj)


class AdjustmentPrintView(AdjustmentScreen, Screen):
    """The count sheet to count on paper: every line with the expected quantity and a box to write in (left
    blank while counting; the counted figures once entered); `?format=pdf` gives it as a PDF."""

    template_name = "inventory/adjustments/print.html"

    def get(self, request, *args, **kwargs):
        adjustment = self.get_object()
        context = {"adjustment": adjustment, "company": self.company, "lines": count_lines(adjustment),
                   "printed_at": timezone.localtime(), "zero": Decimal("0")}
        if request.GET.get("format") != "pdf":
            return render(request, self.template_name, context)
        try:
            from weasyprint import HTML
        except (ImportError, OSError):  # OSError: the Pango/cairo system libraries are missing
            messages.error(request, _("PDF export is not available on this server."))
            return redirect(request.path)
        html = render_to_string(self.template_name, {**context, "for_pdf": True}, request=request)
        response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(),
                                content_type="application/pdf")
        name = (adjustment.number or f"draft-{adjustment.pk}").replace("/", "-")
        response["Content-Disposition"] = f'inline; filename="count-{name}.pdf"'
        return response

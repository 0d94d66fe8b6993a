"""Requisition screens: the list (everyone their own; purchasers and approvers all), the form with its lines
inline, the page (lines and where they went, the approval panel, submit / approve / reject / cancel), the
"convert" screen merging approved requisitions into orders (one per supplier) or an RFQ, and the
replenishment screen raising requisitions (or orders) from inventory's replenishment list. Every write
goes through services.requisitions."""

from decimal import Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.accounting.models import CostCenter
from tessera.core import errors
from tessera.core.forms import DateInput
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
from tessera.inventory.services.replenishment import replenishment_rows
from tessera.partners.models import Partner
from tessera.products.models import Product, Uom

from ..choices import RequisitionState
from ..models import Requisition, RequisitionLine, Rfq
from ..services.requisitions import (
    replenishment_order,
    requisition_amount,
    requisition_approve,
    requisition_cancel,
    requisition_convert,
    requisition_create,
    requisition_delete,
    requisition_from_replenishment,
    requisition_reject,
    requisition_submit,
    requisition_update,
    requisitions_visible,
)


class Purchasing:
    module = "purchasing"
    url_namespace = "purchasing"


def trim(value, minimum: int = 2):
    """A price for display: at least `minimum` decimals, no trailing zeros beyond them (60.000000 -> 60.00)."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-minimum)
    return value.quantize(step) if value == value.quantize(step) else value.normalize()


def in_unit(quantity, uom):
    """A quantity with its unit's decimals (10.0000 box -> 10)."""
    return quantity.quantize(Decimal(1).scaleb(-uom.decimal_places)) if quantity is not None else None


def order_url(order) -> str | None:
    try:
        return reverse("purchasing:order_detail", args=[order.pk])
    except NoReverseMatch:
        return None


class RequisitionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RequisitionState.choices, label=gettext_lazy("State"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = Requisition
        fields = ["state"]


class RequisitionScreen(Purchasing):
    model = Requisition

    def get_queryset(self):
        return requisitions_visible(self.request.user, self.company).select_related("warehouse", "requested_by")

    def is_own_or_purchaser(self, obj) -> bool:
        return obj.requested_by_id == self.request.user.pk or self.can("convert")


class RequisitionListView(RequisitionScreen, ListView):
    template_name = "purchasing/requisitions/list.html"
    columns = [Column("number", value=str, sort="number", link=True), "date", "requested_by",
               Column("warehouse", sort="warehouse__code"), "needed_on", "description", "state"]
    search_fields = ["number", "description"]
    filterset_class = RequisitionFilter
    ordering = ["-date", "-pk"]

    def get_extra_context(self):
        return {"convert_url": reverse("purchasing:requisition_convert") if self.can("convert") else None}


class RequisitionDetailView(RequisitionScreen, DetailView):
    template_name = "purchasing/requisitions/detail.html"
    fields = ["number", "requested_by", "date", "needed_on", "warehouse", "cost_center", "description",
              Column("origin", value=lambda obj: _("Replenishment list") if obj.origin == "replenishment" else ""),
              "state"]

    def get_actions(self, obj):
        actions = []

        def post(label, name, style, confirm=None):
            actions.append({"label": label, "url": reverse(f"purchasing:requisition_{name}", args=[obj.pk]),
                            "method": "post", "style": style, "confirm": confirm})

        own = self.is_own_or_purchaser(obj)
        editable = obj.state in (RequisitionState.DRAFT, RequisitionState.REJECTED)
        if editable and own and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
            post(_("Submit"), "submit", "primary")
        if obj.state == RequisitionState.SUBMITTED and self.can_decide(obj):
            post(_("Approve"), "approve", "success")
        if obj.state == RequisitionState.APPROVED and self.can("convert"):
            actions.append({"label": _("Convert"), "url": reverse("purchasing:requisition_convert") + f"?ids={obj.pk}",
                            "method": "get", "style": "primary"})
        if obj.state in (RequisitionState.DRAFT, RequisitionState.SUBMITTED, RequisitionState.APPROVED,
                         RequisitionState.REJECTED) and own and self.can("change"):
            post(_("Cancel"), "cancel", "outline-danger", _("Cancel this requisition?"))
        if obj.state == RequisitionState.DRAFT and not obj.number and own and self.can("delete"):
            post(_("Delete"), "delete", "outline-danger", _("Delete this record?"))
        return actions

    def can_decide(self, obj) -> bool:
        return self.can("approve") and obj.requested_by_id != self.request.user.pk

    def get_tab_context(self, obj):
        lines = list(obj.lines.select_related("product", "uom", "supplier", "order_line__order", "rfq_line__rfq")
                     .order_by("pk"))
        for line in lines:
            line.order_url = order_url(line.order_line.order) if line.order_line_id else None
            line.quantity_shown, line.price_shown = in_unit(line.quantity, line.uom), trim(line.estimated_price)
        return {"lines": lines, "amount": requisition_amount(obj), "can_reject": obj.state == RequisitionState.SUBMITTED
                and self.can_decide(obj)}


class RequisitionForm(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=gettext_lazy("Deliver to"))
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DateInput())
    needed_on = forms.DateField(label=gettext_lazy("Needed by"), required=False, widget=DateInput())
    cost_center = forms.ModelChoiceField(queryset=CostCenter.objects.none(), label=gettext_lazy("Cost centre"),
                                         required=False)
    description = forms.CharField(label=gettext_lazy("Purpose"), required=False, max_length=255)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(company=company, is_active=True).order_by("code")
        self.fields["cost_center"].queryset = CostCenter.objects.filter(company=company, is_active=True)


class RequisitionLineForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=gettext_lazy("Product"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=255)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False, max_digits=18, decimal_places=4)
    uom = forms.ModelChoiceField(queryset=Uom.objects.none(), label=gettext_lazy("Unit"), required=False)
    supplier = forms.ModelChoiceField(queryset=Partner.objects.none(), label=gettext_lazy("Suggested supplier"),
                                      required=False)
    estimated_price = forms.DecimalField(label=gettext_lazy("Estimated unit price"), required=False, max_digits=18,
                                         decimal_places=6, min_value=0)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company, is_active=True).order_by("sku")
        self.fields["uom"].queryset = Uom.objects.filter(company=company)
        self.fields["supplier"].queryset = Partner.objects.filter(company=company, is_supplier=True, is_active=True) \
            .order_by("name")


RequisitionLineFormSet = forms.formset_factory(RequisitionLineForm, extra=3, max_num=500, absolute_max=500)


class RequisitionFormView(RequisitionScreen, FormScreen):
    template_name = "purchasing/requisitions/form.html"

    def get_form(self, data=None, files=None):
        initial = {"date": timezone.localdate(),
                   "warehouse": Warehouse.objects.filter(company=self.company, is_active=True).order_by("code")
                   .values_list("pk", flat=True).first()}
        lines = []
        if getattr(self, "object", None) is not None:
            obj = self.object
            initial = {"warehouse": obj.warehouse_id, "date": obj.date, "needed_on": obj.needed_on,
                       "cost_center": obj.cost_center_id, "description": obj.description}
            lines = [{"product": line.product_id, "description": line.description, "quantity": line.quantity,
                      "uom": line.uom_id, "supplier": line.supplier_id, "estimated_price": line.estimated_price}
                     for line in obj.lines.order_by("pk")]
        self.formset = RequisitionLineFormSet(data=data, initial=lines, prefix="lines",
                                              form_kwargs={"company": self.company})
        return RequisitionForm(data=data, initial=initial, company=self.company)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid() and self.formset.is_valid():
            header = dict(form.cleaned_data)
            lines = [{key: getattr(value, "pk", value) for key, value in row.items() if value not in (None, "")}
                     for row in self.formset.cleaned_data if row.get("product")]
            try:
                obj = self.perform(header, lines)
            except (errors.ValidationFailed, errors.InvalidState, errors.PermissionDenied) as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.url("detail", obj))
        return self.render_form(form)

    def render_form(self, form, status: int = 200):
        return self.render({"form": form, "formset": self.formset, "object": getattr(self, "object", None),
                            "submit_label": _("Save"), "cancel_url": self.get_cancel_url()}, status=status)


class RequisitionCreateView(RequisitionFormView):
    action = "add"
    title = gettext_lazy("New requisition")

    def perform(self, header, lines):
        return requisition_create(actor=self.request.user, company=self.company, data=header, lines=lines)


class RequisitionUpdateView(RequisitionFormView):
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
        return requisition_update(actor=self.request.user, requisition=self.object, data=header, lines=lines)


class RequisitionDeleteView(RequisitionScreen, DeleteView):
    def perform(self, obj):
        requisition_delete(actor=self.request.user, requisition=obj)


class RequisitionActionView(RequisitionScreen, ActionView, Screen):
    """POST only: one transition service, back to the requisition (the list once deleted)."""


class RequisitionSubmitView(RequisitionActionView):
    success_message = gettext_lazy("Submitted %(record)s.")

    def run(self, obj):
        return requisition_submit(actor=self.request.user, requisition=obj)


class RequisitionApproveView(RequisitionActionView):
    success_message = gettext_lazy("Approved %(record)s.")

    def run(self, obj):
        return requisition_approve(actor=self.request.user, requisition=obj,
                                   comment=self.request.POST.get("comment", ""))


class RequisitionRejectView(RequisitionActionView):
    success_message = gettext_lazy("Rejected %(record)s.")

    def run(self, obj):
        return requisition_reject(actor=self.request.user, requisition=obj,
                                  comment=self.request.POST.get("comment", ""))


class RequisitionCancelView(RequisitionActionView):
    success_message = gettext_lazy("Cancelled %(record)s.")

    def run(self, obj):
        return requisition_cancel(actor=self.request.user, requisition=obj)


class ConvertForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("Turn into"), widget=forms.RadioSelect, initial="order",
                           choices=[("order", gettext_lazy("Purchase orders (one per supplier)")),
                                    ("rfq", gettext_lazy("A request for quotation"))])
    supplier = forms.ModelChoiceField(queryset=Partner.objects.none(), label=gettext_lazy("Supplier"),
                                      required=False, help_text=gettext_lazy(
                                          "Empty: each line's suggested supplier (for an RFQ: all of them)."))

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Partner.objects.filter(company=company, is_supplier=True,
                                                                  is_active=True).order_by("name")


class RequisitionConvertView(RequisitionScreen, Screen):
    """Approved requisitions with tick boxes (`?ids=` preselects), merged into orders or an RFQ."""

    action = "convert"
    template_name = "purchasing/requisitions/convert.html"
    title = gettext_lazy("Convert requisitions")

    def candidates(self):
        return (self.get_queryset().filter(state=RequisitionState.APPROVED)
                .prefetch_related("lines__product", "lines__uom", "lines__supplier").order_by("date", "pk"))

    def get(self, request, *args, **kwargs):
        chosen = {int(pk) for pk in request.GET.get("ids", "").split(",") if pk.strip().isdigit()}
        return self.show(ConvertForm(company=self.company), chosen)

    def show(self, form, chosen, status=200):
        return self.render({"form": form, "requisitions": self.candidates(), "chosen": chosen}, status=status)

    def post(self, request, *args, **kwargs):
        form = ConvertForm(request.POST, company=self.company)
        chosen = [int(pk) for pk in request.POST.getlist("requisitions") if pk.isdigit()]
        if form.is_valid():
            ids = list(self.candidates().filter(pk__in=chosen).values_list("pk", flat=True))
            try:
                result = requisition_convert(actor=request.user, requisitions=ids, to=form.cleaned_data["to"],
                                             supplier=form.cleaned_data["supplier"])
            except (errors.ValidationFailed, errors.InvalidState, errors.PermissionDenied) as error:
                apply_domain_error(form, error)
            else:
                if isinstance(result, Rfq):
                    messages.success(request, _("Created the request for quotation %(rfq)s.") % {"rfq": result})
                    return redirect("purchasing:rfq_detail", result.pk)
                messages.success(request, _("Created %(count)s purchase order(s): %(orders)s.") % {
                    "count": len(result), "orders": ", ".join(str(order) for order in result)})
                first = order_url(result[0]) if len(result) == 1 else None
                return redirect(first or self.url("list"))
        return self.show(form, set(chosen), status=400)


class ReplenishmentRequisitionView(Purchasing, Screen):
    """Inventory's replenishment list with tick boxes and quantities: raise requisitions (one per warehouse)
    or order straight away (one draft order per supplier)."""

    model = RequisitionLine
    permission = "purchasing.convert_requisition"
    template_name = "purchasing/requisitions/replenishment.html"
    title = gettext_lazy("Order from replenishment")

    def rows(self):
        warehouse = self.request.GET.get("warehouse") or self.request.POST.get("warehouse") or ""
        chosen = Warehouse.objects.filter(company=self.company, pk=warehouse).first() if warehouse.isdigit() else None
        return chosen, replenishment_rows(self.company, chosen)

    def get(self, request, *args, **kwargs):
        warehouse, rows = self.rows()
        return self.show(warehouse, rows)

    def show(self, warehouse, rows, error_rows=None, status=200):
        for index, row in enumerate(rows):
            row["index"] = index
            row["errors"] = (error_rows or {}).get(index, [])
        return self.render({"rows": rows, "warehouse": warehouse,
                            "warehouses": Warehouse.objects.filter(company=self.company, is_active=True)
                            .order_by("code"),
                            "can_order": self.can("add", model=_order_model())}, status=status)

    def post(self, request, *args, **kwargs):
        warehouse, rows = self.rows()
        picked, problems = [], {}
        for index, row in enumerate(rows):
            if request.POST.get(f"pick_{index}") != "on":
                continue
            key = f"rule_{index}"
            if request.POST.get(key) != str(row["rule"].pk):
                problems[index] = [_("The list changed meanwhile: check the row again.")]
                continue
            picked.append((index, {"product": row["product"], "warehouse": row["warehouse"], "uom": row["uom"],
                                   "supplier": row["supplier"], "arrives_on": row["arrives_on"],
                                   "quantity": request.POST.get(f"quantity_{index}", "").strip() or row["quantity"]}))
        if not picked and not problems:
            messages.error(request, _("Tick the products to order."))
            return self.show(warehouse, rows, status=400)
        if not problems:
            try:
                given = [item for _index, item in picked]
                if request.POST.get("to") == "order":
                    orders = replenishment_order(actor=request.user, company=self.company, rows=given)
                    messages.success(request, _("Created %(count)s purchase order(s): %(orders)s.") % {
                        "count": len(orders), "orders": ", ".join(str(order) for order in orders)})
                    return redirect(order_url(orders[0]) if len(orders) == 1 and order_url(orders[0])
                                    else self.request.path)
                created = requisition_from_replenishment(actor=request.user, company=self.company, rows=given)
                messages.success(request, _("Created %(count)s requisition(s).") % {"count": len(created)})
                if len(created) == 1:
                    return redirect("purchasing:requisition_detail", created[0].pk)
                return redirect("purchasing:requisition_list")
            except (errors.ValidationFailed, errors.PermissionDenied, errors.InvalidState) as error:
                for name, field_messages in (error.fields or {}).items():
                    parts = name.split(".")
                    if parts[0] == "rows" and len(parts) > 1 and parts[1].isdigit():
                        problems.setdefault(picked[int(parts[1])][0], []).extend(str(m) for m in field_messages)
                if not error.fields:
                    messages.error(request, str(error.message))
        return self.show(warehouse, rows, problems, status=400)


def _order_model():
    from ..models import PurchaseOrder

    return PurchaseOrder


urlpatterns = [
    path("requisitions/convert/", RequisitionConvertView.as_view(), name="requisition_convert"),
    path("replenishment/", ReplenishmentRequisitionView.as_view(), name="replenishment_requisition"),
    *screen_urls("requisitions/", "requisition", list_view=RequisitionListView, detail=RequisitionDetailView,
                 create=RequisitionCreateView, update=RequisitionUpdateView, delete=RequisitionDeleteView),
    *[path(f"requisitions/<int:pk>/{name}/", view.as_view(), name=f"requisition_{name}") for name, view in (
        ("submit", RequisitionSubmitView), ("approve", RequisitionApproveView), ("reject", RequisitionRejectView),
        ("cancel", RequisitionCancelView))],
]

"""Purchase orders: list, the order's page (lines with what was received, billed and returned; its receipts,
bills, returns and stock moves; one button per transition the user may make), the form (views.order_form),
the printable order (`?format=pdf` on the order's page gives the PDF, in the user's language) and the
transition endpoints. Approvers decide in the approvals panel above the tabs (its decision moves the order
through `on_decided`); `order_approve` / `order_reject` also take a POST with a `comment`. Every write goes
through services.orders."""

import django_filters
from django import forms
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.pdf import pdf_response
from tessera.core.views.actions import ActionView
from tessera.core.views.generic import Column, DeleteView, DetailView, ListView, Screen, Tab
from tessera.partners.models import Partner

from ..choices import ORDER_EDITABLE, ORDER_TRANSITIONS, OrderState
from ..models import PurchaseOrder
from ..services.orders import (
    order_approve,
    order_bills,
    order_cancel,
    order_close,
    order_confirm,
    order_delete,
    order_moves,
    order_reject,
    order_submit,
)
from .order_form import OrderCreateMixin, OrderLinesPartialMixin, OrderUpdateMixin


class Purchasing:
    """Mixed into every purchasing screen of this area (before the generic view)."""

    module = "purchasing"
    url_namespace = "purchasing"


def url_or_none(name: str, *args) -> str | None:
    """The url of `name`, or None while the area that serves it is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def company_suppliers(request):
    company = getattr(request, "company", None)
    return Partner.objects.filter(company=company, is_supplier=True) if company else Partner.objects.none()


class OrderFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=OrderState.choices, label=gettext_lazy("State"))
    partner = django_filters.ModelChoiceFilter(queryset=company_suppliers, label=gettext_lazy("Supplier"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = PurchaseOrder
        fields = ["state", "partner"]


class OrderScreen(Purchasing):
    model = PurchaseOrder
    list_url_name = "purchasing:order_list"
    detail_url_name = "purchasing:order_detail"
    create_url_name = "purchasing:order_create"
    update_url_name = "purchasing:order_update"

    def get_queryset(self):
        return super().get_queryset().select_related("partner", "currency", "warehouse", "payment_term", "buyer")


class OrderListView(OrderScreen, ListView):
    columns = [Column("number", value=str, sort="number", link=True), Column("partner", sort="partner__name"),
               "date", "expected_on", Column("warehouse", default=False), Column("currency", default=False),
               "total", "state", Column("reference", default=False), Column("buyer", default=False)]
    search_fields = ["number", "reference", "partner__name", "partner__code"]
    filterset_class = OrderFilter
    ordering = ["-date", "-pk"]


def needs_approval(order) -> bool:
    """Whether an approval rule applies to the order now (without one, it is confirmed straight away)."""
    from tessera.approvals.services import approval_rules_matching
    from tessera.core.services.companies import module_is_active

    if not module_is_active(order.company, "approvals"):
        return False
    try:
        return bool(approval_rules_matching(order))
    except errors.DomainError:
        return False


class OrderDetailView(OrderScreen, DetailView):
    template_name = "purchasing/orders/detail.html"
    tabs = [Tab("documents", gettext_lazy("Receipts, bills and returns"), "purchasing/orders/_documents.html"),
            Tab("moves", gettext_lazy("Stock moves"), "purchasing/orders/_moves.html")]

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "pdf":
            order = self.get_object()
            return pdf_response(request, "purchasing/orders/print.html", print_context(self, order),
                                order.number or f"purchase-order-draft-{order.pk}")
        return super().get(request, *args, **kwargs)

    def get_actions(self, obj):
        actions, state = [], obj.state

        def post(label, name, style, confirm=None):
            actions.append({"label": label, "url": reverse(f"purchasing:order_{name}", args=[obj.pk]),
                            "method": "post", "style": style, "confirm": confirm})

        if state in ORDER_EDITABLE and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
        if state in ORDER_TRANSITIONS["submit"] and self.can("submit") and needs_approval(obj):
            post(_("Submit for approval"), "submit", "outline-primary")
        if state in ORDER_TRANSITIONS["confirm"] and self.can("confirm"):
            post(_("Confirm order"), "confirm", "success",
                 _("Confirm this order? It gets its number and the goods are expected in the warehouse."))
        receive_url = url_or_none("purchasing:order_receive", obj.pk)
        if receive_url and state in ORDER_TRANSITIONS["receive"] and self.can("receive") \
                and any(line.to_receive > 0 for line in obj.lines.all()):
            actions.append({"label": _("Receive"), "url": receive_url, "method": "get", "style": "success"})
        bill_url = url_or_none("purchasing:order_bill", obj.pk)
        if bill_url and state in ORDER_TRANSITIONS["bill"] and self.can("bill") \
                and any(line.to_bill > 0 for line in obj.lines.all()):
            actions.append({"label": _("Bill"), "url": bill_url, "method": "post", "style": "outline-success",
                            "confirm": _("Create a draft supplier bill for what was received and not billed yet?")})
        if state in ORDER_TRANSITIONS["close"] and self.can("cancel"):
            post(_("Close"), "close", "outline-secondary",
                 _("Close this order? What has not arrived yet is no longer expected."))
        if state in ORDER_TRANSITIONS["cancel"] and self.can("cancel"):
            post(_("Cancel"), "cancel", "outline-danger", _("Cancel this order?"))
        actions.append({"label": _("Print"), "url": reverse("purchasing:order_print", args=[obj.pk]),
                        "method": "get"})
        actions.append({"label": "PDF", "url": reverse("purchasing:order_detail", args=[obj.pk]) + "?format=pdf",
                        "method": "get"})
        if state == OrderState.DRAFT and self.can("delete"):
            post(_("Delete"), "delete", "outline-danger", _("Delete this draft order?"))
        return actions

    def get_tab_context(self, obj):
        lines = list(obj.lines.select_related("product", "uom").prefetch_related("taxes").order_by("sequence", "pk"))
        return {
            "lines": lines,
            "receipts": obj.receipts.order_by("date", "pk"),
            "bills": order_bills(obj).select_related("currency"),
            "returns": obj.returns.order_by("date", "pk"),
            "moves": order_moves(obj).select_related("product", "uom", "location", "location_dest").order_by("pk"),
            "receipt_url": bool(url_or_none("purchasing:receipt_detail", 0)),
            "return_url": bool(url_or_none("purchasing:return_detail", 0)),
        }


def print_context(screen, order) -> dict:
    return {"order": order, "company": screen.company, "printed_at": timezone.localtime(),
            "lines": order.lines.select_related("product", "uom").prefetch_related("taxes").order_by("sequence", "pk")}


class OrderPrintView(OrderScreen, Screen):
    """The order as a clean printable page (A4, Chinese fonts)."""

    template_name = "purchasing/orders/print.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, print_context(self, self.get_object()))


class OrderCreateView(OrderScreen, OrderCreateMixin, Screen):
    pass


class OrderUpdateView(OrderScreen, OrderUpdateMixin, Screen):
    pass


class OrderLinesView(OrderScreen, OrderLinesPartialMixin, Screen):
    pass


class OrderDeleteView(OrderScreen, DeleteView):
    def perform(self, obj):
        order_delete(actor=self.request.user, order=obj)


class DecisionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=1000)


class OrderActionView(OrderScreen, ActionView, Screen):
    """POST only: one transition service, back to the order (core's ActionView)."""

    def comment(self) -> str:
        form = DecisionForm(self.request.POST)
        return form.cleaned_data["comment"] if form.is_valid() else ""


class OrderSubmitView(OrderActionView):
    success_message = gettext_lazy("%(record)s: %(state)s.")

    def run(self, order):
        return order_submit(actor=self.request.user, order=order)


class OrderApproveView(OrderActionView):
    success_message = gettext_lazy("You approved %(record)s.")

    def run(self, order):
        return order_approve(actor=self.request.user, order=order, comment=self.comment())


class OrderRejectView(OrderActionView):
    success_message = gettext_lazy("You rejected %(record)s: it is back to draft.")

    def run(self, order):
        return order_reject(actor=self.request.user, order=order, comment=self.comment())


class OrderConfirmView(OrderActionView):
    success_message = gettext_lazy("Purchase order %(record)s is confirmed.")

    def run(self, order):
        return order_confirm(actor=self.request.user, order=order)


class OrderCancelView(OrderActionView):
    success_message = gettext_lazy("Purchase order %(record)s is cancelled.")

    def run(self, order):
        return order_cancel(actor=self.request.user, order=order)


class OrderCloseView(OrderActionView):
    success_message = gettext_lazy("Purchase order %(record)s is closed.")

    def run(self, order):
        return order_close(actor=self.request.user, order=order)


urlpatterns = [
    path("orders/", OrderListView.as_view(), name="order_list"),
    path("orders/new/", OrderCreateView.as_view(), name="order_create"),
    path("orders/lines/", OrderLinesView.as_view(), name="order_form_lines"),
    path("orders/<int:pk>/", OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", OrderUpdateView.as_view(), name="order_update"),
    path("orders/<int:pk>/print/", OrderPrintView.as_view(), name="order_print"),
    path("orders/<int:pk>/delete/", OrderDeleteView.as_view(), name="order_delete"),
    *[path(f"orders/<int:pk>/{name}/", view.as_view(), name=f"order_{name}") for name, view in (
        ("submit", OrderSubmitView), ("approve", OrderApproveView), ("reject", OrderRejectView),
        ("confirm", OrderConfirmView), ("cancel", OrderCancelView), ("close", OrderCloseView))],
]

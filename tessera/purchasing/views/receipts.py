"""Goods receipt screens: receiving against an order (every open line with what is still to come prefilled,
lots and serial numbers typed or scanned one per row for tracked products, partial receipts), the list of
receipts and a receipt's page. Every write goes through services.receipts.order_receive."""

import datetime
from decimal import Decimal, InvalidOperation

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, DetailView, ListView, Screen
from tessera.products.choices import Tracking

from ..models import PurchaseOrder, Receipt
from ..services.receipts import is_stocked, order_receive
from ..services.settings import purchase_settings


class Purchasing:
    """Mixed into every purchasing screen (before the generic view)."""

    module = "purchasing"
    url_namespace = "purchasing"


def order_url(order) -> str | None:
    try:
        return reverse("purchasing:order_detail", args=[order.pk])
    except NoReverseMatch:
        return None


# --- Receiving -------------------------------------------------------------------------------


def parse_lots(text: str, *, serial: bool) -> list[dict]:
    """Lots typed or scanned one per row: a serial number alone, or "LOT quantity [expiry YYYY-MM-DD]"
    (commas, semicolons, tabs or spaces between). A lot without a quantity takes the whole line."""
    lots = []
    for row in (text or "").splitlines():
        parts = row.replace(",", " ").replace(";", " ").replace("\t", " ").split()
        if not parts:
            continue
        lot = {"lot_name": parts[0]}
        if not serial:
            for part in parts[1:]:
                if len(part) == 10 and part[4] == "-" and part[7] == "-":
                    lot["expiry_on"] = part
                else:
                    lot["quantity"] = part
        lots.append(lot)
    return lots


class ReceiveRow:
    """One open order line on the receive screen, with what was typed and its errors."""

    def __init__(self, line, quantity: str, lots: str = "", errors_: list | None = None):
        self.line = line
        self.quantity = quantity
        self.lots = lots
        self.errors = errors_ or []
        self.tracking = line.product.tracking if is_stocked(line) else Tracking.NONE

    @property
    def is_serial(self) -> bool:
        return self.tracking == Tracking.SERIAL

    @property
    def is_tracked(self) -> bool:
        return self.tracking != Tracking.NONE


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


class OrderReceiveView(Purchasing, Screen):
    """`purchasing:order_receive`: receive goods against a confirmed order."""

    model = PurchaseOrder
    action = "receive"
    template_name = "purchasing/receipts/receive.html"

    def get_title(self) -> str:
        return _("Receive %(order)s") % {"order": self.order}

    def get_breadcrumbs(self, obj=None):
        crumbs = super().get_breadcrumbs()
        crumbs.append((str(self.order), order_url(self.order)))
        return crumbs

    def open_lines(self):
        return [line for line in self.order.lines.select_related("product__uom", "uom").order_by("sequence", "pk")
                if line.to_receive > 0]

    def page(self, rows, *, date, reference, form_errors=(), status=200):
        receivable = self.order.state in ("confirmed", "partially_received", "received", "billed")
        return self.render({
            "order": self.order, "rows": rows, "date": date, "reference": reference, "form_errors": form_errors,
            "receivable": receivable, "order_url": order_url(self.order),
            "tolerance": purchase_settings(self.company).over_receipt_percent}, status=status)

    def get(self, request, *args, **kwargs):
        self.order = self.get_object()
        rows = [ReceiveRow(line, _plain(line.to_receive)) for line in self.open_lines()]
        return self.page(rows, date=timezone.localdate().isoformat(), reference="")

    def post(self, request, *args, **kwargs):
        self.order = self.get_object()
        data = request.POST
        rows = [ReceiveRow(line, data.get(f"quantity-{line.pk}", "").strip(), data.get(f"lots-{line.pk}", ""))
                for line in self.open_lines()]
        date_text, reference = data.get("date", "").strip(), data.get("reference", "").strip()
        form_errors, lines, sent = [], [], []
        try:
            day = datetime.date.fromisoformat(date_text) if date_text else timezone.localdate()
        except ValueError:
            form_errors.append(_("Date: enter a date as YYYY-MM-DD."))
            day = None
        for row in rows:
            if row.quantity in ("", "0"):
                continue
            try:
                if Decimal(row.quantity) == 0:
                    continue
            except InvalidOperation:
                row.errors.append(_("Enter a number."))
                continue
            item = {"line": row.line.pk, "quantity": row.quantity}
            if row.is_tracked:
                item["lots"] = parse_lots(row.lots, serial=row.is_serial)
            lines.append(item)
            sent.append(row)
        if not lines and not any(row.errors for row in rows):
            form_errors.append(_("Enter the quantity received on at least one line."))
        if form_errors or any(row.errors for row in rows):
            return self.page(rows, date=date_text, reference=reference, form_errors=form_errors, status=400)
        try:
            receipt = order_receive(actor=request.user, order=self.order, lines=lines, date=day, reference=reference)
        except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
            for key, field_messages in (error.fields or {}).items():
                parts = key.split(".")
                if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(sent):
                    sent[int(parts[1])].errors.extend(str(message) for message in field_messages)
                else:
                    form_errors.extend(f"{key}: {message}" if key not in ("lines", "non_field_errors") else str(message)
                                       for message in field_messages)
            if not error.fields:
                form_errors.append(str(error.message))
            return self.page(rows, date=date_text, reference=reference, form_errors=form_errors,
                             status=409 if isinstance(error, errors.InvalidState | errors.Conflict) else 400)
        messages.success(request, _("Received %(receipt)s.") % {"receipt": receipt.number})
        return redirect("purchasing:receipt_detail", pk=receipt.pk)


# --- Receipts --------------------------------------------------------------------------------


class ReceiptFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = Receipt
        fields = []


class ReceiptScreen(Purchasing):
    model = Receipt

    def get_queryset(self):
        return super().get_queryset().select_related("order__partner", "received_by")


class ReceiptListView(ReceiptScreen, ListView):
    columns = [Column("number", sort="number", link=True), "date",
               Column("order", label=gettext_lazy("Order"), value=lambda receipt: receipt.order, sort="order__number"),
               Column("order__partner__name", label=gettext_lazy("Supplier")), "reference",
               Column("received_by", value=lambda receipt: receipt.received_by, sort="received_by__username"),
               "state"]
    search_fields = ["number", "reference", "order__number", "order__partner__name"]
    filterset_class = ReceiptFilter
    ordering = ["-date", "-pk"]


class ReceiptDetailView(ReceiptScreen, DetailView):
    template_name = "purchasing/receipts/detail.html"
    fields = ["number", Column("order", value=lambda receipt: receipt.order), "date", "reference", "received_by",
              "state", "created_at"]

    def get_tab_context(self, obj):
        lines = list(obj.lines.select_related("order_line__product", "order_line__uom", "move__product__uom")
                     .prefetch_related("move__lines__lot").order_by("pk"))
        for line in lines:
            line.lots = [move_line for move_line in line.move.lines.all() if move_line.is_done and move_line.lot_id] \
                if line.move_id else []
        return {"lines": lines, "order_url": order_url(obj.order),
                "total_value": sum((line.value for line in lines), Decimal("0"))}


urlpatterns = [
    path("orders/<int:pk>/receive/", OrderReceiveView.as_view(), name="order_receive"),
    path("receipts/", ReceiptListView.as_view(), name="receipt_list"),
    path("receipts/<int:pk>/", ReceiptDetailView.as_view(), name="receipt_detail"),
]

"""Customer and supplier invoices and credit notes: list, detail, the invoice form with its lines
(live totals in invoice_form.js), post, cancel, credit note, delete and the printable invoice.

The form reuses the journal entry form's view (header + lines formset, line errors on their cells,
Save and post); every write goes through services.invoices."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, DeleteView, DetailView, ListView, Screen, Tab, YesNoFilter
from tessera.partners.models import Partner

from ..choices import CUSTOMER_KINDS, InvoiceKind, InvoiceState
from ..forms_documents import InvoiceForm, InvoiceLineFormSet, tax_rates
from ..models import Invoice, Payment
from ..services.invoices import (
    credit_note_create,
    invoice_cancel,
    invoice_create,
    invoice_delete,
    invoice_post,
    invoice_update,
)
from ..services.taxes import document_taxes
from .common import Accounting, DraftUpdateMixin, TransitionView, error_text
from .entries import DOMAIN_ERRORS, EntryFormView, EntryPrintView

OPEN_STATES = (InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID)
SIDES = {"customer": [kind.value for kind in CUSTOMER_KINDS],
         "supplier": [kind.value for kind in InvoiceKind if kind not in CUSTOMER_KINDS]}


def company_partners(request):
    company = getattr(request, "company", None)
    return Partner.objects.filter(company=company) if company is not None else Partner.objects.none()


def side_of(kind: str) -> str:
    return "customer" if kind in SIDES["customer"] else "supplier"


def overdue(queryset, today=None):
    """Posted invoices not fully paid whose due date has passed."""
    return queryset.filter(state__in=OPEN_STATES, due_on__lt=today or timezone.localdate())


class InvoiceFilter(django_filters.FilterSet):
    side = django_filters.ChoiceFilter(
        label=gettext_lazy("Side"), method="filter_side",
        choices=[("customer", gettext_lazy("Customer")), ("supplier", gettext_lazy("Supplier"))])
    kind = django_filters.ChoiceFilter(choices=InvoiceKind.choices, label=gettext_lazy("Kind"))
    state = django_filters.ChoiceFilter(choices=InvoiceState.choices, label=gettext_lazy("State"))
    partner = django_filters.ModelChoiceFilter(queryset=company_partners, label=gettext_lazy("Partner"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())
    overdue = YesNoFilter(label=gettext_lazy("Overdue"), method="filter_overdue")

    class Meta:
        model = Invoice
        fields = ["side", "kind", "state", "partner"]

    def filter_side(self, queryset, name, value):
        return queryset.filter(kind__in=SIDES[value]) if value in SIDES else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = overdue(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class InvoiceScreen(Accounting):
    model = Invoice

    def get_queryset(self):
        return super().get_queryset().select_related("partner", "currency", "journal")


class InvoiceListView(InvoiceScreen, ListView):
    columns = [
        Column("number", value=str, sort="number", link=True), "kind", Column("partner", sort="partner__name"),
        "date", "due_on", Column("currency", default=False), "total",
        Column("residual", gettext_lazy("Residual"), value=lambda invoice: invoice.residual, sort=None),
        "state", Column("reference", default=False),
    ]
    search_fields = ["number", "reference", "description", "partner__name", "partner__code"]
    filterset_class = InvoiceFilter
    ordering = ["-date", "-pk"]

    def get_title(self):
        side = self.request.GET.get("side")
        if side == "customer":
            return str(_("Customer invoices"))
        if side == "supplier":
            return str(_("Supplier invoices"))
        return super().get_title()

    def get_extra_context(self):
        side = self.request.GET.get("side")
        create_url = self.url("create") if self.can("add") else None
        return {"create_url": f"{create_url}?side={side}" if create_url and side in SIDES else create_url}


def price_text(value) -> str:
    """A unit price as shown: two decimals at least, more only when the price has them (185.50, 0.0125)."""
    places = max(2, -value.normalize().as_tuple().exponent)
    return number_format(value, places, force_grouping=True)


def with_prices(lines) -> list:
    lines = list(lines)
    for line in lines:
        line.price_text = price_text(line.unit_price)
    return lines


def tax_summary(invoice) -> list[dict]:
    """The invoice's tax per tax (rate), for the totals box: base and amount. The stored totals stay the
    authority; this splits them for display."""
    lines = [(line.quantity * line.unit_price * (100 - line.discount) / 100, list(line.taxes.all()))
             for line in invoice.lines.all()]
    if not lines:
        return []
    result = document_taxes(lines, invoice.currency, invoice.tax_rounding)
    return [{"tax": item.tax, "base": item.base, "amount": item.amount} for item in result.taxes]


class InvoiceDetailView(InvoiceScreen, DetailView):
    template_name = "accounting/invoices/detail.html"
    tabs = [Tab("payments", gettext_lazy("Payments"), "accounting/invoices/_payments.html")]

    def get_actions(self, obj):
        actions = []
        draft = obj.state == InvoiceState.DRAFT

        def post_action(label, name, style, confirm=None):
            actions.append({"label": label, "url": reverse(f"accounting:{name}", args=[obj.pk]), "method": "post",
                            "style": style, "confirm": confirm})

        if draft and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
        if draft and self.can("post"):
            post_action(_("Post"), "invoice_post", "success",
                        _("Post this invoice? A posted invoice cannot be changed."))
        if obj.state in OPEN_STATES and obj.residual > 0 and self.can("add", model=Payment):
            kind = "inbound" if (obj.kind == InvoiceKind.CUSTOMER_INVOICE
                                 or obj.kind == InvoiceKind.SUPPLIER_CREDIT) else "outbound"
            actions.append({"label": _("Register payment"), "method": "get", "style": "success",
                            "url": f"{reverse('accounting:payment_create')}?invoice={obj.pk}&kind={kind}"})
        if obj.state in OPEN_STATES and obj.kind not in (InvoiceKind.CUSTOMER_CREDIT,
                                                                 InvoiceKind.SUPPLIER_CREDIT) and self.can("add"):
            post_action(_("Create credit note"), "invoice_credit_note", "outline-secondary")
        if obj.state in (InvoiceState.DRAFT, InvoiceState.POSTED) and obj.amount_paid == 0 and self.can("cancel"):
            post_action(_("Cancel"), "invoice_cancel", "outline-danger",
                        _("Cancel this invoice? A posted invoice is cancelled by a credit note for its full amount."))
        actions.append({"label": _("Print"), "url": reverse("accounting:invoice_print", args=[obj.pk]),
                        "method": "get"})
        if draft and self.can("delete"):
            post_action(_("Delete"), "invoice_delete", "outline-danger", _("Delete this draft invoice?"))
        return actions

    def get_tab_context(self, obj):
        lines = with_prices(obj.lines.select_related("account", "cost_center").prefetch_related("taxes"))
        return {
            "lines": lines,
            "tax_summary": tax_summary(obj),
            "allocations": obj.allocations.select_related("payment", "payment__journal").order_by("payment__date"),
            "credit_notes": obj.credit_notes.all(),
        }


# --- The invoice form ------------------------------------------------------------------------

# Left empty, these take the service's default (the partner's term and currency) rather than "none".
DEFAULTED = ("payment_term", "currency")


def without_blank_defaults(data: dict) -> dict:
    return {name: value for name, value in data.items() if value is not None or name not in DEFAULTED}


def line_initial(line) -> dict:
    return {"description": line.description, "account": line.account_id, "quantity": line.quantity,
            "unit_price": line.unit_price, "discount": line.discount, "cost_center": line.cost_center_id,
            "taxes": [tax.pk for tax in line.taxes.all()]}


class InvoiceFormView(InvoiceScreen, EntryFormView):
    """The invoice form: header and lines (the entry form's view with invoice forms), live line
    subtotals and document totals (an estimate: the server's figures are stored on save)."""

    template_name = "accounting/invoices/form.html"
    blank_lines = 2

    def get_initial(self) -> dict:
        return {}

    def get_forms(self, data=None, files=None):
        invoice = getattr(self, "object", None)
        header = InvoiceForm(data=data, instance=invoice or Invoice(company=self.company),
                             initial=self.get_initial(), company=self.company)
        rows = [line_initial(line) for line in invoice.lines.prefetch_related("taxes")] if invoice else []
        lines = InvoiceLineFormSet(data=data, prefix="lines", company=self.company,
                                   initial=rows + [{}] * max(self.blank_lines - len(rows), 0))
        return header, lines

    def after_save(self, invoice, *, post: bool):
        if not post:
            messages.success(self.request, _("Invoice saved as a draft."))
            return redirect(self.url("detail", invoice))
        try:
            invoice = invoice_post(actor=self.request.user, invoice=invoice)
        except (errors.PermissionDenied, *DOMAIN_ERRORS) as error:
            messages.error(self.request, _("The invoice is saved as a draft but not posted: %(reason)s")
                           % {"reason": error_text(error)})
            return redirect(self.url("update", invoice))
        messages.success(self.request, _("Invoice %(number)s is posted.") % {"number": invoice.number})
        return redirect(self.url("detail", invoice))

    def render_forms(self, header, lines, status=200):
        invoice = getattr(self, "object", None)
        return self.render({
            "form": header, "lines": lines, "object": invoice,
            "tax_rates": tax_rates(self.company),
            "currency_code": invoice.currency.code if invoice else self.company.base_currency.code,
            "can_post": self.can("post"), "cancel_url": self.get_cancel_url(),
        }, status=status)


class InvoiceCreateView(InvoiceFormView):
    action = "add"
    title = gettext_lazy("New invoice")

    def get_initial(self):
        kind = self.request.GET.get("kind")
        if kind not in InvoiceKind.values:
            kind = (InvoiceKind.SUPPLIER_INVOICE if self.request.GET.get("side") == "supplier"
                    else InvoiceKind.CUSTOMER_INVOICE)
        return {"kind": kind, "date": timezone.localdate(), "partner": self.request.GET.get("partner")}

    def save(self, data, lines, version, files):
        return invoice_create(actor=self.request.user, company=self.company, data=without_blank_defaults(data),
                              lines=lines)


class InvoiceUpdateView(DraftUpdateMixin, InvoiceFormView):
    not_draft_message = gettext_lazy("Invoice %(number)s is posted: correct it with a credit note.")

    def save(self, data, lines, version, files):
        return invoice_update(actor=self.request.user, invoice=self.object, data=without_blank_defaults(data),
                              lines=lines, version=version)


# --- Actions ---------------------------------------------------------------------------------

class InvoicePostView(InvoiceScreen, TransitionView, Screen):
    def transition(self, obj):
        invoice = invoice_post(actor=self.request.user, invoice=obj)
        messages.success(self.request, _("Invoice %(number)s is posted.") % {"number": invoice.number})
        return invoice


class InvoiceCancelView(InvoiceScreen, TransitionView, Screen):
    success_message = gettext_lazy("Invoice %(record)s is cancelled.")

    def transition(self, obj):
        return invoice_cancel(actor=self.request.user, invoice=obj)


class InvoiceCreditNoteView(InvoiceScreen, TransitionView, Screen):
    """Make a draft credit note copying the invoice's lines, and open it for editing."""

    success_message = gettext_lazy("A draft credit note is ready: adjust it and post it.")

    def transition(self, obj):
        return credit_note_create(actor=self.request.user, invoice=obj)

    def get_redirect_url(self, obj, result):
        return self.url("update", result) if result is not None else self.url("detail", obj)


class InvoiceDeleteView(InvoiceScreen, DeleteView):
    def perform(self, obj):
        invoice_delete(actor=self.request.user, invoice=obj)


class InvoicePrintView(InvoiceScreen, EntryPrintView):
    """The invoice as a clean printable page (A4, Chinese fonts); `?format=pdf` gives it as a PDF."""

    template_name = "accounting/invoices/print.html"
    pdf_prefix = "invoice"

    def context(self, invoice) -> dict:
        return {
            "invoice": invoice, "company": self.company,
            "lines": with_prices(invoice.lines.select_related("account").prefetch_related("taxes")),
            "tax_summary": tax_summary(invoice),
            "is_customer": side_of(invoice.kind) == "customer",
            "printed_at": timezone.localtime(),
        }

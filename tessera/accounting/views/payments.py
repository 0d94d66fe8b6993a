"""Payments (receipts and disbursements): list, detail, the payment form with its allocation section
(the partner's open invoices, loaded again by htmx when the partner or kind changes), post, cancel,
later allocation of a posted payment's remainder, and delete. Every write goes through services.payments."""

from decimal import Decimal, InvalidOperation

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.generic import (
    Column,
    DeleteView,
    DetailView,
    FormScreen,
    ListView,
    Screen,
    apply_domain_error,
    form_data,
    is_htmx,
)

from ..choices import CUSTOMER_KINDS, JournalKind, PaymentKind, PaymentState
from ..forms_documents import PaymentForm
from ..models import Invoice, Journal, Payment
from ..selectors import open_invoices
from ..services.payments import (
    payment_allocate,
    payment_cancel,
    payment_create,
    payment_delete,
    payment_post,
    payment_remainder,
    payment_update,
)
from .common import Accounting, DraftUpdateMixin, TransitionView, error_text
from .entries import DOMAIN_ERRORS
from .invoices import company_partners, without_blank_defaults


def money_journals(request):
    company = getattr(request, "company", None)
    return Journal.objects.filter(company=company, kind__in=[JournalKind.BANK, JournalKind.CASH])


class PaymentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PaymentKind.choices, label=gettext_lazy("Kind"))
    state = django_filters.ChoiceFilter(choices=PaymentState.choices, label=gettext_lazy("State"))
    partner = django_filters.ModelChoiceFilter(queryset=company_partners, label=gettext_lazy("Partner"))
    journal = django_filters.ModelChoiceFilter(queryset=money_journals, label=gettext_lazy("Journal"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = Payment
        fields = ["kind", "state", "partner", "journal"]


class PaymentScreen(Accounting):
    model = Payment

    def get_queryset(self):
        return super().get_queryset().select_related("partner", "journal", "currency")


class PaymentListView(PaymentScreen, ListView):
    columns = [
        Column("number", value=str, sort="number", link=True), "kind", Column("partner", sort="partner__name"),
        "journal", "date", "amount", Column("currency", sort="currency__code"), "state",
        Column("reference", default=False),
    ]
    search_fields = ["number", "reference", "description", "partner__name", "partner__code"]
    filterset_class = PaymentFilter
    ordering = ["-date", "-pk"]


class PaymentDetailView(PaymentScreen, DetailView):
    template_name = "accounting/payments/detail.html"

    def get_actions(self, obj):
        actions = []
        draft = obj.state == PaymentState.DRAFT

        def post_action(label, name, style, confirm=None):
            actions.append({"label": label, "url": reverse(f"accounting:{name}", args=[obj.pk]), "method": "post",
                            "style": style, "confirm": confirm})

        if draft and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
        if draft and self.can("post"):
            post_action(_("Post"), "payment_post", "success",
                        _("Post this payment? A posted payment cannot be changed."))
        if obj.state == PaymentState.POSTED and payment_remainder(obj) > 0 and self.can("post"):
            actions.append({"label": _("Allocate"), "url": reverse("accounting:payment_allocate", args=[obj.pk]),
                            "method": "get", "style": "primary"})
        if obj.state != PaymentState.CANCELLED and self.can("cancel"):
            post_action(_("Cancel"), "payment_cancel", "outline-danger",
                        _("Cancel this payment? A posted payment is reversed and its invoices are open again."))
        if draft and self.can("delete"):
            post_action(_("Delete"), "payment_delete", "outline-danger", _("Delete this draft payment?"))
        return actions

    def get_tab_context(self, obj):
        return {"allocations": obj.allocations.select_related("invoice").order_by("invoice__date", "invoice__pk"),
                "unallocated": payment_remainder(obj)}


# --- Allocations -----------------------------------------------------------------------------

def side_of(kind: str) -> str:
    return "customer" if kind == PaymentKind.INBOUND else "supplier"


def allocation_rows(company, partner, kind, *, include=(), amounts=None) -> list[dict]:
    """The invoices a payment can settle, oldest due first: the partner's open invoices of the
    payment's side, plus `include` (invoices it settles already, or the one it was opened from).
    Each row: invoice, residual, amount (as entered), error."""
    invoices = list(open_invoices(company, partner, side_of(kind))) if partner is not None and kind else []
    known = {invoice.pk for invoice in invoices}
    invoices += [invoice for invoice in include if invoice.pk not in known]
    invoices.sort(key=lambda invoice: (invoice.due_on or invoice.date, invoice.date, invoice.pk))
    amounts = amounts or {}
    return [{"invoice": invoice, "residual": invoice.residual, "amount": amounts.get(invoice.pk, ""),
             "error": None, "is_credit": invoice.kind not in CUSTOMER_KINDS and kind == PaymentKind.INBOUND}
            for invoice in invoices]


def read_allocations(post, rows) -> tuple[list[dict], list[dict]]:
    """The amounts typed against each row: (allocations for the service, the rows they came from, in the
    same order, so `allocations.<n>` errors land on their row). Bad numbers mark their row."""
    allocations, sent = [], []
    for row in rows:
        raw = (post.get(f"allocation-{row['invoice'].pk}") or "").replace(",", "").strip()
        row["amount"] = raw
        if not raw:
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            row["error"] = _("Enter a number.")
            continue
        if value:
            allocations.append({"invoice": row["invoice"], "amount": value})
            sent.append(row)
    return allocations, sent


def allocation_error(sent, error: errors.DomainError):
    """Put `allocations.<n>.amount` messages on their rows; return the rest of the error (None when
    nothing is left), for the form or the page."""
    other = {}
    for key, field_messages in (error.fields or {}).items():
        listed = field_messages if isinstance(field_messages, list | tuple) else [field_messages]
        parts = key.split(".")
        if parts[0] == "allocations" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(sent):
            sent[int(parts[1])]["error"] = " ".join(str(message) for message in listed)
        else:
            other[key] = listed
    return type(error)(error.message, fields=other) if other or not error.fields else None


class AllocationsMixin:
    """The allocation section: rendered in the page, or alone for htmx (`?partial=allocations`)."""

    partial_template = "accounting/payments/_allocations.html"

    def partner_from(self, value):
        return company_partners(self.request).filter(pk=value).first() if str(value or "").isdigit() else None

    def allocations_context(self, rows, amount=None) -> dict:
        return {"rows": rows, "payment_amount": amount, "allocations_url": self.request.path}


class PaymentFormView(PaymentScreen, AllocationsMixin, FormScreen):
    template_name = "accounting/payments/form.html"
    initial_invoices: list = []  # the invoice a payment is registered from (?invoice=)

    def existing(self) -> tuple[list, dict]:
        """The invoices the payment settles already, and the amounts."""
        payment = getattr(self, "object", None)
        if payment is None:
            return [], {}
        allocations = list(payment.allocations.select_related("invoice"))
        return [item.invoice for item in allocations], {item.invoice_id: item.amount for item in allocations}

    def get_form(self, data=None, files=None):
        payment = getattr(self, "object", None)
        return PaymentForm(data=data, instance=payment or Payment(company=self.company), initial=self.get_initial(),
                           company=self.company)

    def get_initial(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        if request.GET.get("partial") == "allocations" and is_htmx(request):
            include, amounts = self.existing()
            rows = allocation_rows(self.company, self.partner_from(request.GET.get("partner")),
                                   request.GET.get("kind"), include=include, amounts=amounts)
            return self.render(self.allocations_context(rows), self.partial_template)
        form = self.get_form()
        include, amounts = self.existing()
        include += self.initial_invoices
        amounts.update({invoice.pk: invoice.residual for invoice in self.initial_invoices})
        rows = allocation_rows(self.company, self.partner_from(form["partner"].value()), form["kind"].value(),
                               include=include, amounts=amounts)
        return self.render_payment(form, rows)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        valid = form.is_valid()
        include = self.existing()[0] + self.initial_invoices
        rows = allocation_rows(self.company, form.cleaned_data.get("partner"), form.cleaned_data.get("kind"),
                               include=include)
        allocations, sent = read_allocations(request.POST, rows)
        if valid and not any(row["error"] for row in rows):
            data = without_blank_defaults(form_data(form))
            version = data.pop("version", None)
            try:
                payment = self.save(data, allocations, version)
            except DOMAIN_ERRORS as error:
                rest = allocation_error(sent, error)
                if rest is not None:
                    apply_domain_error(form, rest)
            else:
                return self.after_save(payment, post=bool(request.POST.get("post")))
        return self.render_payment(form, rows)

    def after_save(self, payment, *, post: bool):
        if not post:
            messages.success(self.request, _("Payment saved as a draft."))
            return redirect(self.url("detail", payment))
        try:
            payment = payment_post(actor=self.request.user, payment=payment)
        except (errors.PermissionDenied, *DOMAIN_ERRORS) as error:
            messages.error(self.request, _("The payment is saved as a draft but not posted: %(reason)s")
                           % {"reason": error_text(error)})
            return redirect(self.url("update", payment))
        messages.success(self.request, _("Payment %(number)s is posted.") % {"number": payment.number})
        return redirect(self.url("detail", payment))

    def render_payment(self, form, rows, status=200):
        return self.render({"form": form, "object": getattr(self, "object", None), "can_post": self.can("post"),
                            "cancel_url": self.get_cancel_url(), **self.allocations_context(rows)}, status=status)


class PaymentCreateView(PaymentFormView):
    action = "add"
    title = gettext_lazy("New payment")

    def check_access(self):
        super().check_access()
        # Register payment from an invoice: its partner, currency and residual come prefilled.
        invoice_pk = self.request.GET.get("invoice", "")
        invoice = (Invoice.objects.filter(company=self.company, pk=invoice_pk).select_related("partner").first()
                   if invoice_pk.isdigit() else None)
        self.initial_invoices = [invoice] if invoice is not None else []

    def get_initial(self):
        kind = self.request.GET.get("kind")
        initial = {"kind": kind if kind in PaymentKind.values else PaymentKind.INBOUND, "date": timezone.localdate(),
                   "journal": money_journals(self.request).filter(is_active=True).order_by("kind", "code").first()}
        if self.initial_invoices:
            invoice = self.initial_invoices[0]
            initial.update({"partner": invoice.partner, "amount": invoice.residual, "currency": invoice.currency,
                            "reference": invoice.number or ""})
        elif (partner := self.partner_from(self.request.GET.get("partner"))) is not None:
            initial["partner"] = partner
        return initial

    def save(self, data, allocations, version):
        return payment_create(actor=self.request.user, company=self.company, data=data, allocations=allocations)


class PaymentUpdateView(DraftUpdateMixin, PaymentFormView):
    not_draft_message = gettext_lazy("Payment %(number)s is posted: cancel it to correct it.")

    def save(self, data, allocations, version):
        return payment_update(actor=self.request.user, payment=self.object, data=data, allocations=allocations,
                              version=version)


class PaymentAllocateView(PaymentScreen, AllocationsMixin, Screen):
    """Allocate what a posted payment has left (a prepayment) to the partner's open invoices."""

    template_name = "accounting/payments/allocate.html"

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Allocate %(record)s") % {"record": self.object}

    def rows(self):
        return allocation_rows(self.company, self.object.partner, self.object.kind)

    def render_page(self, rows, problems=()):
        return self.render({"object": self.object, "problems": problems, "remainder": payment_remainder(self.object),
                            **self.allocations_context(rows, payment_remainder(self.object))})

    def get(self, request, *args, **kwargs):
        return self.render_page(self.rows())

    def post(self, request, *args, **kwargs):
        rows = self.rows()
        allocations, sent = read_allocations(request.POST, rows)
        if any(row["error"] for row in rows):
            return self.render_page(rows)
        if not allocations:
            return self.render_page(rows, [_("Enter an amount against at least one invoice.")])
        try:
            payment_allocate(actor=request.user, payment=self.object, allocations=allocations)
        except (errors.PermissionDenied, *DOMAIN_ERRORS) as error:
            rest = error if isinstance(error, errors.PermissionDenied) else allocation_error(sent, error)
            return self.render_page(rows, [error_text(rest)] if rest is not None else [])
        messages.success(request, _("Payment %(number)s is allocated.") % {"number": self.object.number})
        return redirect(self.url("detail", self.object))


# --- Actions ---------------------------------------------------------------------------------

class PaymentPostView(PaymentScreen, TransitionView, Screen):
    def transition(self, obj):
        payment = payment_post(actor=self.request.user, payment=obj)
        messages.success(self.request, _("Payment %(number)s is posted.") % {"number": payment.number})
        return payment


class PaymentCancelView(PaymentScreen, TransitionView, Screen):
    success_message = gettext_lazy("Payment %(record)s is cancelled.")

    def transition(self, obj):
        return payment_cancel(actor=self.request.user, payment=obj)


class PaymentDeleteView(PaymentScreen, DeleteView):
    def perform(self, obj):
        payment_delete(actor=self.request.user, payment=obj)

"""Supplier bill screens: billing an order (POST, then the draft bill in accounting), the three-way match of
a bill side by side (ordered, received, billed per line, differences highlighted, approve, link the lines of a
free-entered bill), the bills waiting to be matched, and the payment proposal (bills due by a date per
supplier, tick and pay). Every write goes through services.bills / matching / proposal."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.accounting.models import Invoice, Journal
from tessera.core import errors
from tessera.core.permissions import check
from tessera.core.views.actions import error_text
from tessera.core.views.generic import Screen
from tessera.partners.models import Partner

from ..choices import MatchState
from ..models import BillLine, PurchaseOrder, PurchaseOrderLine
from ..services.bills import LINKABLE_STATES, order_bill
from ..services.bills import bill_link as bill_link_service
from ..services.matching import bill_match_approve, bill_match_compute, match_data
from ..services.proposal import payment_proposal, payment_proposal_pay

DOMAIN_ERRORS = (errors.PermissionDenied, errors.ValidationFailed, errors.InvalidState, errors.Conflict,
                 errors.NotFound)


class Purchasing:
    module = "purchasing"
    url_namespace = "purchasing"




def invoice_url(invoice) -> str:
    return reverse("accounting:invoice_detail", args=[invoice.pk])


def can_approve(request, invoice, state) -> bool:
    return (invoice.state == "draft" and state == MatchState.MISMATCH
            and bool(check(request.user, "purchasing.approve_billmatch", invoice.company)))


def link_choices(invoice) -> dict[int, list]:
    """Per line of a draft supplier document: order lines of the same supplier and product it may bill."""
    lines = list(invoice.lines.all())
    products = {line.product_id for line in lines if line.product_id}
    candidates = list(PurchaseOrderLine.objects.filter(
        company=invoice.company, order__partner=invoice.partner, order__state__in=LINKABLE_STATES,
        product_id__in=products).select_related("order", "uom").order_by("order__date", "order_id", "pk"))
    return {line.pk: [item for item in candidates if item.product_id == line.product_id] for line in lines}


def match_context(request, invoice) -> dict | None:
    """What the match screen and the panel on the invoice page show; None when purchasing has nothing to
    say (a posted document that bills no order)."""
    data = match_data(invoice)
    if data["state"] is None and invoice.state != "draft":
        return None
    draft = invoice.state == "draft"
    return {
        "invoice": invoice, "match": data, "state": data["state"], "is_draft": draft,
        "can_approve": can_approve(request, invoice, data["state"]),
        "can_link": draft and bool(check(request.user, "purchasing.add_billline", invoice.company)),
        "approve_url": reverse("purchasing:bill_match_approve", args=[invoice.pk]),
        "link_url": reverse("purchasing:bill_match_link", args=[invoice.pk]),
        "invoice_url": invoice_url(invoice), "next": request.get_full_path(),
    }


def back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


# --- billing an order ------------------------------------------------------------------------

class OrderBillView(Purchasing, Screen):
    """`purchasing:order_bill` (POST): the draft bill of what was received and not billed, then its page."""

    model = PurchaseOrder
    action = "bill"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        order = self.get_object()
        try:
            invoice = order_bill(actor=request.user, order=order)
        except DOMAIN_ERRORS as error:
            messages.error(request, error_text(error))
            return redirect("purchasing:order_detail", pk=order.pk)
        messages.success(request, _("Draft bill for %(order)s created: check it against the supplier's invoice "
                                    "(enter its number as the reference) and post it.") % {"order": order})
        return redirect(invoice_url(invoice))


# --- the match -------------------------------------------------------------------------------

class BillScreen(Purchasing, Screen):
    model = Invoice
    permission = "purchasing.view_billmatch"

    def get_queryset(self):
        return Invoice.objects.filter(company=self.company, kind__in=("supplier_invoice", "supplier_credit")) \
            .select_related("partner", "currency", "company")

    def get_breadcrumbs(self, obj=None):
        return [(str(_("Purchasing")), None), (str(_("Bills to match")), reverse("purchasing:bills_to_match"))]


class BillMatchView(BillScreen):
    """`purchasing:bill_match`: the bill's lines against their orders and receipts."""

    template_name = "purchasing/bills/match.html"

    def get_title(self):
        return _("Match of %(bill)s") % {"bill": self.object}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = match_context(request, self.object) or {
            "invoice": self.object, "match": match_data(self.object), "state": None, "is_draft": False,
            "invoice_url": invoice_url(self.object)}
        if context.get("can_link"):
            context["choices"] = link_choices(self.object)
            linked = dict(BillLine.objects.filter(invoice=self.object, invoice_line__isnull=False)
                          .values_list("invoice_line_id", "order_line_id"))
            context["link_rows"] = [(line, context["choices"].get(line.pk, []), linked.get(line.pk))
                                    for line in self.object.lines.select_related("uom").order_by("sequence", "pk")]
        return self.render(context)


class BillMatchApproveView(BillScreen):
    """POST: approve the bill's differences as they are (`note`)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invoice = self.get_object()
        try:
            bill_match_approve(actor=request.user, invoice=invoice, note=request.POST.get("note", "").strip())
        except DOMAIN_ERRORS as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The differences of %(bill)s are approved: it can be posted.")
                             % {"bill": invoice})
        return back(request, reverse("purchasing:bill_match", args=[invoice.pk]))


class BillMatchLinkView(BillScreen):
    """POST: tie the draft's lines to order lines (`order_line-<invoice line id>`; empty removes a link)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invoice = self.get_object()
        links = [{"invoice_line": line.pk, "order_line": request.POST.get(f"order_line-{line.pk}") or None}
                 for line in invoice.lines.all() if f"order_line-{line.pk}" in request.POST]
        try:
            bill_link_service(actor=request.user, invoice=invoice, links=links)
        except DOMAIN_ERRORS as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The bill's lines are linked to the orders."))
        return redirect("purchasing:bill_match", pk=invoice.pk)


class BillsToMatchView(BillScreen):
    """`purchasing:bills_to_match`: draft supplier bills of orders with their match now (`?show=mismatch`)."""

    template_name = "purchasing/bills/to_match.html"
    title = gettext_lazy("Bills to match")

    def get_breadcrumbs(self, obj=None):
        return [(str(_("Purchasing")), None)]

    def get(self, request, *args, **kwargs):
        bills = self.get_queryset().filter(state="draft", kind="supplier_invoice", pk__in=BillLine.objects.filter(
            company=self.company).values("invoice_id")).order_by("date", "pk")
        only_mismatch = request.GET.get("show") == "mismatch"
        rows = []
        for invoice in bills:
            try:
                result = bill_match_compute(invoice)
            except errors.DomainError:  # no exchange rate for its date yet: posting will say so
                result = None
            state = result.state if result is not None else None
            if only_mismatch and state != MatchState.MISMATCH:
                continue
            orders = sorted({row.order_line.order.number or "" for row in (result.lines if result else [])})
            rows.append({"invoice": invoice, "state": state, "orders": orders,
                         "differences": len(result.differences) if result else 0,
                         "url": reverse("purchasing:bill_match", args=[invoice.pk])})
        return self.render({"rows": rows, "only_mismatch": only_mismatch})


# --- payment proposal ------------------------------------------------------------------------

def _date(text: str, default: datetime.date) -> tuple[datetime.date, bool]:
    try:
        return (datetime.date.fromisoformat(text), True) if text else (default, True)
    except ValueError:
        return default, False


class PaymentProposalView(Purchasing, Screen):
    """`purchasing:payment_proposal`: open supplier bills due by a date per supplier; tick and pay (one
    posted payment per supplier from the chosen bank journal)."""

    model = Invoice
    permission = "accounting.add_payment"
    template_name = "purchasing/bills/proposal.html"
    title = gettext_lazy("Payment proposal")

    def get_breadcrumbs(self, obj=None):
        return [(str(_("Purchasing")), None)]

    def journals(self):
        return Journal.objects.filter(company=self.company, kind__in=("bank", "cash"), is_active=True).order_by("code")

    def page(self, *, due_by, partner, date, journal, form_errors=(), status=200):
        today = timezone.localdate()
        rows = payment_proposal(company=self.company, due_by=due_by, partner=partner, today=today)
        suppliers = Partner.objects.filter(company=self.company, is_supplier=True).order_by("name")
        return self.render({
            "rows": rows, "due_by": due_by, "partner": partner, "suppliers": suppliers, "date": date,
            "journals": self.journals(), "journal": journal, "today": today, "form_errors": form_errors,
            "can_pay": bool(check(self.request.user, "accounting.post_payment", self.company)),
        }, status=status)

    def partner(self, value):
        return Partner.objects.filter(company=self.company, pk=value).first() if str(value).isdigit() else None

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        due_by, valid = _date(request.GET.get("due_by", "").strip(), today)
        journal = self.journals().first()
        return self.page(due_by=due_by, partner=self.partner(request.GET.get("partner", "")), date=today,
                         journal=journal.pk if journal else None,
                         form_errors=() if valid else [_("Due by: enter a date as YYYY-MM-DD.")])

    def post(self, request, *args, **kwargs):
        today = timezone.localdate()
        data = request.POST
        due_by, _valid = _date(data.get("due_by", "").strip(), today)
        date, valid = _date(data.get("date", "").strip(), today)
        partner = self.partner(data.get("partner", ""))
        journal = data.get("journal", "")
        invoices = [value for value in data.getlist("invoice") if value.isdigit()]
        if not valid:
            return self.page(due_by=due_by, partner=partner, date=date, journal=journal,
                             form_errors=[_("Payment date: enter a date as YYYY-MM-DD.")], status=400)
        try:
            payments = payment_proposal_pay(actor=request.user, company=self.company,
                                            invoices=[int(value) for value in invoices], date=date,
                                            journal=int(journal) if journal.isdigit() else None)
        except DOMAIN_ERRORS as error:
            status = 403 if isinstance(error, errors.PermissionDenied) else 400 \
                if isinstance(error, errors.ValidationFailed) else 409
            return self.page(due_by=due_by, partner=partner, date=date, journal=journal,
                             form_errors=[error_text(error)], status=status)
        messages.success(request, _("Paid: %(payments)s.") % {
            "payments": ", ".join(f"{payment.number} {payment.partner} {payment.currency.code} {payment.amount}"
                                  for payment in payments)})
        query = f"?due_by={due_by.isoformat()}" + (f"&partner={partner.pk}" if partner else "")
        return redirect(reverse("purchasing:payment_proposal") + query)


urlpatterns = [
    path("orders/<int:pk>/bill/", OrderBillView.as_view(), name="order_bill"),
    path("bills/", BillsToMatchView.as_view(), name="bills_to_match"),
    path("bills/<int:pk>/match/", BillMatchView.as_view(), name="bill_match"),
    path("bills/<int:pk>/approve-match/", BillMatchApproveView.as_view(), name="bill_match_approve"),
    path("bills/<int:pk>/link/", BillMatchLinkView.as_view(), name="bill_match_link"),
    path("payment-proposal/", PaymentProposalView.as_view(), name="payment_proposal"),
]

"""Supplier bills in the rest of Tessera: accounting's invoice posting hooks (three-way match guard, GR/IR
line split, billed quantities), the menu entries and the match panel on the accounting invoice page."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tessera.accounting.hooks import (
    register_invoice_cancelled,
    register_invoice_line_split,
    register_invoice_post_guard,
    register_invoice_posted,
    register_invoice_settled,
)
from tessera.core.menu import MenuEntry, Module, register
from tessera.core.permissions import check
from tessera.core.services.companies import module_is_active
from tessera.core.views.panels import register_panel

from ..services.matching import bill_cancelled, bill_line_split, bill_post_guard, bill_posted, bill_settled

register_invoice_post_guard(bill_post_guard)
register_invoice_line_split(bill_line_split)
register_invoice_posted(bill_posted)
register_invoice_cancelled(bill_cancelled)
register_invoice_settled(bill_settled)

register(Module(code="purchasing", name=gettext_lazy("Purchasing"), order=40, menu=[
    MenuEntry(gettext_lazy("Bills to match"), "purchasing:bills_to_match", "purchasing.view_billmatch"),
    MenuEntry(gettext_lazy("Payment proposal"), "purchasing:payment_proposal", "accounting.add_payment"),
]))


def bill_match_panel(request, record) -> str | None:
    """On an accounting invoice's page: the bill's three-way match (state, findings, approve, link)."""
    from tessera.accounting.models import Invoice

    from ..views.bills import match_context

    if not isinstance(record, Invoice) or record.kind not in ("supplier_invoice", "supplier_credit"):
        return None
    company = record.company
    if not module_is_active(company, "purchasing") or not check(request.user, "purchasing.view_billmatch", company):
        return None
    context = match_context(request, record)
    if context is None:
        return None
    context["match_url"] = reverse("purchasing:bill_match", args=[record.pk])
    return render_to_string("purchasing/bills/_panel.html", context, request=request)


register_panel(bill_match_panel)

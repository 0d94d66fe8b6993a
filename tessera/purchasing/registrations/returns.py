"""Returns to suppliers in the rest of Tessera: the menu entry, the accountants' home card of returns waiting
for a credit note, the notification telling them (purchasing.return.credit_pending) and the events' labels."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register
from tessera.core.notifications import register_event_label, register_kind, users_with_permission
from tessera.core.permissions import check


def returns_awaiting_credit_card(request, company):
    """How many returns went back after billing with their supplier credit note still to issue: for those who
    may issue it (accounting.add_invoice and accounting.post_invoice) and see returns."""
    from ..models import SupplierReturn
    from ..services.returns import awaiting_credit, may_credit

    if company is None or not check(request.user, "purchasing.view_supplierreturn", company) \
            or not may_credit(request.user, company):
        return None
    count = awaiting_credit(SupplierReturn.objects.filter(company=company)).count()
    return {"title": _("Returns waiting for a credit note"), "value": count,
            "url": reverse("purchasing:return_list") + "?credit_pending=true"}


register(Module(code="purchasing", name=gettext_lazy("Purchasing"), order=40, menu=[
    MenuEntry(gettext_lazy("Returns to suppliers"), "purchasing:return_list", "purchasing.view_supplierreturn"),
], cards=[returns_awaiting_credit_card]))


def _credit_issuers(event):
    return [user for user in users_with_permission(event.company, "accounting.post_invoice")
            if user.has_perm("accounting.add_invoice") and user.has_perm("purchasing.view_supplierreturn")]


def _render_credit_pending(event, user):
    payload = event.payload or {}
    url = reverse("purchasing:return_detail", args=[event.object_id]) if event.object_id else ""
    title = _("Return %(number)s needs a supplier credit note") % {"number": payload.get("number") or ""}
    body = " · ".join(str(part) for part in (payload.get("partner"), payload.get("order")) if part)
    return title, body, url


register_kind("purchasing.return.credit_pending", label=gettext_lazy("Return waiting for a credit note"),
              recipients=_credit_issuers, render=_render_credit_pending,
              description=gettext_lazy("Goods went back to a supplier after billing: issue the supplier credit "
                                       "note."))
for _event, _label in (("purchasing.return.credit_pending", gettext_lazy("Return waiting for a credit note")),
                       ("purchasing.return.posted", gettext_lazy("Return sent back")),
                       ("purchasing.return.credited", gettext_lazy("Return credited")),
                       ("purchasing.return.cancelled", gettext_lazy("Return cancelled"))):
    register_event_label(_event, _label)

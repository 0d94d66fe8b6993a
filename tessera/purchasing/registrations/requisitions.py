"""Requisitions in the rest of Tessera: the approvals document "purchasing.requisition" (the requisition
follows the decision through `requisition_decided`), the menu entries and the home card "requisitions to
approve"."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.approvals.registry import REFERENCE, register
from tessera.core.menu import MenuEntry, Module
from tessera.core.menu import register as register_module
from tessera.core.notifications import register_event_label, register_kind, users_with_permission
from tessera.core.permissions import check

from ..choices import RequisitionState
from ..services.requisitions import requisition_amount, requisition_decided, requisition_submit


def _categories(requisition) -> list:
    return [line.product.category for line in requisition.lines.select_related("product__category")
            if line.product.category_id]


def _summary(requisition) -> str:
    parts = [requisition.requested_by.get_full_name() or requisition.requested_by.get_username(),
             str(requisition.warehouse), f"{requisition.company.base_currency.code} {requisition_amount(requisition)}"]
    if requisition.description:
        parts.append(requisition.description)
    return " · ".join(parts)


register(
    "purchasing.requisition", label=gettext_lazy("Purchase requisition"), amount=requisition_amount,
    summary=_summary, url=lambda requisition: reverse("purchasing:requisition_detail", args=[requisition.pk]),
    requester=lambda requisition: requisition.requested_by,
    submittable=lambda requisition: requisition.state in (RequisitionState.DRAFT, RequisitionState.REJECTED),
    fields={
        "warehouse": (gettext_lazy("Deliver to"), lambda requisition: requisition.warehouse, REFERENCE,
                      "inventory.warehouse"),
        "product_category": (gettext_lazy("Product category"), _categories, REFERENCE, "products.productcategory"),
        "cost_center": (gettext_lazy("Cost centre"), lambda requisition: requisition.cost_center, REFERENCE,
                        "accounting.costcenter"),
    },
    on_decided=requisition_decided,
    submit=lambda *, actor, document: requisition_submit(actor=actor, requisition=document),
)


def requisitions_to_approve_card(request, company):
    """Submitted requisitions someone else raised, for those who approve them."""
    if company is None or not check(request.user, "purchasing.approve_requisition", company):
        return None
    from ..models import Requisition

    count = Requisition.objects.filter(company=company, state=RequisitionState.SUBMITTED) \
        .exclude(requested_by=request.user).count()
    return {"title": _("Requisitions to approve"), "value": count,
            "url": reverse("purchasing:requisition_list") + "?state=submitted"}


register_module(Module(
    code="purchasing", name=gettext_lazy("Purchasing"), order=40,
    menu=[
        MenuEntry(gettext_lazy("Requisitions"), "purchasing:requisition_list", "purchasing.view_requisition"),
        MenuEntry(gettext_lazy("Order from replenishment"), "purchasing:replenishment_requisition",
                  "purchasing.convert_requisition"),
    ],
    cards=[requisitions_to_approve_card],
))


# --- notifications and event labels -----------------------------------------------------------------

def _requester(event):
    from django.contrib.auth import get_user_model

    requester = (event.payload or {}).get("requested_by")
    return list(get_user_model().objects.filter(pk=requester, is_active=True)) if requester else []


def _approvers(event):
    payload = event.payload or {}
    if payload.get("approval_request"):
        return []  # approvals tells the approvers of its request
    return [user for user in users_with_permission(event.company, "purchasing.approve_requisition")
            if user.pk != payload.get("requested_by")]


def _render(title):
    def render(event, user):
        payload = event.payload or {}
        url = reverse("purchasing:requisition_detail", args=[event.object_id]) if event.object_id else ""
        body = payload.get("comment") or ""
        return title % {"number": payload.get("number") or ""}, body, url

    return render


for _event, _label, _recipients, _title, _description in (
    ("purchasing.requisition.submitted", gettext_lazy("Requisition to approve"), _approvers,
     gettext_lazy("Requisition %(number)s waits for your approval"),
     gettext_lazy("Someone submitted a purchase requisition that no approval rule covers.")),
    ("purchasing.requisition.approved", gettext_lazy("Requisition approved"), _requester,
     gettext_lazy("Your requisition %(number)s is approved"),
     gettext_lazy("A purchase requisition you raised was approved.")),
    ("purchasing.requisition.rejected", gettext_lazy("Requisition rejected"), _requester,
     gettext_lazy("Your requisition %(number)s was rejected"),
     gettext_lazy("A purchase requisition you raised was rejected; the comment says why.")),
    ("purchasing.requisition.ordered", gettext_lazy("Requisition ordered"), _requester,
     gettext_lazy("Your requisition %(number)s is ordered"),
     gettext_lazy("Purchasing turned a requisition you raised into orders or a request for quotation.")),
):
    register_kind(_event, label=_label, recipients=_recipients, render=_render(_title), description=_description)
    register_event_label(_event, _label)

for _event, _label in (("purchasing.requisition.cancelled", gettext_lazy("Requisition cancelled")),
                       ("purchasing.requisition.withdrawn", gettext_lazy("Requisition withdrawn")),
                       ("purchasing.requisition.reopened", gettext_lazy("Requisition open again")),
                       ("purchasing.requisition.draft", gettext_lazy("Requisition back to draft"))):
    register_event_label(_event, _label)

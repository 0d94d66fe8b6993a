"""The approvals module's menu and its home card ("waiting for my approval")."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register


def awaiting_card(request, company):
    """How many approvals wait for the user (themselves or as a delegate)."""
    if company is None or not request.user.is_authenticated:
        return None
    from .services.requests import awaiting

    count = awaiting(request.user, company).count()
    return {"title": _("Waiting for my approval"), "value": count, "url": reverse("approvals:inbox")}


register(
    Module(
        code="approvals",
        name=gettext_lazy("Approvals"),
        order=70,
        menu=[
            MenuEntry(gettext_lazy("My approvals"), "approvals:inbox", "approvals.view_approvalrequest"),
            MenuEntry(gettext_lazy("Approval requests"), "approvals:approvalrequest_list",
                      "approvals.view_approvalrequest"),
            MenuEntry(gettext_lazy("Approval rules"), "approvals:approvalrule_list", "approvals.view_approvalrule"),
            MenuEntry(gettext_lazy("Delegations"), "approvals:delegation_list", "approvals.view_delegation"),
        ],
        cards=[awaiting_card],
    )
)

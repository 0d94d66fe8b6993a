"""Approvals' notification kinds (collaboration contract): "waiting for my approval" tells the approvers
of the level whose turn it is (on submission, when the next level starts, and those an escalation
added); "my request was decided" tells the requester that it was approved or rejected.

Both react to the `approvals.request.*` events; the payload names the people (`approvers`,
`requested_by`), so nothing is queried to find them.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.notifications import register_event_label, register_kind

User = get_user_model()
AWAITING_EVENTS = {"approvals.request.submitted", "approvals.request.advanced", "approvals.request.escalated"}
DECIDED_EVENTS = {"approvals.request.approved", "approvals.request.rejected"}


def _users(ids):
    return User.objects.filter(pk__in=[pk for pk in ids or [] if pk], is_active=True)


def awaiting_recipients(event):
    if event.name not in AWAITING_EVENTS:
        return []
    return _users(event.payload.get("approvers"))


def awaiting_render(event, user):
    payload = event.payload
    title = (_("Escalated to you for approval: %(summary)s") if event.name.endswith("escalated")
             else _("Waiting for your approval: %(summary)s")) % {"summary": payload.get("summary", "")}
    body = _("%(amount)s %(currency)s — %(document)s") % {
        "amount": payload.get("amount", ""), "currency": payload.get("currency", ""),
        "document": payload.get("document", "")}
    return title, body, reverse("approvals:inbox")


def decided_recipients(event):
    if event.name not in DECIDED_EVENTS:
        return []
    return _users([event.payload.get("requested_by")])


def decided_render(event, user):
    payload = event.payload
    approved = event.name.endswith("approved")
    title = (_("Approved: %(summary)s") if approved else _("Rejected: %(summary)s")) % {
        "summary": payload.get("summary", "")}
    body = payload.get("comment", "") if not approved else ""
    url = reverse("approvals:approvalrequest_detail", args=[payload["request"]]) if payload.get("request") else ""
    return title, body, url


register_kind("approvals.awaiting", label=gettext_lazy("Waiting for my approval"), event="approvals.request.*",
              recipients=awaiting_recipients, render=awaiting_render, default_email=True,
              description=gettext_lazy("A document was submitted, reached your level or was escalated to you."))
register_kind("approvals.decided", label=gettext_lazy("My approval request was decided"),
              event="approvals.request.*", recipients=decided_recipients, render=decided_render,
              default_email=True, description=gettext_lazy("A document you submitted was approved or rejected."))

for _name, _label in (
    ("approvals.request.submitted", gettext_lazy("Submitted for approval")),
    ("approvals.request.advanced", gettext_lazy("Approval moved to the next level")),
    ("approvals.request.escalated", gettext_lazy("Approval escalated")),
    ("approvals.request.approved", gettext_lazy("Approved")),
    ("approvals.request.rejected", gettext_lazy("Approval rejected")),
    ("approvals.request.withdrawn", gettext_lazy("Approval request withdrawn")),
):
    register_event_label(_name, _label)

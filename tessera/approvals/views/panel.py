"""The approval panel above the tabs of every registered document's page (core's record panels): the
approval state, Submit / Approve / Reject / Withdraw, and the document's approval history."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tessera.core.errors import DomainError
from tessera.core.permissions import check
from tessera.core.services.companies import module_is_active
from tessera.core.views.panels import register_panel

from ..choices import RequestState
from ..evaluation import DocumentValues
from ..registry import document_type_of
from ..selectors import requests_of_document
from ..services.requests import current_approver_ids, current_steps, own_party
from ..services.rules import approval_rules_matching


def panel_context(request, record) -> dict | None:
    """What the panel shows for `record`, or None when approvals have nothing to say about it."""
    definition = document_type_of(record)
    company = getattr(record, "company", None)
    if definition is None or company is None or not definition.covers(record):
        return None
    if not module_is_active(company, "approvals"):
        return None
    user = request.user
    approvals = list(requests_of_document(record).prefetch_related("decisions__approver", "decisions__on_behalf_of"))
    latest = approvals[0] if approvals else None
    values = DocumentValues(definition, record)
    try:
        rules = approval_rules_matching(record, values=values)
        fingerprint = values.fingerprint()
    except DomainError:  # e.g. no exchange rate for a foreign draft yet: posting will say so
        rules, fingerprint = [], ""
    submittable = definition.is_submittable(record)
    approved_now = any(item.state == RequestState.APPROVED and item.fingerprint == fingerprint for item in approvals)
    if latest is not None and latest.state == RequestState.PENDING:
        status = "pending"
    elif approved_now or (latest is not None and latest.state == RequestState.APPROVED and not submittable):
        status = "approved"
    elif rules and submittable:
        status = "rejected" if latest is not None and latest.state == RequestState.REJECTED else "required"
    elif approvals:
        status = "none"
    else:
        return None
    context = {"status": status, "latest": latest, "approvals": approvals, "document_ref": definition.ref(record),
               "next": request.get_full_path(), "can_submit": False, "can_decide": False, "can_withdraw": False}
    if status in ("required", "rejected"):
        context["required_message"] = _("The rule “%(rule)s” applies: submit it before it can go on.") % {
            "rule": rules[0].name}
        context["can_submit"] = bool(check(user, definition.permission("submit"), company))
    if status == "pending":
        steps = [step for step in current_steps(latest) if step.state == "pending"]
        approver_ids = current_approver_ids(latest)
        context.update({
            "current_names": ", ".join(step.name for step in steps),
            "approver_names": ", ".join(sorted({person.get_full_name() or person.get_username()
                                                for step in steps for person in step.approvers.all()})),
            "can_decide": user.pk in approver_ids,
            "can_withdraw": user.pk in own_party(latest),
        })
    return context


def approval_panel(request, record) -> str | None:
    context = panel_context(request, record)
    if context is None:
        return None
    return render_to_string("approvals/_panel.html", context, request=request)


register_panel(approval_panel)

"""Approvals on a record's activity timeline (collaboration contract): each submission, decision and
outcome of the record's approval requests."""

from django.utils.translation import gettext as _

from tessera.core.timeline import TimelineItem, register_provider

from .choices import RequestState, Verdict
from .selectors import requests_of_document


def approval_items(record, user) -> list[TimelineItem]:
    items = []
    for request in requests_of_document(record).prefetch_related("decisions__approver",
                                                                 "decisions__on_behalf_of"):
        url = request.url
        items.append(TimelineItem(at=request.submitted_at, kind="approval", actor=request.requested_by,
                                  title=_("Submitted for approval (rule “%(rule)s”)") % {"rule": request.rule_name},
                                  body=request.summary))
        for decision in request.decisions.all():
            title = _("Approved") if decision.verdict == Verdict.APPROVE else _("Rejected")
            if decision.on_behalf_of_id:
                title = _("%(decision)s on behalf of %(user)s") % {
                    "decision": title, "user": decision.on_behalf_of.get_full_name()
                    or decision.on_behalf_of.get_username()}
            items.append(TimelineItem(at=decision.at, kind="approval", actor=decision.approver, title=title,
                                      body=decision.comment))
        if request.state == RequestState.APPROVED and request.decided_at:
            items.append(TimelineItem(at=request.decided_at, kind="approval", actor=None,
                                      title=_("Approval complete"), url=url))
        elif request.state == RequestState.WITHDRAWN and request.decided_at:
            items.append(TimelineItem(at=request.decided_at, kind="approval", actor=request.requested_by,
                                      title=_("Approval request withdrawn")))
    return items


register_provider(approval_items)

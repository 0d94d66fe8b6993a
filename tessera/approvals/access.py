"""The approver a document waits for may see it.

An approval inbox sends approvers to documents their roles may not open (a finance manager approving a
purchase order, a department head a leave request). While a request waits for a user at its current
level — as an approver still to decide, or standing in for one today — that user may view the
document read-only (its detail page and API item, its attachments): a record grant registered with
core.permissions. Deciding (or the request being closed, withdrawn or escalated past them) ends it.
"""

from tessera.core.permissions import register_view_grant

from .choices import RequestState
from .models import ApprovalRequest
from .registry import document_type_of
from .services.requests import current_approver_ids


@register_view_grant
def waiting_approver_may_view(user, record) -> bool:
    """Whether a pending approval request of `record` waits for `user` now."""
    definition = document_type_of(record)
    if definition is None or record.pk is None:
        return False
    request = (ApprovalRequest.objects.filter(document_type=definition.key, object_id=str(record.pk),
                                              company_id=getattr(record, "company_id", None),
                                              state=RequestState.PENDING).order_by("-pk").first())
    return request is not None and user.pk in current_approver_ids(request)

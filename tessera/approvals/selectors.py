"""Reads of approvals scoped to the user.

Who sees an approval request: everyone who may view its document (the document type's view
permission in the company), plus the people involved — the requester, its approvers (and whoever
stands in for them today), and those who decided it. Rules need approvals.view_approvalrule.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core.errors import NotFound
from tessera.core.permissions import check, require

from .models import ApprovalRequest, ApprovalRule, Delegation
from .registry import document_type_of, document_types
from .services.delegations import may_manage_others
from .services.requests import awaiting, delegators


def requests_of_document(document) -> QuerySet[ApprovalRequest]:
    """A document's approval requests, newest first (its approval history)."""
    definition = document_type_of(document)
    key = definition.key if definition is not None else document._meta.label_lower
    return (ApprovalRequest.objects.filter(document_type=key, object_id=str(document.pk))
            .select_related("requested_by", "currency").order_by("-submitted_at", "-pk"))


def visible_types(user, company) -> list[str]:
    return [item.key for item in document_types() if check(user, item.permission("view"), company)]


def request_list(user, company) -> QuerySet[ApprovalRequest]:
    """The company's requests `user` may see (see the module docstring)."""
    if company is None or not user.is_authenticated:
        return ApprovalRequest.objects.none()
    people = {user.pk} | delegators(user, company, timezone.localdate())
    involved = (Q(requested_by=user) | Q(document_owner=user) | Q(steps__approvers__in=people)
                | Q(decisions__approver=user))
    visible = Q(document_type__in=visible_types(user, company)) | involved
    ids = ApprovalRequest.objects.filter(company=company).filter(visible).values("pk")
    return (ApprovalRequest.objects.filter(pk__in=ids)
            .select_related("requested_by", "currency", "company").order_by("-submitted_at", "-pk"))


def request_get(user, company, pk) -> ApprovalRequest:
    found = request_list(user, company).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Approval request not found."))
    return found


def inbox(user, company) -> QuerySet[ApprovalRequest]:
    """What waits for `user`'s decision now (themselves or as a delegate), oldest first."""
    if company is None:
        return ApprovalRequest.objects.none()
    return awaiting(user, company).select_related("requested_by", "currency").order_by("submitted_at", "pk")


def rule_list(user, company) -> QuerySet[ApprovalRule]:
    require(user, "approvals.view_approvalrule", company)
    return ApprovalRule.objects.filter(company=company).order_by("document_type", "priority", "pk")


def delegation_list(user, company) -> QuerySet[Delegation]:
    """The user's delegations and those made to them; every delegation of the company for those who
    manage approval rules."""
    delegations = Delegation.objects.filter(company=company).select_related("user", "delegate")
    if not may_manage_others(user, company):
        delegations = delegations.filter(Q(user=user) | Q(delegate=user))
    return delegations.order_by("-starts_on", "-pk")

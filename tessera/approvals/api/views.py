"""The approvals API (API.md): `approvals/rules/`, `approvals/requests/` + `/approve/`, `/reject/`,
`/withdraw/`, `approvals/inbox/`, `approvals/delegations/` and `approvals/document-types/`.

Every write goes through the services. Requests are submitted generically:
`POST approvals/requests/ {"document": "accounting.invoice:12"}`. Who sees a request is the selectors'
business (the document's viewers and the people involved), so the request endpoints need no approvals
permission of their own; deciding needs being an approver of the current level (403 otherwise, also
for one's own document), a decided request answers 409.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import ApiView, ReadOnlyViewSet, RecordViewSet, idempotent
from tessera.core.api.permissions import AUTHENTICATED

from ..evaluation import operators_for
from ..models import ApprovalDecision, ApprovalRequest, ApprovalRule, Delegation
from ..registry import document_get, document_types
from ..selectors import delegation_list, inbox, request_list, rule_list
from ..services.delegations import delegation_create, delegation_delete, delegation_update
from ..services.requests import approval_approve, approval_reject, approval_withdraw, document_submit
from ..services.rules import rule_create, rule_delete, rule_update
from .serializers import (
    ApprovalCommentSerializer,
    ApprovalDocumentTypeSerializer,
    ApprovalRejectSerializer,
    ApprovalRequestSerializer,
    ApprovalRuleSerializer,
    ApprovalSubmitSerializer,
    DelegationSerializer,
)


def _split(serializer) -> tuple[dict, list | None, list | None]:
    data = dict(serializer.validated_data)
    conditions = data.pop("conditions", None)
    steps = data.pop("steps", None)
    return (data, [dict(row) for row in conditions] if conditions is not None else None,
            [dict(row) for row in steps] if steps is not None else None)


class RuleViewSet(RecordViewSet):
    """`approvals/rules/`: approval rules with their nested `conditions` and `steps`."""

    module = "approvals"
    queryset = ApprovalRule.objects.prefetch_related("conditions", "steps")
    serializer_class = ApprovalRuleSerializer
    filterset_fields = ["document_type", "kind", "is_active"]
    search_fields = ["name", "description"]
    ordering_fields = ["priority", "name", "id"]
    ordering = ["document_type", "priority", "id"]

    def select(self):
        return rule_list(self.request.user, self.request.company).prefetch_related("conditions", "steps")

    def perform_create(self, serializer):
        data, conditions, steps = _split(serializer)
        serializer.instance = rule_create(actor=self.request.user, company=self.request.company, data=data,
                                          conditions=conditions, steps=steps)

    def perform_update(self, serializer):
        data, conditions, steps = _split(serializer)
        serializer.instance = rule_update(actor=self.request.user, rule=serializer.instance, data=data,
                                          conditions=conditions, steps=steps)

    def perform_destroy(self, instance):
        rule_delete(actor=self.request.user, rule=instance)


class RequestFilter(django_filters.FilterSet):
    document = django_filters.CharFilter(method="filter_document", help_text=_("A document: <type>:<id>."))
    date_from = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = ApprovalRequest
        fields = ["state", "document_type", "kind", "requested_by", "rule"]

    def filter_document(self, queryset, name, value):
        key, _sep, object_id = value.partition(":")
        return queryset.filter(document_type=key.lower(), object_id=object_id)


def _with_details(queryset):
    return queryset.prefetch_related(
        "steps__approvers", Prefetch("decisions", queryset=ApprovalDecision.objects.select_related(
            "approver", "step").order_by("at", "pk")))


class RequestViewSet(ReadOnlyViewSet):
    """`approvals/requests/`: the approval requests you may see; POST submits a document."""

    module = "approvals"
    required_permission = AUTHENTICATED  # the selector and the services decide
    queryset = ApprovalRequest.objects.all()
    serializer_class = ApprovalRequestSerializer
    filterset_class = RequestFilter
    search_fields = ["document_repr", "summary", "rule_name"]
    ordering_fields = ["submitted_at", "amount", "id"]
    ordering = ["-submitted_at", "-id"]
    company_scoped = False  # request_list scopes by company itself
    http_method_names = ["get", "post", "head", "options"]

    def select(self):
        return _with_details(request_list(self.request.user, self.request.company))

    def _answer(self, obj, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)

    @extend_schema(request=ApprovalSubmitSerializer, responses={201: ApprovalRequestSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        """Submit a document for approval under the first rule that matches it. 409 `approval_not_required`,
        `approval_pending`, `already_approved`, `approvers_missing`; 403 without the document's permission."""
        serializer = ApprovalSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _definition, document = document_get(serializer.validated_data["document"], request.company)
        return self._answer(document_submit(actor=request.user, document=document), status.HTTP_201_CREATED)

    @extend_schema(operation_id="approvals_requests_approve", request=ApprovalCommentSerializer,
                   responses={200: ApprovalRequestSerializer})
    @action(detail=True, methods=["post"], url_path="approve", url_name="approve")
    @idempotent
    def approve(self, request, pk=None):
        """Approve the current level (yourself, or on behalf of whom you stand in for). 403 when you are not
        an approver now or it is your own document; 409 `invalid_state` (decided) or `already_decided`."""
        serializer = ApprovalCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(approval_approve(actor=request.user, request=self.get_object(),
                                             comment=serializer.validated_data["comment"]))

    @extend_schema(operation_id="approvals_requests_reject", request=ApprovalRejectSerializer,
                   responses={200: ApprovalRequestSerializer})
    @action(detail=True, methods=["post"], url_path="reject", url_name="reject")
    @idempotent
    def reject(self, request, pk=None):
        """Reject the request; `comment` is required (400 without one)."""
        serializer = ApprovalRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(approval_reject(actor=request.user, request=self.get_object(),
                                            comment=serializer.validated_data["comment"]))

    @extend_schema(operation_id="approvals_requests_withdraw", request=None, responses={200: ApprovalRequestSerializer})
    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw")
    @idempotent
    def withdraw(self, request, pk=None):
        """Withdraw your pending request (403 for anyone else, 409 once decided)."""
        return self._answer(approval_withdraw(actor=request.user, request=self.get_object()))


class InboxViewSet(ReadOnlyViewSet):
    """`approvals/inbox/`: the requests waiting for your decision now (yourself or as a delegate), oldest first."""

    module = "approvals"
    required_permission = AUTHENTICATED  # being an approver is enough
    queryset = ApprovalRequest.objects.all()
    serializer_class = ApprovalRequestSerializer
    company_scoped = False
    filterset_fields = ["document_type"]
    ordering = ["submitted_at", "id"]

    def select(self):
        return _with_details(inbox(self.request.user, self.request.company))


class DelegationViewSet(RecordViewSet):
    """`approvals/delegations/`: while you are away, your delegate decides your approvals."""

    module = "approvals"
    queryset = Delegation.objects.all()
    serializer_class = DelegationSerializer
    filterset_fields = ["user", "delegate", "is_active"]
    ordering = ["-starts_on", "-id"]

    def select(self):
        return delegation_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = delegation_create(actor=self.request.user, company=self.request.company,
                                                data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = delegation_update(actor=self.request.user, delegation=serializer.instance,
                                                data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        delegation_delete(actor=self.request.user, delegation=instance)


class DocumentTypesView(ApiView):
    """`approvals/document-types/`: what rules can be written for: each type's kinds and fields with
    their operators."""

    module = "approvals"
    required_permission = AUTHENTICATED

    @extend_schema(responses={200: ApprovalDocumentTypeSerializer(many=True)})
    def get(self, request):
        data = [{"key": item.key, "label": str(item.label), "kinds": {k: str(v) for k, v in item.kinds.items()},
                 "fields": [{"name": spec.name, "label": str(spec.label), "type": spec.type,
                             "operators": [str(op) for op in operators_for(spec.type)]}
                            for spec in item.all_fields().values()]}
                for item in document_types()]
        return Response(data)

"""Serializers of the approvals API (API.md `approvals/`)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tessera.core.api.base import ModelSerializer, Serializer
from tessera.core.models import Role

from ..choices import ApproverType, EscalateTo, Operator
from ..models import (
    ApprovalCondition,
    ApprovalDecision,
    ApprovalRequest,
    ApprovalRequestStep,
    ApprovalRule,
    ApprovalStep,
    Delegation,
)
from ..services.requests import current_approver_ids

User = get_user_model()


class ApprovalConditionSerializer(ModelSerializer):
    operator = serializers.ChoiceField(choices=Operator.choices)

    class Meta:
        model = ApprovalCondition
        fields = ["id", "field", "operator", "value"]
        extra_kwargs = {"field": {"help_text": _("`amount` or a field the document type registers "
                                                 "(see approvals/document-types/).")}}


class ApprovalStepSerializer(ModelSerializer):
    approver_type = serializers.ChoiceField(choices=ApproverType.choices, required=False)
    escalate_to = serializers.ChoiceField(choices=EscalateTo.choices, required=False, allow_blank=True)
    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), required=False, allow_null=True)
    escalate_role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), required=False, allow_null=True)
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                              allow_null=True)

    class Meta:
        model = ApprovalStep
        fields = ["id", "level", "name", "approver_type", "role", "user", "min_approvals", "amount_over",
                  "escalate_after_days", "escalate_to", "escalate_role"]


class ApprovalRuleSerializer(ModelSerializer):
    conditions = ApprovalConditionSerializer(many=True, required=False, help_text=_(
        "All must hold for the rule to apply. On PATCH, conditions sent replace all of them."))
    steps = ApprovalStepSerializer(many=True, required=False, help_text=_(
        "Levels one after the other, steps of one level in parallel. On PATCH, steps sent replace all of them."))

    class Meta:
        model = ApprovalRule
        fields = ["id", "company", "name", "document_type", "kind", "priority", "is_active", "description",
                  "created_at", "conditions", "steps"]
        read_only_fields = ["created_at"]
        validators = []


class ApprovalDecisionSerializer(ModelSerializer):
    approver_name = serializers.CharField(source="approver.username", read_only=True)
    level = serializers.IntegerField(source="step.level", read_only=True)

    class Meta:
        model = ApprovalDecision
        fields = ["id", "step", "level", "approver", "approver_name", "on_behalf_of", "verdict", "comment", "at"]
        read_only_fields = fields


class ApprovalRequestStepSerializer(ModelSerializer):
    class Meta:
        model = ApprovalRequestStep
        fields = ["id", "level", "name", "approver_type", "role", "min_approvals", "approvers", "state",
                  "started_at", "completed_at", "escalate_after_days", "escalate_to", "escalated_at"]
        read_only_fields = fields


class ApprovalRequestSerializer(ModelSerializer):
    document = serializers.CharField(source="document_ref", read_only=True,
                                     help_text=_("The document as <type>:<id>, e.g. accounting.invoice:12."))
    currency = serializers.CharField(source="currency.code", read_only=True)
    steps = ApprovalRequestStepSerializer(many=True, read_only=True)
    decisions = ApprovalDecisionSerializer(many=True, read_only=True)
    current_approvers = serializers.SerializerMethodField(help_text=_(
        "Who can decide the current level now (its approvers and their delegates today)."))
    can_decide = serializers.SerializerMethodField(help_text=_("Whether you can approve or reject it now."))

    class Meta:
        model = ApprovalRequest
        fields = ["id", "company", "document", "document_type", "object_id", "document_repr", "kind", "rule",
                  "rule_name", "state", "current_level", "amount", "currency", "summary", "url", "requested_by",
                  "document_owner", "submitted_at", "decided_at", "current_approvers", "can_decide", "steps",
                  "decisions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_current_approvers(self, obj) -> list[int]:
        return current_approver_ids(obj)

    def get_can_decide(self, obj) -> bool:
        request = self.context.get("request")
        return bool(request and request.user.pk in current_approver_ids(obj))


class ApprovalSubmitSerializer(Serializer):
    document = serializers.CharField(help_text=_("The document to submit, as <type>:<id>, e.g. accounting.invoice:12."))


class ApprovalCommentSerializer(Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ApprovalRejectSerializer(Serializer):
    comment = serializers.CharField(max_length=2000, help_text=_("Why: required, the requester reads it."))


class DelegationSerializer(ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                              help_text=_("Whose approvals (default: yours)."))
    delegate = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))

    class Meta:
        model = Delegation
        fields = ["id", "company", "user", "delegate", "starts_on", "ends_on", "reason", "is_active", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class ApprovalDocumentFieldSerializer(Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    operators = serializers.ListField(child=serializers.CharField())


class ApprovalDocumentTypeSerializer(Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kinds = serializers.DictField(child=serializers.CharField())
    fields = ApprovalDocumentFieldSerializer(many=True)

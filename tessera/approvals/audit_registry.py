"""Approval records in the audit trail (imported by `ready`)."""

from tessera.core import audit

from .models import (
    ApprovalCondition,
    ApprovalDecision,
    ApprovalRequest,
    ApprovalRequestStep,
    ApprovalRule,
    ApprovalStep,
    Delegation,
)

for model in (ApprovalRule, ApprovalCondition, ApprovalStep, ApprovalRequest, ApprovalRequestStep, ApprovalDecision,
              Delegation):
    audit.register(model)

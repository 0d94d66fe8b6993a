"""The approvals services (see each module): rules, requests and decisions, escalation, delegations."""

from .delegations import delegation_create, delegation_delete, delegation_update
from .escalation import approval_escalate_due
from .requests import (
    approval_approve,
    approval_check,
    approval_reject,
    approval_submit,
    approval_withdraw,
    approval_withdraw_for_cancelled,
    document_submit,
)
from .rules import approval_rules_matching, rule_create, rule_delete, rule_update

__all__ = [
    "approval_approve",
    "approval_check",
    "approval_escalate_due",
    "approval_reject",
    "approval_rules_matching",
    "approval_submit",
    "approval_withdraw",
    "approval_withdraw_for_cancelled",
    "delegation_create",
    "document_submit",
    "delegation_delete",
    "delegation_update",
    "rule_create",
    "rule_delete",
    "rule_update",
]

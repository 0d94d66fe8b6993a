"""Choices of the approvals app and the allowed moves of an approval request."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Operator(models.TextChoices):
    """How a condition compares a document's value with the rule's."""

    EQ = "eq", _("equals")
    NE = "ne", _("does not equal")
    GT = "gt", _("is over")
    GTE = "gte", _("is at least")
    LT = "lt", _("is under")
    LTE = "lte", _("is at most")
    IN = "in", _("is one of")
    NOT_IN = "not_in", _("is none of")


# Operators each kind of field supports.
NUMBER_OPERATORS = (Operator.EQ, Operator.NE, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE)
TEXT_OPERATORS = (Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN)


class ApproverType(models.TextChoices):
    ROLE = "role", _("A role")
    USER = "user", _("A named user")
    MANAGER = "manager", _("The requester's manager")
    DEPARTMENT_HEAD = "department_head", _("The department head")


class EscalateTo(models.TextChoices):
    NONE = "", _("Do not escalate")
    NEXT_LEVEL = "next_level", _("The approvers of the next level")
    ROLE = "role", _("A role")


class RequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("approval", "Pending")
    APPROVED = "approved", pgettext_lazy("approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("approval", "Withdrawn")


# action -> (states it starts from, state it ends in)
REQUEST_TRANSITIONS = {
    "approve": ({RequestState.PENDING}, RequestState.APPROVED),
    "reject": ({RequestState.PENDING}, RequestState.REJECTED),
    "withdraw": ({RequestState.PENDING}, RequestState.WITHDRAWN),
}


class StepState(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("approval step", "Waiting")
    PENDING = "pending", pgettext_lazy("approval step", "Awaiting decision")
    APPROVED = "approved", pgettext_lazy("approval step", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval step", "Rejected")
    CLOSED = "closed", pgettext_lazy("approval step", "Closed")  # the request was withdrawn or rejected elsewhere


class Verdict(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("approval decision", "Approved")
    REJECT = "reject", pgettext_lazy("approval decision", "Rejected")

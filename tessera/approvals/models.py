"""Approval rules (conditions and steps per company and document type), the approval requests made when a
document is submitted, each approver's decision, and delegations while someone is away.

A document type is registered by its app in `approvals.registry` ("accounting.invoice"); a rule names it
by that key. Requests keep a snapshot of what was approved (amount, summary, fingerprint of the
registered fields) and of the rule's steps, so later edits of the rule or of the document never change
what was decided.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned, Currency, Role

from .choices import ApproverType, EscalateTo, Operator, RequestState, StepState, Verdict

MONEY = {"max_digits": 18, "decimal_places": 2}


class ApprovalRule(CompanyOwned):
    """Which documents of a type need approval (all `conditions` hold) and who approves them (`steps`).

    Rules of one document type are tried by `priority` (lower first); the first that matches a
    document and has at least one step for its amount applies.
    """

    name = models.CharField(_("name"), max_length=200)
    document_type = models.CharField(_("document type"), max_length=100,
                                     help_text=_("The kind of document the rule applies to."))
    kind = models.CharField(_("only of kind"), max_length=50, blank=True,
                            help_text=_("Left empty, the rule applies to every kind of the document type."))
    priority = models.PositiveSmallIntegerField(_("priority"), default=10,
                                                help_text=_("Rules are tried from the lowest number up; the "
                                                            "first that matches applies."))
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["company", "document_type", "priority", "pk"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="uniq_approval_rule_name")]
        indexes = [models.Index(fields=["company", "document_type", "is_active"])]

    def __str__(self) -> str:
        return self.name


class ApprovalCondition(CompanyOwned):
    """One test a document must pass for its rule to apply: `field` `operator` `value`
    (e.g. amount is over 50000; partner is one of S001, S002). A list-valued field (the product
    categories of the lines) passes when any of its values does; "is none of" when none is listed."""

    rule = models.ForeignKey(ApprovalRule, on_delete=models.CASCADE, related_name="conditions",
                             verbose_name=_("rule"))
    field = models.CharField(_("field"), max_length=50)
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    value = models.CharField(_("value"), max_length=500,
                             help_text=_("A number for amounts and percentages; codes or names separated by "
                                         "commas for “is one of”."))

    class Meta:
        ordering = ["rule", "pk"]
        verbose_name = _("approval condition")
        verbose_name_plural = _("approval conditions")

    def __str__(self) -> str:
        return f"{self.field} {self.get_operator_display()} {self.value}"


class ApprovalStep(CompanyOwned):
    """Who approves at one level of a rule. Levels run one after the other; steps of the same level
    run in parallel (all must be satisfied). Each needs `min_approvals` different approvers.

    A step with `amount_over` applies only to documents whose amount is over it, so one rule can ask
    the purchasing manager over 50,000 and also the finance manager over 200,000.
    """

    rule = models.ForeignKey(ApprovalRule, on_delete=models.CASCADE, related_name="steps", verbose_name=_("rule"))
    level = models.PositiveSmallIntegerField(_("level"), default=1, validators=[MinValueValidator(1)],
                                             help_text=_("Steps of the same level are decided in parallel."))
    name = models.CharField(_("name"), max_length=100, blank=True)
    approver_type = models.CharField(_("approver"), max_length=20, choices=ApproverType.choices,
                                     default=ApproverType.ROLE)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("role"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("user"))
    min_approvals = models.PositiveSmallIntegerField(_("approvals needed"), default=1,
                                                     validators=[MinValueValidator(1)])
    amount_over = models.DecimalField(_("only when the amount is over"), null=True, blank=True, **MONEY)
    escalate_after_days = models.PositiveSmallIntegerField(_("escalate after days"), null=True, blank=True,
                                                           validators=[MinValueValidator(1)])
    escalate_to = models.CharField(_("escalate to"), max_length=20, choices=EscalateTo.choices, blank=True)
    escalate_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("escalation role"))

    class Meta:
        ordering = ["rule", "level", "pk"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [models.CheckConstraint(condition=models.Q(min_approvals__gte=1),
                                              name="approval_step_min_approvals_positive")]

    def __str__(self) -> str:
        return self.name or f"{self.level}: {self.get_approver_type_display()}"


class ApprovalRequest(CompanyOwned):
    """One submission of one document for approval: pending -> approved / rejected / withdrawn.

    At most one request of a document is pending (a partial unique constraint). `amount`, `summary`
    and `fingerprint` (a hash of the amount and the registered fields) record what was submitted: an
    approval covers the document only while its fingerprint is unchanged.
    """

    document_type = models.CharField(_("document type"), max_length=100)
    object_id = models.CharField(_("document id"), max_length=64)
    document_repr = models.CharField(_("document"), max_length=200)
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    rule = models.ForeignKey(ApprovalRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests",
                             verbose_name=_("rule"))
    rule_name = models.CharField(_("rule name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING,
                             editable=False)
    current_level = models.PositiveSmallIntegerField(_("current level"), default=1)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    document_owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("document owner"))
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["company", "-submitted_at", "-pk"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        constraints = [
            models.UniqueConstraint(fields=["document_type", "object_id"], condition=models.Q(state="pending"),
                                    name="uniq_pending_approval_request",
                                    violation_error_message=_("This document already waits for approval.")),
        ]
        indexes = [models.Index(fields=["document_type", "object_id"]), models.Index(fields=["company", "state"])]

    def __str__(self) -> str:
        return _("Approval of %(document)s") % {"document": self.document_repr}

    @property
    def document_ref(self) -> str:
        """The document as the API names it: `accounting.invoice:12`."""
        return f"{self.document_type}:{self.object_id}"


class ApprovalRequestStep(CompanyOwned):
    """A rule step as it applies to one request: its approvers (resolved when the request was submitted,
    with those an escalation added) and how far its decisions have got."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps",
                                verbose_name=_("request"))
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    approver_type = models.CharField(_("approver"), max_length=20, choices=ApproverType.choices)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("role"))
    min_approvals = models.PositiveSmallIntegerField(_("approvals needed"), default=1)
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                       verbose_name=_("approvers"))
    state = models.CharField(_("state"), max_length=10, choices=StepState.choices, default=StepState.WAITING)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    escalate_after_days = models.PositiveSmallIntegerField(_("escalate after days"), null=True, blank=True)
    escalate_to = models.CharField(_("escalate to"), max_length=20, choices=EscalateTo.choices, blank=True)
    escalate_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("escalation role"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "level", "pk"]
        verbose_name = _("approval request step")
        verbose_name_plural = _("approval request steps")

    def __str__(self) -> str:
        return self.name or f"{self.level}: {self.get_approver_type_display()}"


class ApprovalDecision(CompanyOwned):
    """An approver's approve or reject on one step of a request, with their comment; `on_behalf_of`
    names the approver they stood in for under a delegation. A person decides a step once, and an
    approver is represented once (by themselves or by one delegate)."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions",
                                verbose_name=_("request"))
    step = models.ForeignKey(ApprovalRequestStep, on_delete=models.CASCADE, related_name="decisions",
                             verbose_name=_("step"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("approver"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("on behalf of"))
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["request", "at", "pk"]
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        constraints = [
            models.UniqueConstraint(fields=["step", "approver"], name="uniq_approval_decision_approver"),
            models.UniqueConstraint(fields=["step", "on_behalf_of"], condition=models.Q(on_behalf_of__isnull=False),
                                    name="uniq_approval_decision_principal"),
        ]

    def __str__(self) -> str:
        return f"{self.approver}: {self.get_verdict_display()}"


class Delegation(CompanyOwned):
    """While `user` is away (from `starts_on` to `ends_on`, both included), `delegate` may decide the
    approvals waiting for `user`, on their behalf. Not passed on: a delegate's own delegation does not
    cover what they hold for someone else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("away"))
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("delegate"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["company", "-starts_on", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(condition=~models.Q(user=models.F("delegate")), name="delegation_not_to_self",
                                   violation_error_message=_("Delegate to someone else.")),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="delegation_dates_ordered",
                                   violation_error_message=_("The last day comes on or after the first.")),
        ]

    def __str__(self) -> str:
        return _("%(user)s → %(delegate)s") % {"user": self.user, "delegate": self.delegate}


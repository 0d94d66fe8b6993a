"""factory_boy factories of approval rules, and the stand-in document the approvals tests approve.

Approvals sits below every business module, so its own tests cannot use their documents: they register
core's Job as a "purchase request" (params carry the amount, partner, discount and categories; a queued
job is a draft). The accounting tests approve real invoices and payments.
"""

from decimal import Decimal

import factory

from tessera.approvals.models import ApprovalCondition, ApprovalRule, ApprovalStep
from tessera.approvals.registry import NUMBER, TEXT, register, unregister
from tessera.core.models import Job, Role

DOCUMENT_TYPE = "core.job"


def register_purchase_requests():
    """Make the stand-in document approvable (undone by `unregister_purchase_requests`)."""
    return register(
        DOCUMENT_TYPE, label="Purchase request",
        amount=lambda job: Decimal(job.params.get("amount", "0")),
        summary=lambda job: job.params.get("title", f"Purchase request {job.pk}"),
        url=lambda job: f"/purchase-requests/{job.pk}/",
        requester=lambda job: job.user,
        kinds={"purchase": "Purchase", "travel": "Travel"}, kind=lambda job: job.kind,
        submittable=lambda job: job.state == "queued",
        submit_permission="approvals.view_approvalrequest",
        fields={
            "partner": ("Partner", lambda job: job.params.get("partner"), TEXT),
            "discount": ("Discount %", lambda job: Decimal(job.params["discount"]) if "discount" in job.params
                         else None, NUMBER),
            "category": ("Product category", lambda job: job.params.get("categories", []), TEXT),
        },
    )


def unregister_purchase_requests() -> None:
    unregister(DOCUMENT_TYPE)


def purchase_request(company, user, amount="60000.00", *, kind="purchase", **params) -> Job:
    """A draft (queued) purchase request of `amount` CNY by `user`."""
    return Job.objects.create(company=company, user=user, kind=kind,
                              params={"amount": str(amount), "title": f"Laptops {amount}", **params})


def role(code: str) -> Role:
    return Role.objects.get(code=code)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    document_type = DOCUMENT_TYPE
    priority = 10


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalStep

    rule = factory.SubFactory(RuleFactory)
    company = factory.SelfAttribute("rule.company")
    level = 1
    approver_type = "role"
    min_approvals = 1


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalCondition

    rule = factory.SubFactory(RuleFactory)
    company = factory.SelfAttribute("rule.company")
    field = "amount"
    operator = "gt"
    value = "0"


def purchase_rule(company, *, pm_over="50000", fm_over="200000", **kwargs) -> ApprovalRule:
    """The issue's rule: over 50,000 the purchasing manager approves; over 200,000 the finance (accounting)
    manager as well, after them."""
    rule = RuleFactory(company=company, name=kwargs.pop("name", "Purchases"), **kwargs)
    StepFactory(rule=rule, level=1, name="Purchasing manager", role=role("purchasing_manager"),
                amount_over=Decimal(pm_over) if pm_over is not None else None)
    StepFactory(rule=rule, level=2, name="Finance manager", role=role("accounting_manager"),
                amount_over=Decimal(fm_over) if fm_over is not None else None)
    return rule

"""Requisitions, approval rules and RFQs for the requisition and RFQ tests, built through the services."""

from decimal import Decimal

from tessera.approvals.tests.factories import ConditionFactory, RuleFactory, StepFactory, role
from tessera.purchasing.models import Requisition
from tessera.purchasing.services.requisitions import requisition_create
from tessera.purchasing.tests.conftest import TODAY


def requisition(p, *lines, user=None, warehouse=None, **data) -> Requisition:
    """A draft requisition by `user` (default the employee); `lines` are dicts (default 2 boxes of widgets
    from S1 at an estimated 60.00)."""
    rows = list(lines) or [{"product": p.widget.pk, "quantity": "2", "supplier": p.s1.pk, "estimated_price": "60"}]
    return requisition_create(actor=user or p.employee, company=p.company,
                              data={"warehouse": (warehouse or p.warehouse).pk, "date": TODAY, **data}, lines=rows)


def requisition_rule(p, over="1000"):
    """Approvals: a requisition over `over` (CNY) needs the purchasing manager."""
    rule = RuleFactory(company=p.company, name="Requisitions", document_type="purchasing.requisition")
    ConditionFactory(rule=rule, field="amount", operator="gt", value=over)
    StepFactory(rule=rule, level=1, name="Purchasing manager", role=role("purchasing_manager"))
    return rule


def as_state(document, state: str):
    """Put a document in `state` directly (test set-up of a source state)."""
    type(document).objects.filter(pk=document.pk).update(state=state)
    document.refresh_from_db()
    return document


DEC = Decimal

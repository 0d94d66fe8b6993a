"""Fixtures of the order tests: an order builder and an approval rule for orders above an amount."""

from decimal import Decimal

import pytest

from tessera.approvals.models import ApprovalCondition, ApprovalRule, ApprovalStep
from tessera.core.models import Role
from tessera.purchasing.services.orders import order_create
from tessera.purchasing.tests.conftest import TODAY


@pytest.fixture
def make_order(p):
    """make_order(lines=[...], **header) -> a draft order of S1 for WH (default: 10 boxes of widget at 60)."""

    def make(lines=None, actor=None, **data):
        header = {"partner": p.s1.pk, "warehouse": p.warehouse.pk, "date": TODAY, **data}
        lines = lines if lines is not None else [{"product": p.widget.pk, "quantity": "10", "unit_price": "60"}]
        return order_create(actor=actor or p.purchaser, company=p.company, data=header, lines=lines)

    return make


@pytest.fixture
def order_rule(p):
    """Orders above 5,000 (company currency) need one purchasing manager's approval."""
    rule = ApprovalRule.objects.create(company=p.company, name="Big orders", document_type="purchasing.purchaseorder",
                                       priority=10)
    ApprovalCondition.objects.create(company=p.company, rule=rule, field="amount", operator="gt",
                                     value=str(Decimal("5000")))
    ApprovalStep.objects.create(company=p.company, rule=rule, level=1, approver_type="role",
                                role=Role.objects.get(code="purchasing_manager"), min_approvals=1)
    return rule

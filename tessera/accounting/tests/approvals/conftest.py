"""Fixtures of the approval of accounting documents: ACME's books (cn_enterprise chart), approvals live,
a purchasing manager who approves, and the issue's rule written for supplier invoices."""

from decimal import Decimal

import pytest

from tessera.accounting.tests.documents.conftest import books  # noqa: F401 (the documents' books)
from tessera.approvals.tests.factories import ConditionFactory, RuleFactory, StepFactory, role
from tessera.core.tests.factories import activate
from tessera.core.tests.views.conftest import client_for  # noqa: F401 (signed-in test clients)


@pytest.fixture
def approver(company, make_user):
    activate(company, "approvals")
    return make_user("purchasing_manager", username="pm1")


@pytest.fixture
def bill_rule(company, approver):
    """Supplier invoices over 50,000 CNY: the purchasing manager; over 200,000 also the finance manager."""
    rule = RuleFactory(company=company, name="Supplier invoices", document_type="accounting.invoice",
                       kind="supplier_invoice")
    ConditionFactory(rule=rule, field="amount", operator="gt", value="50000")
    StepFactory(rule=rule, level=1, name="Purchasing manager", role=role("purchasing_manager"))
    StepFactory(rule=rule, level=2, name="Finance manager", role=role("accounting_manager"),
                amount_over=Decimal("200000"))
    return rule


@pytest.fixture
def disbursement_rule(company, approver):
    rule = RuleFactory(company=company, name="Payments out", document_type="accounting.payment")
    StepFactory(rule=rule, level=1, name="Purchasing manager", role=role("purchasing_manager"))
    return rule

"""Fixtures of the accounting screens' tests: signed-in clients and a draft entry in the ready ledger."""

from decimal import Decimal

import pytest

from tessera.accounting.services.ledger import entry_create
from tessera.accounting.tests.factories import D
from tessera.core import context
from tessera.core.tests.views.conftest import client_for, sales_web, salesperson  # noqa: F401


@pytest.fixture
def manager_web(client_for, accountant):  # noqa: F811
    """The accounting manager of ACME (every accounting permission), signed in."""
    return client_for(accountant)


@pytest.fixture
def draft(ledger, accountant):
    """A balanced draft: cash 100.00 to revenue, dated 2026-03-05, made by the accountant in the web UI."""
    with context.acting(user=accountant, channel="ui"):
        return entry_create(actor=accountant, company=ledger.company,
                            data={"journal": ledger.journal, "date": D(2026, 3, 5), "description": "Cash sale"},
                            lines=[{"account": ledger.cash, "debit": Decimal("100.00")},
                                   {"account": ledger.revenue, "credit": Decimal("100.00")}])

import pytest

from tessera.accounting.tests.factories import make_ledger
from tessera.core.tests.factories import activate


@pytest.fixture
def accountant(make_user, company):
    activate(company, "accounting")
    return make_user("accounting_manager", username="finance1")


@pytest.fixture
def ledger(company, accountant):
    """ACME with fiscal years 2025-2027 open, a general journal and the usual accounts."""
    return make_ledger(company, accountant)

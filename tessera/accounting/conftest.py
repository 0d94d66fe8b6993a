import pytest

from tessera.accounting.tests.factories import make_ledger
from tessera.core.checks_registry import run_checks
from tessera.core.tests.factories import activate


@pytest.fixture
def accountant(make_user, company):
    activate(company, "accounting")
    return make_user("accounting_manager", username="finance1")


@pytest.fixture
def ledger(request, company, accountant):
    """ACME with fiscal years 2025-2027 open, a general journal and the usual accounts.

    After the test, the books' invariants (`tessera check-books`) must still hold — except in tests
    marked `corrupts_books`, which tamper with rows on purpose."""
    books = make_ledger(company, accountant)
    yield books
    if request.node.get_closest_marker("corrupts_books") is None:
        assert run_checks(company) == []

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(ledger, accountant, api_client_for):
    """The API as the accounting manager of ACME, whose books are ready."""
    return api_client_for(accountant)


@pytest.fixture
def entry_body(ledger):
    """make(**changes) -> a balanced cash sale of 113.00 (100.00 revenue, 13.00 output VAT) on 2026-03-15."""

    def make(**changes):
        return {
            "journal": ledger.journal.pk, "date": "2026-03-15", "description": "Cash sale",
            "lines": [
                {"account": ledger.cash.pk, "debit": "113.00", "description": "Till"},
                {"account": ledger.revenue.pk, "credit": "100.00"},
                {"account": ledger.output_vat.pk, "credit": "13.00"},
            ],
            **changes,
        }

    return make

"""Fixtures of the ledger service tests."""

import pytest

from tessera.partners.models import Partner


@pytest.fixture
def customer(ledger):
    return Partner.objects.create(company=ledger.company, code="C001", name="Customer One", is_customer=True)

"""Fixtures of the approvals tests: ACME with approvals live, a purchaser who submits, two purchasing
managers and a finance manager who approve, and the stand-in purchase request document type."""

import pytest

from tessera.core.tests.factories import activate

from .factories import purchase_request, purchase_rule, register_purchase_requests, unregister_purchase_requests


@pytest.fixture(autouse=True)
def purchase_requests():
    definition = register_purchase_requests()
    yield definition
    unregister_purchase_requests()


@pytest.fixture
def people(company, make_user):
    activate(company, "approvals")

    class People:
        purchaser = make_user("purchaser", username="pat", first_name="Pat")
        pm1 = make_user("purchasing_manager", username="pm1")
        pm2 = make_user("purchasing_manager", username="pm2")
        fm = make_user("accounting_manager", username="fm1")
        admin = make_user("administrator", username="admin1")

    return People


@pytest.fixture
def rule(company, people):
    return purchase_rule(company)


@pytest.fixture
def make_request(company, people):
    """make_request(amount="60000.00", user=purchaser, **params) -> a draft purchase request."""

    def make(amount="60000.00", user=None, **params):
        return purchase_request(company, user or people.purchaser, amount, **params)

    return make

"""Fixtures of the web UI tests: signed-in browsers (Django test clients) for users in roles."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from tessera.core.models import Sequence
from tessera.core.services.currency import exchange_rate_set
from tessera.core.tests.factories import currency


@pytest.fixture
def client_for():
    """client_for(user) -> a test client signed in as `user` (through the login form's backend)."""

    def make(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def admin_web(client_for, admin_user):
    return client_for(admin_user)


@pytest.fixture
def salesperson(make_user):
    return make_user("salesperson", username="sally")


@pytest.fixture
def sales_web(client_for, salesperson):
    return client_for(salesperson)


@pytest.fixture
def usd_rate(db):
    return exchange_rate_set(currency=currency("USD"), quote=currency("CNY"), on=datetime.date(2026, 1, 5),
                             rate=Decimal("7.1000"))


@pytest.fixture
def sequence(company):
    return Sequence.objects.create(company=company, code="sales_order", name="Sales order", prefix="SO-{fy}-",
                                   padding=5)

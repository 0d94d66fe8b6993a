"""Shared pytest fixtures: a company, users in roles, API clients."""

import pytest
from rest_framework.test import APIClient

from tessera.core.models import ApiToken
from tessera.core.tests.factories import CompanyFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_login_lockout(settings):
    # Login throttling has its own tests; elsewhere repeated logins must not lock the test users out.
    settings.AXES_ENABLED = False


@pytest.fixture
def company(db):
    return CompanyFactory(code="ACME", name="Acme Trading")


@pytest.fixture
def other_company(db):
    return CompanyFactory(code="OTHER", name="Other Ltd")


@pytest.fixture
def make_user(db, company):
    """make_user("salesperson", "accountant", companies=[...]) -> a user in those roles."""

    def make(*roles, companies=None, **kwargs):
        return UserFactory(roles=list(roles), companies=companies if companies is not None else [company], **kwargs)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user("administrator", username="admin1")


@pytest.fixture
def api_client_for():
    """api_client_for(user) -> an APIClient authenticated with a fresh API token of that user."""

    def make(user):
        raw, prefix, key_hash = ApiToken.generate()
        ApiToken.objects.create(user=user, name="test", prefix=prefix, key_hash=key_hash)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return make


@pytest.fixture
def admin_api(api_client_for, admin_user):
    return api_client_for(admin_user)

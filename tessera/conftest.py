"""Shared pytest fixtures: a company, users in roles, API clients; the --run-celery-worker option."""

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tessera.core.models import ApiToken
from tessera.core.tests.factories import CompanyFactory, UserFactory

pytest_plugins = ["tessera.core.tests.browser.fixtures"]


def pytest_addoption(parser):
    parser.addoption(
        "--run-celery-worker", action="store_true", default=False,
        help="run the tests marked celery_worker (they start a real worker; CELERY_BROKER_URL must name a broker)",
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-celery-worker"):
        return
    skip = pytest.mark.skip(reason="needs a real Celery worker: run pytest with --run-celery-worker")
    for item in items:
        if "celery_worker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    # A worker process must reach the test database: on SQLite it has to be a file, not in memory.
    if request.config.getoption("--run-celery-worker"):
        from django.conf import settings

        database = settings.DATABASES["default"]
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database.setdefault("TEST", {})["NAME"] = str(Path(settings.DATA_DIR) / "test_celery_worker.sqlite3")


@pytest.fixture(autouse=True)
def _eager_jobs(request):
    # Jobs run in-process in tests (even when CELERY_BROKER_URL is set), except in the real-worker tests.
    from tessera.celery import app

    if "celery_worker" in request.keywords:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_acting_context():
    # Code that sets the acting context outside an `acting` block (API authentication called directly)
    # must not leak who is acting into the next test.
    from tessera.core import context

    token = context._current.set(context.ActingContext())
    yield
    context._current.reset(token)


@pytest.fixture(autouse=True)
def _default_language():
    # A request in Chinese (or a service rendering for a Chinese user) must not leave the next test
    # of the same worker speaking Chinese.
    from django.conf import settings as django_settings
    from django.utils import translation

    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Test clients speak plain HTTP; production redirects that to HTTPS.
    settings.SECURE_SSL_REDIRECT = False


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

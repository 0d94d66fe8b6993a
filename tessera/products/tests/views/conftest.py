import pytest

from tessera.core.tests.views.conftest import client_for  # noqa: F401


@pytest.fixture
def manager_web(client_for, manager):  # noqa: F811
    return client_for(manager)


@pytest.fixture
def sales_web(client_for, salesperson_user):  # noqa: F811
    return client_for(salesperson_user)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def in_chinese(client):
    client.cookies["django_language"] = "zh-hans"
    return client

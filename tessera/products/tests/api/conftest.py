import pytest


@pytest.fixture
def manager_api(api_client_for, manager):
    return api_client_for(manager)


@pytest.fixture
def sales_api(api_client_for, salesperson_user):
    return api_client_for(salesperson_user)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

"""Fixtures of the approval screens' tests: signed-in clients of the approvals people."""

import pytest

from tessera.core.tests.views.conftest import client_for  # noqa: F401


@pytest.fixture
def web(client_for, people):  # noqa: F811
    """web("pm1") -> a test client signed in as that person."""

    def make(name):
        return client_for(getattr(people, name))

    return make

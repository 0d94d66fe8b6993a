"""Fixtures for the core API tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _api_test_settings(settings):
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()

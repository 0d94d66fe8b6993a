"""Fixtures of the overdue-invoice and collaboration tests: the invoice books of ACME (documents
tests), e-mail in memory, and the event log's consumers run as a worker would."""

import pytest

from tessera.accounting.tests.documents.conftest import books  # noqa: F401 (ACME on the cn_enterprise chart)
from tessera.core.services.dispatch import events_dispatch


@pytest.fixture(autouse=True)
def _mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TESSERA_BASE_URL = "https://erp.example.com"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dispatch():
    return events_dispatch

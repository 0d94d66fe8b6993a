"""Fixtures of the collaboration tests: a company record to discuss (a numbering sequence), people who
may and may not see it, e-mail kept in memory, and a way to run the event log's consumers."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from tessera.core import context, events
from tessera.core.models import Sequence
from tessera.core.services.dispatch import events_dispatch


@pytest.fixture(autouse=True)
def _mail_and_media(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path
    settings.TESSERA_BASE_URL = "https://erp.example.com"


@pytest.fixture
def record(company):
    """A company record with a page of its own: the sales-order numbering of ACME."""
    return Sequence.objects.create(company=company, code="sales_order", name="Sales order", prefix="SO-{fy}-",
                                   padding=5)


@pytest.fixture
def record_type(record):
    return ContentType.objects.get_for_model(Sequence).pk


@pytest.fixture
def manager(make_user):
    """May see the record (Accounting manager: numbering read-only)."""
    return make_user("accounting_manager", username="mei", first_name="Mei", last_name="Lin")


@pytest.fixture
def boss(make_user):
    """May see and change the record (Administrator)."""
    return make_user("administrator", username="boss")


@pytest.fixture
def outsider(make_user):
    """Works in the company but may not see numbering (Salesperson)."""
    return make_user("salesperson", username="sam")


@pytest.fixture
def dispatch():
    """Run the consumers (notifications, e-mails, webhooks) as a worker would after the commit."""
    return events_dispatch


@pytest.fixture
def emit():
    """emit(name, record, actor=None, **payload): write a domain event as a service would."""

    def write(name, obj, actor=None, **payload):
        with context.acting(user=actor, channel="ui"), transaction.atomic():
            return events.emit(name, company=getattr(obj, "company", None), obj=obj, payload=payload)

    return write

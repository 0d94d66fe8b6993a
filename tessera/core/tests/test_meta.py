"""Meta-tests: rules every model of every Tessera app must follow."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import call_command

from tessera.core import audit
from tessera.core.models import Role


def tessera_models():
    return [model for model in apps.get_models() if model.__module__.startswith("tessera.")]


def test_every_model_is_audited_or_explicitly_exempted():
    missing = [
        model._meta.label for model in tessera_models()
        if not audit.is_registered(model) and model._meta.label not in audit.EXEMPT
    ]

    assert missing == [], "register these in the audit trail (audit.register) or audit.exempt them with a reason"


def test_exemptions_name_existing_models():
    labels = {model._meta.label for model in tessera_models()}

    assert set(audit.EXEMPT) <= labels


@pytest.mark.django_db
def test_every_model_can_be_viewed_by_a_seeded_role():
    granted = set(
        Permission.objects.filter(group__role__is_seeded=True, codename__startswith="view_")
        .values_list("content_type__app_label", "codename")
    )

    missing = [
        model._meta.label for model in tessera_models()
        if (model._meta.app_label, f"view_{model._meta.model_name}") not in granted
    ]

    assert missing == [], "add the app to roles.BUSINESS_APPS (the auditor views every seeded app)"


@pytest.mark.django_db
def test_the_auditor_can_view_every_model():
    auditor = Role.objects.get(code="auditor").group
    granted = set(auditor.permissions.values_list("content_type__app_label", "codename"))

    assert all((m._meta.app_label, f"view_{m._meta.model_name}") in granted for m in tessera_models())


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)

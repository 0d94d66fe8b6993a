"""The seeded roles: what each grants, and re-seeding keeps an administrator's edits."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from tessera.core.models import Role
from tessera.core.roles import BUSINESS_APPS, SEEDED_APPS, seed_roles


def _perms(code) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in Role.objects.get(code=code).group.permissions.select_related("content_type")}


@pytest.mark.django_db
def test_a_salesperson_gets_nothing_of_settings_users_or_accounting():
    perms = _perms("salesperson")

    assert not {perm for perm in perms if perm.split(".")[0] in {"core", "auth", "accounting", "hr"}}


@pytest.mark.django_db
def test_the_auditor_only_views_and_views_every_model():
    perms = _perms("auditor")
    models = [model for model in apps.get_models() if model._meta.app_label in SEEDED_APPS]

    assert all(perm.split(".")[1].startswith("view_") for perm in perms)
    assert {f"{m._meta.app_label}.view_{m._meta.model_name}" for m in models} <= perms


@pytest.mark.django_db
def test_the_administrator_may_set_up_companies_users_and_roles():
    perms = _perms("administrator")

    assert {"core.add_company", "auth.change_user", "core.change_role", "core.change_companymodule"} <= perms


@pytest.mark.django_db
def test_an_employee_gets_nothing_of_settings():
    assert not {perm for perm in _perms("employee") if perm.split(".")[0] in {"core", "auth"}}


@pytest.mark.django_db
def test_seeding_again_keeps_an_administrators_edits():
    accountant = Role.objects.get(code="accountant").group
    removed = Permission.objects.get(codename="change_exchangerate")
    added = Permission.objects.get(codename="view_sequence")
    accountant.permissions.remove(removed)
    accountant.permissions.add(added)

    seed_roles()

    assert "core.change_exchangerate" not in _perms("accountant")
    assert "core.view_sequence" in _perms("accountant")


@pytest.mark.django_db
def test_seeding_again_creates_nothing_new():
    before = {code: _perms(code) for code in Role.objects.values_list("code", flat=True)}

    seed_roles()

    assert {code: _perms(code) for code in Role.objects.values_list("code", flat=True)} == before
    assert Role.objects.count() == 11


def test_business_apps_are_seeded():
    assert set(BUSINESS_APPS) <= set(SEEDED_APPS)


@pytest.mark.django_db
def test_a_seeded_role_is_named_in_the_users_language_until_renamed():
    from django.utils import translation

    role = Role.objects.select_related("group").get(code="administrator")
    with translation.override("zh-hans"):
        assert role.name == "系统管理员"
    role.group.name = "Site owner"
    role.group.save()
    with translation.override("zh-hans"):
        assert role.name == "Site owner"


@pytest.mark.django_db
def test_a_refusal_names_the_permission_in_the_users_language(make_user):
    from django.utils import translation

    from tessera.core.permissions import check

    user = make_user("salesperson")
    with translation.override("zh-hans"):
        reason = check(user, "core.add_company").reason
    assert "core.add_company" in reason and "Can add" not in reason

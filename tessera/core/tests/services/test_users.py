"""Users, roles and API tokens."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed

from tessera.core.api.authentication import ApiTokenAuthentication
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import Role
from tessera.core.permissions import check, effective_permissions
from tessera.core.services.users import (
    api_token_create,
    api_token_revoke,
    role_create,
    role_delete,
    role_set_permissions,
    user_create,
    user_provision,
    user_set_password,
    user_update,
)

User = get_user_model()
GOOD_PASSWORD = "Plum-blossom-2026"


def _role(code):
    return Role.objects.get(code=code)


@pytest.mark.django_db
def test_a_weak_password_is_a_password_field_error_and_creates_no_user(admin_user):
    with pytest.raises(ValidationFailed) as raised:
        user_create(actor=admin_user, username="lily", password="12345")

    assert list(raised.value.fields) == ["password"]
    assert "This password is too short. It must contain at least 10 characters." in raised.value.fields["password"]
    assert not User.objects.filter(username="lily").exists()


@pytest.mark.django_db
def test_a_new_user_without_a_role_has_no_permission(admin_user, company):
    user = user_create(actor=admin_user, username="lily", password=GOOD_PASSWORD, companies=[company])

    assert effective_permissions(user) == {}
    assert not check(user, "core.view_company", company)


@pytest.mark.django_db
def test_a_new_user_gets_roles_companies_and_the_first_company_as_default(admin_user, company, other_company):
    user = user_create(actor=admin_user, username="lily", password=GOOD_PASSWORD,
                       roles=[_role("accountant")], companies=[other_company, company])

    assert list(user.groups.values_list("role__code", flat=True)) == ["accountant"]
    assert user.profile.default_company == company  # by code: ACME before OTHER
    assert check(user, "core.view_currency", other_company)


@pytest.mark.django_db
def test_the_default_company_must_be_an_allowed_one(admin_user, company, other_company):
    with pytest.raises(ValidationFailed) as raised:
        user_create(actor=admin_user, username="lily", password=GOOD_PASSWORD, companies=[company],
                    default_company=other_company)

    assert list(raised.value.fields) == ["default_company"]
    assert not User.objects.filter(username="lily").exists()


@pytest.mark.django_db
def test_creating_users_needs_add_user(make_user):
    with pytest.raises(PermissionDenied):
        user_create(actor=make_user("salesperson"), username="lily", password=GOOD_PASSWORD)

    assert not User.objects.filter(username="lily").exists()


@pytest.mark.django_db
def test_an_administrator_cannot_disable_themselves(admin_user):
    with pytest.raises(ValidationFailed) as raised:
        user_update(actor=admin_user, user=admin_user, data={"is_active": False})

    assert list(raised.value.fields) == ["is_active"]
    assert User.objects.get(pk=admin_user.pk).is_active


@pytest.mark.django_db
def test_changing_ones_own_password_needs_the_old_one(make_user):
    user = make_user("salesperson")

    with pytest.raises(ValidationFailed) as raised:
        user_set_password(actor=user, user=user, password=GOOD_PASSWORD, old_password="wrong")

    assert list(raised.value.fields) == ["old_password"]
    assert not User.objects.get(pk=user.pk).check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_a_password_change_through_the_request_user_wrapper_is_audited(make_user):
    # Views pass request.user, a lazy wrapper around the user: the audit must see the real model.
    from django.utils.functional import SimpleLazyObject

    from tessera.core.models import AuditEntry

    user = make_user("salesperson")
    lazy = SimpleLazyObject(lambda: User.objects.get(pk=user.pk))

    user_set_password(actor=lazy, user=lazy, password=GOOD_PASSWORD, old_password="Tessera-test-pw-2026")

    assert User.objects.get(pk=user.pk).check_password(GOOD_PASSWORD)
    entry = AuditEntry.objects.filter(object_id=str(user.pk), content_type__model="user").latest("pk")
    assert entry.changes == {"password": ["***", "***"]}


@pytest.mark.django_db
def test_user_provision_run_twice_changes_nothing(company):
    user_provision(username="ops", password=GOOD_PASSWORD, roles=[_role("auditor")], companies=[company])
    first = User.objects.values().get(username="ops")

    user, created = user_provision(username="ops", password=GOOD_PASSWORD, roles=[_role("auditor")],
                                   companies=[company])

    assert created is False
    assert User.objects.values().get(username="ops") == first


@pytest.mark.django_db
def test_a_role_name_must_be_unique(admin_user):
    with pytest.raises(ValidationFailed) as raised:
        role_create(actor=admin_user, code="acc2", name="Accountant")

    assert list(raised.value.fields) == ["name"]
    assert not Role.objects.filter(code="acc2").exists()


@pytest.mark.django_db
def test_seeded_roles_cannot_be_deleted(admin_user):
    with pytest.raises(PermissionDenied):
        role_delete(actor=admin_user, role=_role("auditor"))

    assert Role.objects.filter(code="auditor").exists()


@pytest.mark.django_db
def test_a_custom_role_can_be_created_given_permissions_and_deleted(admin_user, make_user, company):
    role = role_create(actor=admin_user, code="cashier", name="Cashier")
    role_set_permissions(actor=admin_user, role=role,
                         permissions=[Permission.objects.get(codename="view_exchangerate")])
    user = make_user()
    user.groups.add(role.group)
    assert check(User.objects.get(pk=user.pk), "core.view_exchangerate", company)

    role_delete(actor=admin_user, role=role)

    assert not check(User.objects.get(pk=user.pk), "core.view_exchangerate", company)


@pytest.mark.django_db
def test_a_revoked_token_is_not_usable(make_user):
    user = make_user("salesperson")
    token, raw = api_token_create(actor=user, name="shop")

    api_token_revoke(actor=user, token=token)

    token.refresh_from_db()
    assert not token.is_usable
    with pytest.raises(AuthenticationFailed):
        ApiTokenAuthentication().authenticate_credentials(raw)


@pytest.mark.django_db
def test_an_expired_token_is_not_usable(make_user):
    user = make_user("salesperson")
    token, raw = api_token_create(actor=user, name="shop", expires_at=timezone.now() + datetime.timedelta(hours=1))
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    with pytest.raises(AuthenticationFailed):
        ApiTokenAuthentication().authenticate_credentials(raw)


@pytest.mark.django_db
def test_a_valid_token_authenticates_its_user(make_user):
    user = make_user("salesperson")
    token, raw = api_token_create(actor=user, name="shop")

    assert ApiTokenAuthentication().authenticate_credentials(raw) == (user, token)


@pytest.mark.django_db
def test_a_token_cannot_be_created_already_expired(make_user):
    user = make_user("salesperson")

    with pytest.raises(ValidationFailed) as raised:
        api_token_create(actor=user, name="old", expires_at=timezone.now() - datetime.timedelta(days=1))

    assert list(raised.value.fields) == ["expires_at"]
    assert not user.api_tokens.exists()


@pytest.mark.django_db
def test_another_users_token_is_revoked_only_by_an_administrator(make_user):
    owner, other = make_user("salesperson"), make_user("salesperson")
    token, _raw = api_token_create(actor=owner, name="shop")

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=other, token=token)

    token.refresh_from_db()
    assert token.revoked_at is None

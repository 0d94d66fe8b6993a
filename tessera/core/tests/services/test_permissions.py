"""permissions.check says why; effective_permissions lists what a user can do."""

import pytest

from tessera.core.errors import PermissionDenied
from tessera.core.permissions import check, effective_permissions, require


@pytest.mark.django_db
def test_a_missing_permission_is_named_in_the_reason(make_user, company):
    decision = check(make_user("salesperson"), "core.add_company", company)

    assert not decision
    assert decision.reason == "Your roles do not grant the permission “Can add company” (core.add_company)."


@pytest.mark.django_db
def test_a_company_not_allowed_is_named_in_the_reason(make_user, company, other_company):
    decision = check(make_user("accountant", companies=[company]), "core.view_currency", other_company)

    assert not decision
    assert decision.reason == "You may not work in company OTHER."


@pytest.mark.django_db
def test_a_disabled_user_is_told_so(make_user, company):
    user = make_user("administrator", is_active=False)

    assert check(user, "core.view_company", company).reason == "Your account is disabled."


def test_an_anonymous_user_is_told_to_sign_in():
    from django.contrib.auth.models import AnonymousUser

    assert check(AnonymousUser(), "core.view_company").reason == "You are not signed in."


@pytest.mark.django_db
def test_require_raises_with_the_reason(make_user, company):
    with pytest.raises(PermissionDenied) as raised:
        require(make_user("auditor"), "core.change_company", company)

    assert "core.change_company" in str(raised.value)


@pytest.mark.django_db
def test_an_allowed_permission_in_an_allowed_company_passes(make_user, company):
    assert check(make_user("accountant"), "core.change_exchangerate", company)


@pytest.mark.django_db
def test_effective_permissions_of_an_accountant(make_user):
    permissions = effective_permissions(make_user("accountant"))

    assert permissions["core.exchangerate"] == {"view", "add", "change", "delete"}
    assert permissions["core.currency"] == {"view"}
    assert "core.company" not in permissions


@pytest.mark.django_db
def test_effective_permissions_combine_roles(make_user):
    permissions = effective_permissions(make_user("accountant", "accounting_manager"))

    assert permissions["core.currency"] == {"view", "add", "change", "delete"}
    assert permissions["core.sequence"] == {"view"}


# --- Record grants (check_view) -----------------------------------------------------------------------


@pytest.fixture
def grant_for(monkeypatch):
    """Only a fake grant: it lets the given users see the given records."""
    from tessera.core import permissions

    allowed: set[tuple[int, int]] = set()
    monkeypatch.setattr(permissions, "_view_grants", [])
    permissions.register_view_grant(lambda user, record: (user.pk, record.pk) in allowed)
    return allowed


@pytest.mark.django_db
def test_a_grant_lets_one_user_see_one_record(make_user, company, grant_for):
    from tessera.core.models import WebhookSubscription
    from tessera.core.permissions import check_view

    first = WebhookSubscription.objects.create(company=company, url="https://example.com/a", secret="s")
    second = WebhookSubscription.objects.create(company=company, url="https://example.com/b", secret="s")
    clerk = make_user("warehouse_clerk", username="clerk-grant")
    grant_for.add((clerk.pk, first.pk))

    assert check_view(clerk, first)
    assert check_view(clerk, second).reason.startswith("Your roles do not grant the permission")
    assert not check(clerk, "core.change_webhooksubscription", company)


@pytest.mark.django_db
def test_a_grant_does_not_cross_companies_or_wake_disabled_users(make_user, company, other_company, grant_for):
    from tessera.core.models import WebhookSubscription
    from tessera.core.permissions import check_view

    record = WebhookSubscription.objects.create(company=other_company, url="https://example.com/a", secret="s")
    outsider = make_user("warehouse_clerk", username="clerk-acme", companies=[company])
    disabled = make_user("warehouse_clerk", username="clerk-off", companies=[other_company], is_active=False)
    grant_for.update({(outsider.pk, record.pk), (disabled.pk, record.pk)})

    assert not check_view(outsider, record)
    assert check_view(disabled, record).reason == "Your account is disabled."

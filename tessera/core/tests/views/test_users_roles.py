"""Users, roles and the permission matrix screens."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from tessera.core.models import Role
from tessera.core.tests.factories import PASSWORD

User = get_user_model()


def perm(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.django_db
def test_creating_a_user_gives_roles_and_companies(admin_web, company):
    role = Role.objects.get(code="accountant")
    response = admin_web.post(reverse("core:user_create"), {
        "username": "newbie", "password": "a-Long-enough-pw-42", "email": "n@example.com", "is_active": "on",
        "roles": [role.pk], "companies": [company.pk], "default_company": company.pk,
    })
    user = User.objects.get(username="newbie")
    assert response["Location"] == reverse("core:user_detail", args=[user.pk])
    assert list(user.groups.all()) == [role.group]
    assert (list(user.profile.companies.all()), user.profile.default_company) == ([company], company)
    assert user.check_password("a-Long-enough-pw-42")


@pytest.mark.django_db
def test_a_weak_password_is_shown_on_the_field_and_no_user_is_created(admin_web):
    response = admin_web.post(reverse("core:user_create"), {"username": "newbie", "password": "short"})
    assert "This password is too short. It must contain at least 10 characters." in (
        response.context["form"].errors["password"])
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_a_default_company_outside_the_allowed_ones_is_refused(admin_web, company, other_company):
    response = admin_web.post(reverse("core:user_create"), {
        "username": "newbie", "password": "a-Long-enough-pw-42", "companies": [company.pk],
        "default_company": other_company.pk,
    })
    assert response.context["form"].errors["default_company"] == [
        "The default company must be one of the allowed companies."]
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_editing_a_user_changes_roles(admin_web, salesperson, company):
    accountant = Role.objects.get(code="accountant")
    response = admin_web.post(reverse("core:user_update", args=[salesperson.pk]), {
        "email": "sally@example.com", "first_name": "Sally", "is_active": "on", "roles": [accountant.pk],
        "companies": [company.pk], "default_company": company.pk,
    })
    assert response.status_code == 302
    salesperson.refresh_from_db()
    assert (salesperson.first_name, [g.name for g in salesperson.groups.all()]) == ("Sally", ["Accountant"])


@pytest.mark.django_db
def test_an_administrator_resets_a_password(admin_web, salesperson):
    response = admin_web.post(reverse("core:user_password", args=[salesperson.pk]),
                              {"password": "brand-New-pw-2027", "password_again": "brand-New-pw-2027"})
    assert response.status_code == 302
    salesperson.refresh_from_db()
    assert salesperson.check_password("brand-New-pw-2027")


@pytest.mark.django_db
def test_a_reset_with_differing_passwords_changes_nothing(admin_web, salesperson):
    response = admin_web.post(reverse("core:user_password", args=[salesperson.pk]),
                              {"password": "brand-New-pw-2027", "password_again": "other-New-pw-2027"})
    assert response.context["form"].errors == {"password_again": ["The two passwords differ."]}
    salesperson.refresh_from_db()
    assert salesperson.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_access_page_lists_roles_companies_and_permissions(admin_web, make_user, company):
    accountant = make_user("accountant", username="acc")
    response = admin_web.get(reverse("core:user_access", args=[accountant.pk]))
    assert response.context["roles"] == ["Accountant"]
    assert list(response.context["companies"]) == [company]
    settings_rows = dict(response.context["rows"])["Settings"]
    assert [(row["label"], actions) for row, actions in settings_rows] == [
        ("core.currency", ["View"]), ("core.exchangerate", ["View", "Create", "Change", "Delete"]),
    ]


@pytest.mark.django_db
def test_a_role_is_created(admin_web):
    response = admin_web.post(reverse("core:role_create"), {"code": "cashier", "name": "Cashier"})
    role = Role.objects.get(code="cashier")
    assert response["Location"] == reverse("core:role_detail", args=[role.pk])
    assert (role.name, role.is_seeded) == ("Cashier", False)


@pytest.mark.django_db
def test_a_role_that_is_not_seeded_is_deleted(admin_web, admin_user):
    from tessera.core.services.users import role_create

    role = role_create(actor=admin_user, code="temp", name="Temporary")
    response = admin_web.post(reverse("core:role_delete", args=[role.pk]))
    assert response["Location"] == reverse("core:role_list")
    assert not Role.objects.filter(code="temp").exists()


@pytest.mark.django_db
def test_a_seeded_role_is_not_deleted(admin_web):
    role = Role.objects.get(code="salesperson")
    response = admin_web.post(reverse("core:role_delete", args=[role.pk]))
    assert response.status_code == 403
    assert response.context["message"] == "Seeded roles cannot be deleted; remove their permissions instead."
    assert Role.objects.filter(code="salesperson").exists()


@pytest.mark.django_db
def test_the_matrix_shows_a_checkbox_where_a_permission_exists(admin_web):
    role = Role.objects.get(code="accountant")
    response = admin_web.get(reverse("core:permission_matrix") + f"?role={role.pk}")
    rows = {row["label"]: row for _app, models in response.context["rows"] for row in models}
    assert sorted(rows["core.currency"]["cells"]) == ["add", "change", "delete", "view"]
    assert perm("core.view_currency").pk in response.context["granted"]
    assert perm("core.add_currency").pk not in response.context["granted"]


@pytest.mark.django_db
def test_saving_the_matrix_replaces_the_role_permissions(admin_web):
    role = Role.objects.get(code="accountant")
    chosen = [perm("core.view_company"), perm("core.change_exchangerate")]
    response = admin_web.post(reverse("core:permission_matrix"), {"role": role.pk, "perm": [p.pk for p in chosen]})
    assert response["Location"] == reverse("core:permission_matrix") + f"?role={role.pk}"
    assert set(role.group.permissions.all()) == set(chosen)


@pytest.mark.django_db
def test_saving_the_matrix_keeps_permissions_of_apps_it_does_not_show(admin_web):
    role = Role.objects.get(code="accountant")
    outside = Permission.objects.get(content_type__app_label="sessions", codename="view_session")
    role.group.permissions.add(outside)
    admin_web.post(reverse("core:permission_matrix"), {"role": role.pk, "perm": [perm("core.view_company").pk]})
    assert set(role.group.permissions.all()) == {outside, perm("core.view_company")}


@pytest.mark.django_db
def test_saving_the_matrix_without_the_permission_changes_nothing(client_for, make_user):
    role = Role.objects.get(code="accountant")
    before = set(role.group.permissions.all())
    response = client_for(make_user("auditor")).post(reverse("core:permission_matrix"),
                                                     {"role": role.pk, "perm": [perm("core.add_company").pk]})
    assert response.status_code == 403
    assert set(role.group.permissions.all()) == before

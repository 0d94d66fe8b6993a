"""The core endpoints: companies and modules, currencies and rates, users, roles, logs, me."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from tessera.core.models import Company, CompanyModule, DomainEvent, ExchangeRate, Role
from tessera.core.tests.factories import currency

pytestmark = pytest.mark.django_db
User = get_user_model()


# --- Companies and modules ---------------------------------------------------------------------


def test_create_a_company_with_modules(admin_api):
    body = {"code": "NEW", "name": "New Co", "base_currency": currency("CNY").pk, "modules": ["sales"]}

    response = admin_api.post("/api/v1/core/companies/", body, format="json")

    assert response.status_code == 201
    created = Company.objects.get(code="NEW")
    assert CompanyModule.objects.get(company=created, module="sales").is_active
    assert DomainEvent.objects.filter(name="core.company.created", company=created).exists()


def test_a_companys_code_cannot_change(admin_api, company):
    response = admin_api.patch(f"/api/v1/core/companies/{company.pk}/", {"code": "ZZZ"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"code"}
    company.refresh_from_db()
    assert company.code == "ACME"


def test_modules_list_every_module_with_its_state(admin_api, company):
    rows = admin_api.get(f"/api/v1/core/companies/{company.pk}/modules/").json()

    by_code = {row["module"]: row for row in rows}
    assert by_code["core"]["is_active"] and by_code["core"]["always_on"]
    assert by_code["sales"]["is_active"] is False


def test_switching_a_module_on(admin_api, company):
    response = admin_api.post(f"/api/v1/core/companies/{company.pk}/modules/", {"module": "sales", "is_active": True},
                              format="json")

    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert CompanyModule.objects.get(company=company, module="sales").is_active


def test_switching_an_unknown_module_is_refused(admin_api, company):
    response = admin_api.post(f"/api/v1/core/companies/{company.pk}/modules/", {"module": "nope", "is_active": True},
                              format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"module"}
    assert not CompanyModule.objects.exists()


# --- Currencies and exchange rates -------------------------------------------------------------


def test_rate_lookup_gives_the_rate_in_force(admin_api):
    ExchangeRate.objects.create(currency=currency("USD"), quote_currency=currency("CNY"),
                                rate_on=datetime.date(2026, 11, 1), rate=Decimal("7.1"))

    response = admin_api.get("/api/v1/core/exchange-rates/lookup/", {"currency": "USD", "quote": "CNY",
                                                                     "date": "2026-11-25"})

    assert response.status_code == 200
    assert response.json() == {"currency": "USD", "quote": "CNY", "date": "2026-11-25", "rate": "7.1000000000"}


def test_rate_lookup_without_a_rate_is_404(admin_api):
    response = admin_api.get("/api/v1/core/exchange-rates/lookup/", {"currency": "USD", "quote": "CNY",
                                                                     "date": "2026-11-25"})

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No exchange rate from USD to CNY on or before 2026-11-25."


def test_rate_lookup_of_an_unknown_currency_names_the_parameter(admin_api):
    response = admin_api.get("/api/v1/core/exchange-rates/lookup/", {"currency": "XXQ", "quote": "CNY",
                                                                     "date": "2026-11-25"})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"currency"}


def test_a_second_rate_for_the_same_day_corrects_the_first(admin_api):
    body = {"currency": currency("USD").pk, "quote_currency": currency("CNY").pk, "rate_on": "2026-11-25"}
    admin_api.post("/api/v1/core/exchange-rates/", {**body, "rate": "7.1"}, format="json")

    admin_api.post("/api/v1/core/exchange-rates/", {**body, "rate": "7.2"}, format="json")

    assert list(ExchangeRate.objects.values_list("rate", flat=True)) == [Decimal("7.2")]


def test_currencies_can_be_filtered_and_searched(admin_api):
    assert admin_api.get("/api/v1/core/currencies/", {"code": "EUR"}).json()["count"] == 1
    assert admin_api.get("/api/v1/core/currencies/", {"search": "Yuan"}).json()["count"] >= 1


def test_page_size_is_capped_at_500(admin_api):
    response = admin_api.get("/api/v1/core/currencies/", {"page_size": 10000})

    assert len(response.json()["results"]) == min(500, response.json()["count"])


# --- Users and roles ---------------------------------------------------------------------------


def _role(code: str) -> Role:
    return Role.objects.get(code=code)


def test_create_a_user_with_roles_and_companies(admin_api, company):
    body = {"username": "mei", "password": "Long-enough-pw-1", "roles": [_role("salesperson").pk],
            "companies": [company.pk], "default_company": company.pk, "email": "mei@example.com"}

    response = admin_api.post("/api/v1/core/users/", body, format="json")

    assert response.status_code == 201
    assert "password" not in response.json()
    user = User.objects.get(username="mei")
    assert user.check_password("Long-enough-pw-1")
    assert list(user.groups.values_list("role__code", flat=True)) == ["salesperson"]
    assert user.profile.default_company == company


def test_a_weak_password_is_refused_and_no_user_is_created(admin_api):
    response = admin_api.post("/api/v1/core/users/", {"username": "mei", "password": "123"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"password"}
    assert not User.objects.filter(username="mei").exists()


def test_patch_changes_a_users_roles(admin_api, make_user):
    user = make_user("salesperson")

    response = admin_api.patch(f"/api/v1/core/users/{user.pk}/", {"roles": [_role("accountant").pk]}, format="json")

    assert response.status_code == 200
    assert response.json()["roles"] == [_role("accountant").pk]


def test_patch_cannot_set_a_password(admin_api, make_user):
    user = make_user("salesperson")

    response = admin_api.patch(f"/api/v1/core/users/{user.pk}/", {"password": "Long-enough-pw-2"}, format="json")

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.check_password("Long-enough-pw-2")


def test_an_administrator_resets_a_password(admin_api, make_user):
    user = make_user("salesperson")

    response = admin_api.post(f"/api/v1/core/users/{user.pk}/reset-password/", {"password": "Brand-new-pw-77"},
                              format="json")

    assert response.status_code == 204
    login = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": "Brand-new-pw-77"},
                             format="json")
    assert login.status_code == 200


def test_access_says_what_a_user_can_see_and_do(admin_api, make_user, company):
    user = make_user("salesperson")

    access = admin_api.get(f"/api/v1/core/users/{user.pk}/access/").json()

    assert [c["code"] for c in access["companies"]] == ["ACME"]
    assert [r["code"] for r in access["roles"]] == ["salesperson"]
    assert "core.company" not in access["permissions"]


def test_role_matrix_put_changes_effective_permissions(admin_api, make_user, api_client_for):
    role = admin_api.post("/api/v1/core/roles/", {"code": "numbering", "name": "Numbering clerk"},
                          format="json").json()
    user = make_user()
    user.groups.add(Role.objects.get(pk=role["id"]).group)
    client = api_client_for(user)
    assert client.get("/api/v1/core/sequences/").status_code == 403

    put = admin_api.put(f"/api/v1/core/roles/{role['id']}/permissions/", {"permissions": ["core.view_sequence"]},
                        format="json")

    assert put.json() == {"permissions": ["core.view_sequence"]}
    assert client.get("/api/v1/core/sequences/").status_code == 200
    access = admin_api.get(f"/api/v1/core/users/{user.pk}/access/").json()
    assert access["permissions"] == {"core.sequence": ["view"]}


def test_role_matrix_refuses_unknown_permissions(admin_api):
    role = _role("salesperson")
    before = set(role.group.permissions.values_list("pk", flat=True))

    response = admin_api.put(f"/api/v1/core/roles/{role.pk}/permissions/", {"permissions": ["sales.fly_order"]},
                             format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"permissions": ["Unknown permission: sales.fly_order."]}
    assert set(role.group.permissions.values_list("pk", flat=True)) == before


def test_seeded_roles_cannot_be_deleted(admin_api):
    response = admin_api.delete(f"/api/v1/core/roles/{_role('auditor').pk}/")

    assert response.status_code == 403
    assert Role.objects.filter(code="auditor").exists()


def test_a_created_role_can_be_deleted(admin_api):
    role = admin_api.post("/api/v1/core/roles/", {"code": "temp", "name": "Temporary"}, format="json").json()

    assert admin_api.delete(f"/api/v1/core/roles/{role['id']}/").status_code == 204
    assert not Role.objects.filter(code="temp").exists()


# --- Logs and me -------------------------------------------------------------------------------


def test_audit_search_by_model_and_object(admin_api, company):
    admin_api.patch(f"/api/v1/core/companies/{company.pk}/", {"name": "Acme Renamed"}, format="json")

    rows = admin_api.get("/api/v1/core/audit/", {"model": "core.company", "object_id": company.pk,
                                                "action": "update"}).json()["results"]

    assert len(rows) == 1
    assert rows[0]["changes"]["name"] == ["Acme Trading", "Acme Renamed"]
    assert rows[0]["channel"] == "api"


def test_audit_search_with_a_malformed_model_is_a_validation_error(admin_api):
    response = admin_api.get("/api/v1/core/audit/", {"model": "company"})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"model"}


def test_events_after_an_id_in_id_order(admin_api, company):
    first, second, third = (DomainEvent.objects.create(company=company, name=f"test.{n}") for n in range(3))

    rows = admin_api.get("/api/v1/core/events/", {"after": first.pk}).json()["results"]

    assert [row["id"] for row in rows] == [second.pk, third.pk]


def test_me_lists_the_company_and_its_active_modules(make_user, api_client_for, company, other_company):
    CompanyModule.objects.create(company=company, module="sales", is_active=True)
    client = api_client_for(make_user("salesperson", companies=[company, other_company]))

    me = client.get("/api/v1/core/me/").json()

    assert me["company"]["code"] == "ACME"
    assert [c["code"] for c in me["companies"]] == ["ACME", "OTHER"]
    assert me["modules"] == ["core", "masterdata", "sales"]


def test_audit_search_by_actor_and_dates(admin_api, admin_user, company):
    admin_api.patch(f"/api/v1/core/companies/{company.pk}/", {"name": "Acme Renamed"}, format="json")
    today = timezone.localdate().isoformat()

    mine = admin_api.get("/api/v1/core/audit/", {"actor": admin_user.pk, "date_from": today, "date_to": today,
                                                "model": "core.company"}).json()
    before = admin_api.get("/api/v1/core/audit/", {"date_to": "2000-01-01"}).json()

    assert mine["count"] == 1
    assert before["count"] == 0


def test_ordering_by_a_field(admin_api):
    codes = [row["code"] for row in admin_api.get("/api/v1/core/currencies/", {"ordering": "-code"}).json()["results"]]

    assert codes == sorted(codes, reverse=True)

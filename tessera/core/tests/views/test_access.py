"""Who may see what: 403 pages with the reason, the menu, switching company, company scoping."""

import pytest
from django.urls import reverse

from tessera.core.models import Sequence

SETUP_PAGES = {
    "core:company_list": "core.view_company",
    "core:company_create": "core.add_company",
    "core:user_list": "auth.view_user",
    "core:user_create": "auth.add_user",
    "core:role_list": "core.view_role",
    "core:permission_matrix": "core.view_role",
    "core:currency_list": "core.view_currency",
    "core:exchangerate_list": "core.view_exchangerate",
    "core:sequence_list": "core.view_sequence",
    "core:module_list": "core.view_companymodule",
    "core:audit_list": "core.view_auditentry",
    "core:event_list": "core.view_domainevent",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "permission"), SETUP_PAGES.items())
def test_a_salesperson_is_refused_set_up_pages_with_the_reason(sales_web, url_name, permission):
    response = sales_web.get(reverse(url_name))
    assert response.status_code == 403
    assert f"({permission})" in response.content.decode()
    assert "Your roles do not grant the permission" in response.content.decode()


@pytest.mark.django_db
def test_the_403_page_names_the_missing_permission_exactly(sales_web):
    response = sales_web.get(reverse("core:company_list"))
    assert response.context["message"] == (
        "Your roles do not grant the permission “Can view company” (core.view_company).")


@pytest.mark.django_db
def test_a_salesperson_sees_no_settings_entries_in_the_menu(sales_web):
    response = sales_web.get(reverse("home"))
    assert "core" not in [module["code"] for module in response.context["navigation"]]
    assert reverse("core:company_list") not in response.content.decode()


@pytest.mark.django_db
def test_an_administrator_sees_every_settings_entry(admin_web):
    response = admin_web.get(reverse("home"))
    core = next(module for module in response.context["navigation"] if module["code"] == "core")
    assert [entry["url"] for entry in core["entries"]] == [
        reverse(name) for name in ("core:company_list", "core:user_list", "core:role_list", "core:permission_matrix",
                                   "core:currency_list", "core:exchangerate_list", "core:sequence_list",
                                   "core:module_list", "core:audit_list", "core:event_list", "core:job_list",
                                   "core:webhooksubscription_list", "core:webhookdelivery_list")
    ]


@pytest.mark.django_db
def test_the_menu_shows_only_the_entries_a_role_grants(client_for, make_user):
    accountant_menu = client_for(make_user("accountant")).get(reverse("home")).context["navigation"]
    core = next(module for module in accountant_menu if module["code"] == "core")
    assert [entry["url"] for entry in core["entries"]] == [reverse("core:currency_list"),
                                                           reverse("core:exchangerate_list")]


@pytest.mark.django_db
def test_a_viewer_gets_no_new_button_and_403_on_create(client_for, make_user):
    auditor = client_for(make_user("auditor"))
    assert auditor.get(reverse("core:company_list")).context["create_url"] is None
    assert auditor.get(reverse("core:company_create")).status_code == 403


# --- company switch --------------------------------------------------------------------------

@pytest.mark.django_db
def test_switching_company_changes_the_request_company(client_for, make_user, company, other_company):
    web = client_for(make_user("administrator", companies=[company, other_company]))
    assert web.get(reverse("home")).context["current_company"] == company
    response = web.post(reverse("core:company_switch"), {"company": "OTHER", "next": "/settings/companies/"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/companies/"
    assert web.session["company_code"] == "OTHER"
    assert web.get(reverse("home")).context["current_company"] == other_company


@pytest.mark.django_db
def test_switching_to_a_company_not_allowed_is_refused(admin_web, other_company):
    response = admin_web.post(reverse("core:company_switch"), {"company": "OTHER"})
    assert response.status_code == 403
    assert response.context["message"] == "You may not work in company OTHER."
    assert "company_code" not in admin_web.session
    assert admin_web.get(reverse("home")).context["current_company"].code == "ACME"


@pytest.mark.django_db
def test_switching_refuses_a_redirect_to_another_site(client_for, make_user, company, other_company):
    web = client_for(make_user("administrator", companies=[company, other_company]))
    response = web.post(reverse("core:company_switch"), {"company": "OTHER", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_the_switcher_lists_only_allowed_companies(admin_web, other_company):
    response = admin_web.get(reverse("home"))
    assert [c.code for c in response.context["switchable_companies"]] == ["ACME"]


# --- company scoping of lists, details and exports ---------------------------------------------

@pytest.fixture
def foreign_sequence(other_company):
    return Sequence.objects.create(company=other_company, code="secret_doc", name="Secret", prefix="X-")


@pytest.mark.django_db
def test_a_list_shows_only_the_current_company_records(admin_web, sequence, foreign_sequence):
    response = admin_web.get(reverse("core:sequence_list"))
    assert [obj for obj, _cells, _url in response.context["rows"]] == [sequence]


@pytest.mark.django_db
def test_another_company_record_detail_is_not_found(admin_web, foreign_sequence):
    assert admin_web.get(reverse("core:sequence_detail", args=[foreign_sequence.pk])).status_code == 404
    assert admin_web.get(reverse("core:sequence_update", args=[foreign_sequence.pk])).status_code == 404


@pytest.mark.django_db
def test_an_export_holds_only_the_current_company_records(admin_web, sequence, foreign_sequence):
    content = admin_web.get(reverse("core:sequence_list") + "?export=csv").content.decode("utf-8-sig")
    assert "sales_order" in content
    assert "secret_doc" not in content


@pytest.mark.django_db
def test_another_company_detail_page_is_not_found(admin_web, other_company):
    assert admin_web.get(reverse("core:company_detail", args=[other_company.pk])).status_code == 404

"""Company screens: create and edit through the services, tax id errors on the field, logo, modules, history."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from tessera.core.models import Company, CompanyModule
from tessera.core.tests.factories import currency
from tessera.core.validators import uscc_check_char

VALID_USCC = "91310000MA1FL8XQ2" + uscc_check_char("91310000MA1FL8XQ2")
USCC_ERROR = "Enter a valid 18-character unified social credit code (统一社会信用代码)."


def company_form(**changes) -> dict:
    data = {"code": "NEWCO", "name": "New Co", "base_currency": currency("CNY").pk, "country": "CN",
            "fiscal_year_start_month": 1, "tax_id": VALID_USCC, "address": "", "is_active": "on"}
    data.update(changes)
    return data


@pytest.mark.django_db
def test_creating_a_company_saves_it_and_opens_its_page(admin_web, admin_user):
    response = admin_web.post(reverse("core:company_create"), company_form())
    created = Company.objects.get(code="NEWCO")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:company_detail", args=[created.pk])
    assert (created.name, created.tax_id) == ("New Co", VALID_USCC)
    assert admin_user.profile.companies.filter(pk=created.pk).exists()


@pytest.mark.django_db
def test_an_invalid_uscc_is_shown_on_the_field_and_nothing_is_written(admin_web, company):
    bad = VALID_USCC[:17] + ("0" if VALID_USCC[17] != "0" else "1")
    response = admin_web.post(reverse("core:company_create"), company_form(tax_id=bad))
    assert response.status_code == 200
    assert response.context["form"].errors == {"tax_id": [USCC_ERROR]}
    assert USCC_ERROR in response.content.decode()
    assert not Company.objects.filter(code="NEWCO").exists()


@pytest.mark.django_db
def test_an_invalid_uscc_on_edit_changes_nothing(admin_web, company):
    response = admin_web.post(reverse("core:company_update", args=[company.pk]),
                              company_form(code="ACME", name="Renamed", tax_id="123"))
    assert response.context["form"].errors == {"tax_id": [USCC_ERROR]}
    company.refresh_from_db()
    assert (company.name, company.tax_id) == ("Acme Trading", "")


@pytest.mark.django_db
def test_editing_keeps_the_code_and_records_history(admin_web, company):
    response = admin_web.post(reverse("core:company_update", args=[company.pk]),
                              company_form(code="HACKED", name="Acme Renamed"))
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.code, company.name) == ("ACME", "Acme Renamed")
    detail = admin_web.get(reverse("core:company_detail", args=[company.pk]))
    entry = detail.context["history"][0]
    assert (entry.actor_repr, entry.channel, entry.changes["name"]) == ("admin1", "ui", ["Acme Trading",
                                                                                         "Acme Renamed"])
    assert "Acme Trading</td><td>→</td><td>Acme Renamed" in detail.content.decode()


@pytest.mark.django_db
def test_a_logo_can_be_uploaded(admin_web, company, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    response = admin_web.post(reverse("core:company_update", args=[company.pk]),
                              company_form(code="ACME", name="Acme Trading", tax_id="", logo=buffer))
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.logo.name.startswith("logos/logo")


@pytest.mark.django_db
def test_editing_a_company_needs_the_change_permission(client_for, make_user, company):
    web = client_for(make_user("auditor"))
    response = web.post(reverse("core:company_update", args=[company.pk]), company_form(code="ACME", name="X"))
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.name == "Acme Trading"


@pytest.mark.django_db
def test_a_module_goes_live_from_the_modules_page(admin_web, company):
    response = admin_web.post(reverse("core:company_modules", args=[company.pk]), {"module": "sales",
                                                                                    "is_active": "1"})
    assert response.status_code == 302
    assert CompanyModule.objects.get(company=company, module="sales").is_active
    navigation = admin_web.get(reverse("home")).context["navigation"]
    assert "sales" not in [module["code"] for module in navigation]  # no sales screens exist yet


@pytest.mark.django_db
def test_a_module_is_switched_off_again(admin_web, company):
    admin_web.post(reverse("core:module_list"), {"module": "sales", "is_active": "1"})
    admin_web.post(reverse("core:module_list"), {"module": "sales", "is_active": "0"})
    assert not CompanyModule.objects.get(company=company, module="sales").is_active


@pytest.mark.django_db
def test_an_unknown_module_is_refused_and_nothing_is_written(admin_web, company):
    admin_web.post(reverse("core:module_list"), {"module": "astrology", "is_active": "1"})
    assert not CompanyModule.objects.filter(company=company).exists()


@pytest.mark.django_db
def test_the_history_tab_names_related_records(admin_web, company):
    admin_web.post(reverse("core:company_update", args=[company.pk]),
                   company_form(code="ACME", name="Acme Trading", tax_id="", base_currency=currency("USD").pk))
    content = admin_web.get(reverse("core:company_detail", args=[company.pk])).content.decode()
    assert "CNY</td><td>→</td><td>USD" in content

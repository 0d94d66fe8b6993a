"""Companies and their modules."""

import pytest

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry, Company, CompanyModule, DomainEvent
from tessera.core.services.companies import (
    active_module_codes,
    company_create,
    company_module_set,
    company_update,
    module_is_active,
)
from tessera.core.tests.factories import currency
from tessera.core.validators import uscc_check_char

USCC17 = "91310115MA1K4TQX3"


def _data(**overrides):
    return {"code": "SH1", "name": "上海一号", "base_currency": currency("CNY"), "country": "CN",
            "tax_id": USCC17 + uscc_check_char(USCC17), **overrides}


@pytest.mark.django_db
def test_create_with_an_invalid_uscc_is_a_tax_id_error_and_writes_nothing(admin_user):
    counts = (Company.objects.count(), AuditEntry.objects.count(), DomainEvent.objects.count())
    wrong = "0" if uscc_check_char(USCC17) != "0" else "1"

    with pytest.raises(ValidationFailed) as raised:
        company_create(actor=admin_user, data=_data(tax_id=USCC17 + wrong))

    assert list(raised.value.fields) == ["tax_id"]
    assert (Company.objects.count(), AuditEntry.objects.count(), DomainEvent.objects.count()) == counts


@pytest.mark.django_db
def test_a_us_company_needs_no_uscc(admin_user):
    company = company_create(actor=admin_user, data=_data(code="US9", country="US", tax_id="12-3456789"))

    assert company.tax_id == "12-3456789"


@pytest.mark.django_db
def test_create_lets_the_creator_work_in_it_and_emits_an_event(admin_user):
    company = company_create(actor=admin_user, data=_data())

    assert admin_user.profile.companies.filter(pk=company.pk).exists()
    assert DomainEvent.objects.filter(name="core.company.created", company=company).count() == 1


@pytest.mark.django_db
def test_create_switches_on_the_modules_asked_for(admin_user):
    company = company_create(actor=admin_user, data=_data(), modules=["sales", "accounting"])

    assert active_module_codes(company) == {"core", "masterdata", "sales", "accounting"}


@pytest.mark.django_db
def test_create_needs_the_add_company_permission(make_user):
    with pytest.raises(PermissionDenied):
        company_create(actor=make_user("accountant"), data=_data())

    assert not Company.objects.filter(code="SH1").exists()


@pytest.mark.django_db
def test_the_code_cannot_change(admin_user, company):
    with pytest.raises(ValidationFailed) as raised:
        company_update(actor=admin_user, company=company, data={"code": "NEW"})

    assert list(raised.value.fields) == ["code"]
    assert Company.objects.get(pk=company.pk).code == "ACME"


@pytest.mark.django_db
def test_module_set_switches_a_module_on_and_off(admin_user, company):
    company_module_set(actor=admin_user, company=company, module="inventory", is_active=True)
    assert module_is_active(company, "inventory")

    company_module_set(actor=admin_user, company=company, module="inventory", is_active=False)

    assert not module_is_active(company, "inventory")
    names = list(DomainEvent.objects.filter(company=company, name__startswith="core.module.").values_list(
        "name", flat=True))
    assert names == ["core.module.activated", "core.module.deactivated"]


@pytest.mark.django_db
def test_module_set_refuses_unknown_and_always_on_modules(admin_user, company):
    for module in ("spaceflight", "core"):
        with pytest.raises(ValidationFailed) as raised:
            company_module_set(actor=admin_user, company=company, module=module, is_active=True)
        assert list(raised.value.fields) == ["module"]

    assert not CompanyModule.objects.filter(company=company).exists()


@pytest.mark.django_db
def test_module_set_in_a_company_the_user_may_not_use_is_refused(admin_user, other_company):
    with pytest.raises(PermissionDenied) as raised:
        company_module_set(actor=admin_user, company=other_company, module="sales", is_active=True)

    assert "OTHER" in str(raised.value)
    assert not module_is_active(other_company, "sales")

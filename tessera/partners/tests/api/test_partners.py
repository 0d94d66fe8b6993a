"""The partners API: `partners/` (customers and suppliers) and `partners/payment-terms/`."""

import pytest

from tessera.core.models import AuditEntry
from tessera.partners.models import Partner, PaymentTerm
from tessera.partners.tests.factories import PartnerFactory, PaymentTermFactory, uscc

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"
TERMS = "/api/v1/partners/payment-terms/"


@pytest.fixture
def sales_api(make_user, api_client_for):
    return api_client_for(make_user("salesperson"))


def _body(**changes) -> dict:
    return {"code": "C001", "name": "上海明光贸易有限公司", "is_customer": True, "tax_id": uscc(), **changes}


# --- Create ------------------------------------------------------------------------------------


def test_a_salesperson_creates_a_customer(sales_api, company):
    response = sales_api.post(PARTNERS, _body(credit_limit="50000.00"), format="json")

    assert response.status_code == 201
    partner = Partner.objects.get(company=company, code="C001")
    assert response.json()["id"] == partner.pk
    assert response.json()["credit_limit"] == "50000.00"
    assert response.json()["company"] == company.pk
    assert "allow_duplicate" not in response.json()


def test_a_creation_is_audited_as_an_api_change(sales_api, company):
    partner_id = sales_api.post(PARTNERS, _body(), format="json").json()["id"]

    entry = AuditEntry.objects.get(object_id=str(partner_id), content_type__model="partner")
    assert (entry.action, entry.channel, entry.company) == ("create", "api", company)


def test_the_tax_id_is_kept_upper_case(sales_api, company):
    response = sales_api.post(PARTNERS, _body(tax_id=f" {uscc().lower()} "), format="json")

    assert response.status_code == 201
    assert Partner.objects.get(company=company, code="C001").tax_id == uscc()


def test_an_invalid_uscc_is_refused_on_the_tax_id(sales_api):
    response = sales_api.post(PARTNERS, _body(tax_id="91310000MA1FL00010"), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {"tax_id": ["Enter a valid 18-character unified social credit code (统一社会信用代码)."]}
    assert not Partner.objects.exists()


def test_a_foreign_partner_needs_no_uscc(sales_api, company):
    response = sales_api.post(PARTNERS, _body(country="DE", tax_id="de123456789", name="Müller GmbH"), format="json")

    assert response.status_code == 201
    assert Partner.objects.get(company=company).tax_id == "DE123456789"


def test_a_partner_is_a_customer_or_a_supplier(sales_api):
    response = sales_api.post(PARTNERS, _body(is_customer=False), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "A partner is a customer, a supplier or both."
    assert not Partner.objects.exists()


def test_a_taken_code_is_refused_on_the_code(sales_api, company):
    PartnerFactory(company=company, code="C001", name="Someone else")

    response = sales_api.post(PARTNERS, _body(), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["The code C001 is in use already."]}
    assert Partner.objects.count() == 1


def test_company_in_the_body_is_refused(sales_api, other_company):
    response = sales_api.post(PARTNERS, _body(company=other_company.pk), format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"company"}
    assert not Partner.objects.exists()


def test_a_float_credit_limit_is_refused(sales_api):
    response = sales_api.post(PARTNERS, _body(credit_limit=1000.5), format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"credit_limit"}
    assert not Partner.objects.exists()


def test_another_companys_payment_term_is_refused(sales_api, other_company):
    foreign = PaymentTermFactory(company=other_company, code="NET30")

    response = sales_api.post(PARTNERS, _body(payment_term=foreign.pk), format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"payment_term"}
    assert not Partner.objects.exists()


def test_the_companys_payment_term_is_accepted(sales_api, company):
    term = PaymentTermFactory(company=company, code="NET30", name="Net 30")

    response = sales_api.post(PARTNERS, _body(payment_term=term.pk), format="json")

    assert response.status_code == 201
    assert response.json()["payment_term"] == term.pk
    assert response.json()["payment_term_display"] == "Net 30"


# --- Duplicates --------------------------------------------------------------------------------


def test_the_same_tax_id_is_a_possible_duplicate(sales_api, company):
    existing = PartnerFactory(company=company, code="C000", name="Mingguang", tax_id=uscc())

    response = sales_api.post(PARTNERS, _body(), format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "possible_duplicate"
    assert error["fields"] == {"tax_id": [f"Same tax id as {existing}."]}
    assert str(existing) in error["message"]
    assert Partner.objects.count() == 1


def test_a_near_identical_name_is_a_possible_duplicate(sales_api, company):
    existing = PartnerFactory(company=company, code="C000", name="上海 明光贸易 股份有限公司")

    response = sales_api.post(PARTNERS, _body(tax_id=""), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"name": [f"Nearly the same name as {existing}."]}
    assert Partner.objects.count() == 1


def test_a_duplicate_is_saved_when_allowed(sales_api, company):
    PartnerFactory(company=company, code="C000", name="Mingguang", tax_id=uscc())

    response = sales_api.post(PARTNERS, _body(allow_duplicate=True), format="json")

    assert response.status_code == 201
    assert Partner.objects.filter(company=company, tax_id=uscc()).count() == 2


def test_another_companys_partner_is_no_duplicate(sales_api, other_company):
    PartnerFactory(company=other_company, code="C000", name="上海明光贸易有限公司", tax_id=uscc())

    response = sales_api.post(PARTNERS, _body(), format="json")

    assert response.status_code == 201


def test_renaming_into_a_duplicate_is_a_possible_duplicate(sales_api, company):
    PartnerFactory(company=company, code="C000", name="Acme Trading Co., Ltd.")
    partner = PartnerFactory(company=company, code="C001", name="Zenith")

    response = sales_api.patch(f"{PARTNERS}{partner.pk}/", {"name": "ACME  trading ltd"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "possible_duplicate"
    partner.refresh_from_db()
    assert partner.name == "Zenith"


# --- Read, change, delete ----------------------------------------------------------------------


def test_another_companys_partner_is_not_found(sales_api, other_company):
    foreign = PartnerFactory(company=other_company)

    assert sales_api.get(f"{PARTNERS}{foreign.pk}/").status_code == 404
    assert sales_api.patch(f"{PARTNERS}{foreign.pk}/", {"name": "Mine"}, format="json").status_code == 404
    assert sales_api.delete(f"{PARTNERS}{foreign.pk}/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.name != "Mine"


def test_the_list_holds_the_companys_partners_only(sales_api, company, other_company):
    mine = PartnerFactory(company=company)
    PartnerFactory(company=other_company)

    response = sales_api.get(PARTNERS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_the_list_filters_suppliers(sales_api, company):
    PartnerFactory(company=company, code="C1", is_customer=True, is_supplier=False)
    supplier = PartnerFactory(company=company, code="S1", is_customer=False, is_supplier=True)

    response = sales_api.get(PARTNERS, {"is_supplier": "true"})

    assert [row["id"] for row in response.json()["results"]] == [supplier.pk]


def test_the_list_searches_the_tax_id(sales_api, company):
    found = PartnerFactory(company=company, code="C1", tax_id=uscc())
    PartnerFactory(company=company, code="C2")

    response = sales_api.get(PARTNERS, {"search": uscc()[:10]})

    assert [row["id"] for row in response.json()["results"]] == [found.pk]


def test_a_patch_changes_the_partner(sales_api, company):
    partner = PartnerFactory(company=company, code="C1")

    response = sales_api.patch(f"{PARTNERS}{partner.pk}/", {"credit_limit": "1000.00", "is_supplier": True},
                               format="json")

    assert response.status_code == 200
    partner.refresh_from_db()
    assert (str(partner.credit_limit), partner.is_supplier) == ("1000.00", True)


def test_a_partners_code_cannot_change(sales_api, company):
    partner = PartnerFactory(company=company, code="C1")

    response = sales_api.patch(f"{PARTNERS}{partner.pk}/", {"code": "C2"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["A code cannot change once the record exists."]}
    partner.refresh_from_db()
    assert partner.code == "C1"


def test_an_unused_partner_is_deleted(sales_api, company):
    partner = PartnerFactory(company=company)

    response = sales_api.delete(f"{PARTNERS}{partner.pk}/")

    assert response.status_code == 204
    assert not Partner.objects.exists()


# --- Permissions -------------------------------------------------------------------------------


def test_an_employee_may_not_create_partners(make_user, api_client_for):
    api = api_client_for(make_user("employee"))

    response = api.post(PARTNERS, _body(), format="json")

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert "partners.add_partner" in error["message"]
    assert not Partner.objects.exists()


def test_a_warehouse_clerk_reads_but_may_not_delete(make_user, api_client_for, company):
    api = api_client_for(make_user("warehouse_clerk"))
    partner = PartnerFactory(company=company)

    assert api.get(f"{PARTNERS}{partner.pk}/").status_code == 200
    response = api.delete(f"{PARTNERS}{partner.pk}/")

    assert response.status_code == 403
    assert "partners.delete_partner" in response.json()["error"]["message"]
    assert Partner.objects.filter(pk=partner.pk).exists()


# --- Payment terms -----------------------------------------------------------------------------


def test_a_payment_term_is_created(sales_api, company):
    body = {"code": "2-10N30", "name": "2/10 net 30", "days": 30, "discount_percent": "2.00", "discount_days": 10}

    response = sales_api.post(TERMS, body, format="json")

    assert response.status_code == 201
    term = PaymentTerm.objects.get(company=company, code="2-10N30")
    assert (term.days, str(term.discount_percent), term.discount_days) == (30, "2.00", 10)


def test_a_discount_needs_its_days(sales_api):
    response = sales_api.post(TERMS, {"code": "X", "name": "X", "days": 30, "discount_percent": "2.00"},
                              format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"discount_days"}
    assert not PaymentTerm.objects.exists()


def test_payment_terms_list_is_not_a_partner_id(sales_api, company):
    term = PaymentTermFactory(company=company)

    response = sales_api.get(TERMS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [term.pk]


def test_a_used_payment_term_is_not_deleted(sales_api, company):
    term = PaymentTermFactory(company=company)
    PartnerFactory(company=company, payment_term=term)

    response = sales_api.delete(f"{TERMS}{term.pk}/")

    assert response.status_code == 400
    assert "used by partners" in response.json()["error"]["message"]
    assert PaymentTerm.objects.filter(pk=term.pk).exists()

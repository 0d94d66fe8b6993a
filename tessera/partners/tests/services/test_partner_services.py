"""Partner services: duplicate detection, default payment terms, company rules."""

import datetime

import pytest

from tessera.core.errors import NotFound, PermissionDenied
from tessera.partners.models import PaymentTerm
from tessera.partners.services import (
    PossibleDuplicate,
    duplicates_of,
    partner_create,
    partner_duplicates,
    partner_name_key,
    partner_update,
    payment_terms_default,
)
from tessera.partners.tests.factories import PartnerFactory, uscc


@pytest.mark.parametrize(("first", "second"), [
    ("上海明光贸易有限公司", "上海明光贸易股份有限公司"),
    ("上海明光贸易有限责任公司", "上海 明光贸易"),
    ("Acme Trading Co., Ltd.", "ACME trading"),
    ("Acme Trading Inc", "acme-trading"),
    ("ＡＣＭＥ　Ｔｒａｄｉｎｇ", "Acme Trading Limited"),
])
def test_names_that_differ_only_in_form_have_one_key(first, second):
    assert partner_name_key(first) == partner_name_key(second)


@pytest.mark.parametrize(("first", "second"), [
    ("上海明光贸易有限公司", "上海明光科技有限公司"),
    ("Acme Trading", "Acme Logistics"),
])
def test_different_names_have_different_keys(first, second):
    assert partner_name_key(first) != partner_name_key(second)


def test_a_name_that_is_only_a_legal_form_keeps_it():
    assert partner_name_key("Co. Ltd") == "co"
    assert partner_name_key("公司") == "公司"


@pytest.mark.django_db
def test_duplicates_are_found_by_tax_id_or_name_and_ordered_by_code(company):
    by_name = PartnerFactory(company=company, code="B", name="Acme Trading Co., Ltd.")
    by_tax_id = PartnerFactory(company=company, code="A", name="Other", tax_id=uscc())
    PartnerFactory(company=company, code="C", name="Unrelated")

    assert partner_duplicates(company, "acme trading", uscc().lower()) == [by_tax_id, by_name]


@pytest.mark.django_db
def test_the_partner_itself_is_no_duplicate(company):
    partner = PartnerFactory(company=company, name="Acme")

    assert partner_duplicates(company, "Acme", "", exclude_pk=partner.pk) == []


@pytest.mark.django_db
def test_the_duplicate_error_carries_the_partners_found(make_user, company):
    existing = PartnerFactory(company=company, name="Acme Ltd")

    with pytest.raises(PossibleDuplicate) as caught:
        partner_create(actor=make_user("salesperson"), company=company,
                       data={"code": "N", "name": "ACME", "is_customer": True})

    assert duplicates_of(caught.value) == [existing]
    assert duplicates_of(PermissionDenied()) is None


@pytest.mark.django_db
def test_updating_through_another_company_is_not_found(make_user, company, other_company):
    partner = PartnerFactory(company=other_company, name="Theirs")

    with pytest.raises(NotFound):
        partner_update(actor=make_user("salesperson", companies=[company, other_company]), partner=partner,
                       data={"name": "Mine"}, company=company)
    partner.refresh_from_db()
    assert partner.name == "Theirs"


@pytest.mark.django_db
def test_a_user_of_another_company_may_not_create_here(make_user, company, other_company):
    with pytest.raises(PermissionDenied):
        partner_create(actor=make_user("salesperson", companies=[other_company]), company=company,
                       data={"code": "N", "name": "New", "is_customer": True})


@pytest.mark.django_db
def test_default_payment_terms_are_seeded_once(company):
    first = payment_terms_default(company)
    PaymentTerm.objects.filter(company=company, code="NET30").update(name="Thirty days")

    second = payment_terms_default(company)

    assert sorted(term.code for term in first) == ["2-10NET30", "EOM30", "IMMEDIATE", "NET30", "NET60"]
    assert [term.pk for term in second] == [term.pk for term in first]
    assert PaymentTerm.objects.get(company=company, code="NET30").name == "Thirty days"


@pytest.mark.django_db
def test_default_payment_terms_compute_due_dates(company):
    terms = {term.code: term for term in payment_terms_default(company)}
    invoice_on = datetime.date(2026, 1, 15)

    assert terms["IMMEDIATE"].due_on(invoice_on) == invoice_on
    assert terms["NET60"].due_on(invoice_on) == datetime.date(2026, 3, 16)
    assert terms["EOM30"].due_on(invoice_on) == datetime.date(2026, 3, 2)
    assert terms["2-10NET30"].discount_until(invoice_on) == datetime.date(2026, 1, 25)

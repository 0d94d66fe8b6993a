"""Addresses, contacts, bank accounts and tags of partners: defaults, validation, main values, audit."""

import pytest

from tessera.core.errors import NotFound, PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry
from tessera.partners.models import Partner, PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag
from tessera.partners.services import PossibleDuplicate, partner_create, partner_delete, partner_update
from tessera.partners.services_details import (
    partner_address_create,
    partner_address_delete,
    partner_address_update,
    partner_bank_account_create,
    partner_bank_account_delete,
    partner_bank_account_update,
    partner_contact_create,
    partner_contact_delete,
    partner_contact_update,
    partner_tag_create,
    partner_tag_delete,
    partner_tag_update,
)
from tessera.partners.tests.factories import PartnerFactory, PartnerTagFactory, uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user):
    return make_user("salesperson")


@pytest.fixture
def partner(company):
    return PartnerFactory(company=company, code="C1", name="华东电子", country="CN")


def address(clerk, partner, street, **data):
    return partner_address_create(actor=clerk, partner=partner, data={"street": street, **data})


def defaults(partner, kind="invoice"):
    return list(partner.addresses.filter(kind=kind, is_default=True).values_list("street", flat=True))


# --- Addresses -----------------------------------------------------------------------------------


def test_the_first_address_of_a_kind_is_its_default_and_the_partners_main_address(clerk, partner):
    first = address(clerk, partner, "世纪大道100号", city="上海市", province="上海", postal_code="200120")
    delivery = address(clerk, partner, "仓库路1号", kind="delivery")

    partner.refresh_from_db()
    assert (first.is_default, delivery.is_default) == (True, True)
    assert partner.address == "上海上海市世纪大道100号\nPostal code 200120"


def test_a_new_default_takes_the_flag_from_the_old_one(clerk, partner):
    address(clerk, partner, "Old street")
    address(clerk, partner, "New street", is_default=True)

    partner.refresh_from_db()
    assert defaults(partner) == ["New street"]
    assert partner.address == "New street"


def test_a_second_address_without_the_flag_leaves_the_default(clerk, partner):
    address(clerk, partner, "First")
    second = address(clerk, partner, "Second")

    assert second.is_default is False
    assert defaults(partner) == ["First"]


def test_the_only_default_of_a_kind_with_others_cannot_be_unset(clerk, partner):
    first = address(clerk, partner, "First")
    address(clerk, partner, "Second")

    with pytest.raises(ValidationFailed) as caught:
        partner_address_update(actor=clerk, address=first, data={"is_default": False, "street": "Changed"})

    assert list(caught.value.fields) == ["is_default"]
    first.refresh_from_db()
    assert (first.street, first.is_default) == ("First", True)


def test_deleting_the_default_hands_the_flag_to_the_oldest_address(clerk, partner):
    first = address(clerk, partner, "First")
    address(clerk, partner, "Second")
    address(clerk, partner, "Third")

    partner_address_delete(actor=clerk, address=first)

    partner.refresh_from_db()
    assert defaults(partner) == ["Second"]
    assert partner.address == "Second"


def test_deleting_the_last_invoice_address_empties_the_main_address(clerk, partner):
    only = address(clerk, partner, "Only")

    partner_address_delete(actor=clerk, address=only)

    partner.refresh_from_db()
    assert (partner.address, partner.addresses.count()) == ("", 0)


def test_moving_the_default_to_another_kind_promotes_one_in_the_old_kind(clerk, partner):
    first = address(clerk, partner, "First")
    address(clerk, partner, "Second")

    partner_address_update(actor=clerk, address=first, data={"kind": "delivery"})

    assert defaults(partner) == ["Second"]
    assert defaults(partner, "delivery") == ["First"]


def test_an_address_without_a_street_is_refused_and_nothing_changes(clerk, partner):
    with pytest.raises(ValidationFailed) as caught:
        address(clerk, partner, "  ")

    assert list(caught.value.fields) == ["street"]
    assert not PartnerAddress.objects.exists()
    partner.refresh_from_db()
    assert partner.address == ""


def test_a_foreign_address_prints_in_western_order_with_its_country(clerk, partner):
    made = address(clerk, partner, "1 Market St", city="San Francisco", province="CA", postal_code="94105",
                   country="us", kind="delivery")

    assert made.formatted() == "1 Market St\n94105 San Francisco, CA\nUS"


def test_another_companys_partner_is_not_found(clerk, company, other_company):
    theirs = PartnerFactory(company=other_company)

    with pytest.raises(NotFound):
        partner_address_create(actor=clerk, partner=theirs, data={"street": "X"}, company=company)
    assert not PartnerAddress.objects.exists()


def test_a_reader_may_not_add_addresses(make_user, partner):
    with pytest.raises(PermissionDenied):
        address(make_user("warehouse_clerk"), partner, "X")
    assert not PartnerAddress.objects.exists()


# --- Contacts ------------------------------------------------------------------------------------


def test_the_primary_contact_gives_the_main_contact_values(clerk, partner):
    partner_contact_create(actor=clerk, partner=partner, data={"name": "王经理", "mobile": "13912345678",
                                                               "email": "Wang@Example.com"})
    partner_contact_create(actor=clerk, partner=partner, data={"name": "李会计", "phone": "021-5888 1234 转 12"})

    partner.refresh_from_db()
    assert (partner.contact_name, partner.phone, partner.email) == ("王经理", "13912345678", "wang@example.com")


def test_a_new_primary_contact_replaces_the_main_values(clerk, partner):
    partner_contact_create(actor=clerk, partner=partner, data={"name": "王经理"})
    second = partner_contact_create(actor=clerk, partner=partner, data={"name": "李会计", "phone": "+86 21 5888 1234",
                                                                        "is_primary": True})

    partner.refresh_from_db()
    assert list(partner.contacts.filter(is_primary=True)) == [second]
    assert (partner.contact_name, partner.phone) == ("李会计", "+86 21 5888 1234")


@pytest.mark.parametrize(("data", "field"), [
    ({"name": "X", "email": "not-an-email"}, "email"),
    ({"name": "X", "phone": "call me"}, "phone"),
    ({"name": "X", "mobile": "1391234"}, "mobile"),
    ({"job_title": "Buyer"}, "name"),
])
def test_a_bad_contact_is_refused_and_nothing_is_written(clerk, partner, data, field):
    with pytest.raises(ValidationFailed) as caught:
        partner_contact_create(actor=clerk, partner=partner, data=data)

    assert list(caught.value.fields) == [field]
    assert not PartnerContact.objects.exists()


def test_a_foreign_mobile_with_its_country_code_is_accepted(clerk, partner):
    contact = partner_contact_create(actor=clerk, partner=partner, data={"name": "Anna", "mobile": "+49 151 2345678"})
    assert contact.mobile == "+49 151 2345678"


def test_the_primary_contact_cannot_be_unset_while_others_exist(clerk, partner):
    first = partner_contact_create(actor=clerk, partner=partner, data={"name": "A"})
    partner_contact_create(actor=clerk, partner=partner, data={"name": "B"})

    with pytest.raises(ValidationFailed):
        partner_contact_update(actor=clerk, contact=first, data={"is_primary": False})


def test_deleting_the_primary_contact_promotes_the_next(clerk, partner):
    first = partner_contact_create(actor=clerk, partner=partner, data={"name": "A"})
    partner_contact_create(actor=clerk, partner=partner, data={"name": "B", "email": "b@example.com"})

    partner_contact_delete(actor=clerk, contact=first)

    partner.refresh_from_db()
    assert (partner.contact_name, partner.email) == ("B", "b@example.com")


# --- Bank accounts -------------------------------------------------------------------------------


def bank(clerk, partner, number, **data):
    return partner_bank_account_create(actor=clerk, partner=partner,
                                       data={"bank_name": "中国工商银行", "account_number": number, **data})


def test_a_bank_account_is_kept_without_spaces_and_is_the_default(clerk, partner):
    account = bank(clerk, partner, "6222 0210 0100-1234", branch="上海分行", swift_bic="icbkcnbj")

    partner.refresh_from_db()
    assert (account.account_number, account.swift_bic, account.is_default) == ("622202100100 1234".replace(" ", ""),
                                                                                "ICBKCNBJ", True)
    assert (partner.bank_name, partner.bank_account) == ("中国工商银行", "6222021001001234")


@pytest.mark.parametrize("number", ["6222-ABC-0100", "1234567", "1" * 31])
def test_a_chinese_partners_account_needs_8_to_30_digits(clerk, partner, number):
    with pytest.raises(ValidationFailed) as caught:
        bank(clerk, partner, number)

    assert list(caught.value.fields) == ["account_number"]
    assert not PartnerBankAccount.objects.exists()


def test_a_foreign_partner_may_have_an_iban(clerk, company):
    german = PartnerFactory(company=company, code="DE1", name="Müller GmbH", country="DE")

    account = bank(clerk, german, "DE89 3704 0044 0532 0130 00", swift_bic="COBADEFFXXX")

    assert account.account_number == "DE89370400440532013000"


def test_the_same_account_twice_is_refused(clerk, partner):
    bank(clerk, partner, "6222021001001234")

    with pytest.raises(ValidationFailed) as caught:
        bank(clerk, partner, "6222 0210 0100 1234")

    assert list(caught.value.fields) == ["account_number"]
    assert PartnerBankAccount.objects.count() == 1


def test_a_bad_swift_code_is_refused(clerk, partner):
    with pytest.raises(ValidationFailed) as caught:
        bank(clerk, partner, "6222021001001234", swift_bic="ICBK")
    assert list(caught.value.fields) == ["swift_bic"]


def test_the_default_bank_account_moves_and_is_promoted_on_delete(clerk, partner):
    first = bank(clerk, partner, "6222021001001234")
    second = bank(clerk, partner, "6222021001005678", bank_name="招商银行")

    partner_bank_account_update(actor=clerk, bank_account=second, data={"is_default": True})
    partner.refresh_from_db()
    assert (partner.bank_name, partner.bank_account) == ("招商银行", "6222021001005678")

    partner_bank_account_delete(actor=clerk, bank_account=second)
    partner.refresh_from_db()
    first.refresh_from_db()
    assert first.is_default is True
    assert (partner.bank_name, partner.bank_account) == ("中国工商银行", "6222021001001234")


# --- Main values written on the partner ------------------------------------------------------------


def test_main_values_sent_at_creation_become_the_default_rows(clerk, company):
    partner = partner_create(actor=clerk, company=company, data={
        "code": "N1", "name": "新客户", "is_customer": True, "address": "北京市朝阳区建国路1号",
        "contact_name": "赵先生", "phone": "010-8888 0000", "email": "zhao@example.com",
        "bank_name": "中国银行", "bank_account": "1234 5678 9012",
    })

    assert list(partner.addresses.values_list("kind", "street", "is_default")) == [
        ("invoice", "北京市朝阳区建国路1号", True)]
    assert list(partner.contacts.values_list("name", "phone", "email", "is_primary")) == [
        ("赵先生", "010-8888 0000", "zhao@example.com", True)]
    assert list(partner.bank_accounts.values_list("bank_name", "account_number", "is_default")) == [
        ("中国银行", "123456789012", True)]
    assert (partner.address, partner.bank_account) == ("北京市朝阳区建国路1号", "123456789012")


def test_a_bad_main_bank_account_writes_no_partner(clerk, company):
    with pytest.raises(ValidationFailed) as caught:
        partner_create(actor=clerk, company=company, data={
            "code": "N1", "name": "新客户", "is_customer": True, "bank_name": "中国银行", "bank_account": "12AB"})

    assert list(caught.value.fields) == ["bank_account"]
    assert not Partner.objects.exists()
    assert not PartnerBankAccount.objects.exists()


def test_changing_the_main_contact_phone_changes_the_primary_contact_only_there(clerk, partner):
    primary = partner_contact_create(actor=clerk, partner=partner, data={"name": "王", "email": "w@example.com",
                                                                         "job_title": "采购"})

    partner_update(actor=clerk, partner=partner, data={"phone": "021-1234 5678", "contact_name": "王"})

    primary.refresh_from_db()
    assert (primary.name, primary.phone, primary.email, primary.job_title) == (
        "王", "021-1234 5678", "w@example.com", "采购")


def test_emptying_the_main_address_removes_the_default_invoice_address(clerk, partner):
    address(clerk, partner, "First")
    address(clerk, partner, "Second")

    partner_update(actor=clerk, partner=partner, data={"address": ""})

    partner.refresh_from_db()
    assert defaults(partner) == ["Second"]
    assert partner.address == "Second"


def test_an_unchanged_main_address_keeps_the_structured_address(clerk, partner):
    address(clerk, partner, "世纪大道100号", city="上海市")
    partner.refresh_from_db()

    partner_update(actor=clerk, partner=partner, data={"address": partner.address, "name": "华东电子二"})

    assert list(partner.addresses.values_list("street", "city")) == [("世纪大道100号", "上海市")]


def test_the_duplicate_warning_still_comes_first_and_writes_nothing(clerk, company):
    PartnerFactory(company=company, code="A", name="Acme", tax_id=uscc())

    with pytest.raises(PossibleDuplicate):
        partner_create(actor=clerk, company=company, data={"code": "B", "name": "Other", "is_customer": True,
                                                           "tax_id": uscc(), "address": "X road"})

    assert not PartnerAddress.objects.exists()
    assert Partner.objects.count() == 1


def test_deleting_a_partner_deletes_its_rows(clerk, partner):
    address(clerk, partner, "First")
    bank(clerk, partner, "6222021001001234")

    partner_delete(actor=clerk, partner=partner)

    assert (PartnerAddress.objects.count(), PartnerBankAccount.objects.count()) == (0, 0)


def test_rows_and_main_value_changes_are_audited(clerk, partner):
    made = address(clerk, partner, "First")

    entry = AuditEntry.objects.get(content_type__model="partneraddress", object_id=str(made.pk))
    partner_entry = AuditEntry.objects.get(content_type__model="partner", object_id=str(partner.pk), action="update")
    assert (entry.action, entry.company, entry.changes["street"]) == ("create", partner.company, [None, "First"])
    assert partner_entry.changes == {"address": ["", "First"]}


# --- Tags ----------------------------------------------------------------------------------------


def test_tag_names_are_unique_per_company_whatever_the_case(clerk, company, other_company):
    partner_tag_create(actor=clerk, company=company, data={"name": "VIP", "colour": "danger"})
    PartnerTagFactory(company=other_company, name="Key")

    with pytest.raises(ValidationFailed) as caught:
        partner_tag_create(actor=clerk, company=company, data={"name": " vip "})
    assert list(caught.value.fields) == ["name"]
    assert partner_tag_create(actor=clerk, company=company, data={"name": "key"}).name == "key"
    assert PartnerTag.objects.filter(company=company).count() == 2


def test_a_bad_colour_is_refused(clerk, company):
    with pytest.raises(ValidationFailed) as caught:
        partner_tag_create(actor=clerk, company=company, data={"name": "X", "colour": "red; background:url(x)"})
    assert list(caught.value.fields) == ["colour"]


def test_partners_carry_tags_of_their_company_only(clerk, company, other_company, partner):
    mine = PartnerTagFactory(company=company, name="VIP")
    theirs = PartnerTagFactory(company=other_company, name="VIP")

    partner_update(actor=clerk, partner=partner, data={"tags": [mine]})
    with pytest.raises(ValidationFailed) as caught:
        partner_update(actor=clerk, partner=partner, data={"tags": [mine, theirs], "name": "Renamed"})

    assert list(caught.value.fields) == ["tags"]
    partner.refresh_from_db()
    assert (partner.name, list(partner.tags.all())) == ("华东电子", [mine])


def test_renaming_and_deleting_a_tag(clerk, company, partner):
    tag = PartnerTagFactory(company=company, name="VIP")
    partner.tags.add(tag)

    assert partner_tag_update(actor=clerk, tag=tag, data={"name": "Key account"}).name == "Key account"
    partner_tag_delete(actor=clerk, tag=tag)

    assert list(partner.tags.all()) == []
    assert not PartnerTag.objects.exists()

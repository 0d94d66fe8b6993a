"""The partners API: nested addresses, contacts, bank accounts and tags; their sub-collections; `?tag=`."""

import pytest

from tessera.partners.models import PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag
from tessera.partners.tests.factories import PartnerFactory, PartnerTagFactory

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"
TAGS = "/api/v1/partners/tags/"


@pytest.fixture
def sales_api(make_user, api_client_for):
    return api_client_for(make_user("salesperson"))


@pytest.fixture
def partner(company):
    return PartnerFactory(company=company, code="C1", name="华东电子", country="CN")


def test_a_partner_reads_with_its_rows_and_tags(sales_api, company, partner):
    tag = PartnerTagFactory(company=company, name="VIP", colour="danger")
    partner.tags.add(tag)
    sales_api.post(f"{PARTNERS}{partner.pk}/addresses/", {"street": "世纪大道100号", "city": "上海市"}, format="json")
    sales_api.post(f"{PARTNERS}{partner.pk}/contacts/", {"name": "王经理", "mobile": "13912345678"}, format="json")
    sales_api.post(f"{PARTNERS}{partner.pk}/bank-accounts/",
                   {"bank_name": "中国银行", "account_number": "1234 5678 9012"}, format="json")

    body = sales_api.get(f"{PARTNERS}{partner.pk}/").json()

    assert [(a["kind"], a["street"], a["city"], a["is_default"], a["formatted"]) for a in body["addresses"]] == [
        ("invoice", "世纪大道100号", "上海市", True, "上海市世纪大道100号")]
    assert [(c["name"], c["mobile"], c["is_primary"]) for c in body["contacts"]] == [("王经理", "13912345678", True)]
    assert [(b["account_number"], b["is_default"]) for b in body["bank_accounts"]] == [("123456789012", True)]
    assert body["tags"] == [tag.pk]
    assert body["tags_display"] == [{"id": tag.pk, "company": company.pk, "name": "VIP", "colour": "danger"}]
    assert (body["address"], body["contact_name"], body["phone"], body["bank_account"]) == (
        "上海市世纪大道100号", "王经理", "13912345678", "123456789012")


def test_a_delivery_address_is_added_changed_and_removed(sales_api, partner):
    url = f"{PARTNERS}{partner.pk}/addresses/"
    created = sales_api.post(url, {"kind": "delivery", "name": "仓库", "street": "仓库路1号"}, format="json")
    assert created.status_code == 201
    item = f"{url}{created.json()['id']}/"

    changed = sales_api.patch(item, {"postal_code": "201100"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["postal_code"] == "201100"
    assert [row["id"] for row in sales_api.get(url, {"kind": "delivery"}).json()["results"]] == [created.json()["id"]]

    assert sales_api.delete(item).status_code == 204
    assert not PartnerAddress.objects.exists()


def test_a_second_default_bank_account_takes_the_flag(sales_api, partner):
    url = f"{PARTNERS}{partner.pk}/bank-accounts/"
    first = sales_api.post(url, {"bank_name": "中国银行", "account_number": "123456789012"}, format="json").json()

    sales_api.post(url, {"bank_name": "招商银行", "account_number": "987654321098", "is_default": True}, format="json")

    assert [(row["id"] == first["id"], row["is_default"]) for row in sales_api.get(url).json()["results"]] == [
        (False, True), (True, False)]
    partner.refresh_from_db()
    assert (partner.bank_name, partner.bank_account) == ("招商银行", "987654321098")


def test_a_bad_bank_account_is_a_400_on_its_field_and_writes_nothing(sales_api, partner):
    response = sales_api.post(f"{PARTNERS}{partner.pk}/bank-accounts/",
                              {"bank_name": "中国银行", "account_number": "12-AB"}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("validation_error", ["account_number"])
    assert not PartnerBankAccount.objects.exists()


def test_a_bad_email_is_a_400(sales_api, partner):
    response = sales_api.post(f"{PARTNERS}{partner.pk}/contacts/", {"name": "A", "email": "nope"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["email"]
    assert not PartnerContact.objects.exists()


def test_unsetting_the_only_primary_contact_among_several_is_refused(sales_api, partner):
    url = f"{PARTNERS}{partner.pk}/contacts/"
    first = sales_api.post(url, {"name": "A"}, format="json").json()
    sales_api.post(url, {"name": "B"}, format="json")

    response = sales_api.patch(f"{url}{first['id']}/", {"is_primary": False}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["is_primary"]
    assert PartnerContact.objects.get(pk=first["id"]).is_primary is True


def test_another_companys_partner_rows_are_not_found(sales_api, other_company):
    theirs = PartnerFactory(company=other_company)

    assert sales_api.get(f"{PARTNERS}{theirs.pk}/addresses/").status_code == 404
    response = sales_api.post(f"{PARTNERS}{theirs.pk}/addresses/", {"street": "X"}, format="json")
    assert response.status_code == 404
    assert not PartnerAddress.objects.exists()


def test_a_row_of_another_partner_is_not_found_under_this_one(sales_api, company, partner):
    other = PartnerFactory(company=company, code="C2")
    row = sales_api.post(f"{PARTNERS}{other.pk}/contacts/", {"name": "A"}, format="json").json()

    assert sales_api.get(f"{PARTNERS}{partner.pk}/contacts/{row['id']}/").status_code == 404


def test_a_reader_may_read_rows_but_not_add_them(make_user, api_client_for, partner):
    api = api_client_for(make_user("warehouse_clerk"))

    assert api.get(f"{PARTNERS}{partner.pk}/addresses/").status_code == 200
    response = api.post(f"{PARTNERS}{partner.pk}/addresses/", {"street": "X"}, format="json")
    assert response.status_code == 403
    assert "partners.add_partneraddress" in response.json()["error"]["message"]


def test_main_values_sent_with_the_partner_become_rows(sales_api, company):
    response = sales_api.post(PARTNERS, {"code": "N1", "name": "新客户", "is_customer": True,
                                         "address": "北京市朝阳区建国路1号", "contact_name": "赵先生"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert [a["street"] for a in body["addresses"]] == ["北京市朝阳区建国路1号"]
    assert [c["name"] for c in body["contacts"]] == ["赵先生"]


# --- Tags ----------------------------------------------------------------------------------------


def test_tags_are_created_and_set_on_a_partner(sales_api, company, partner):
    created = sales_api.post(TAGS, {"name": "华东", "colour": "success"}, format="json")
    assert created.status_code == 201

    response = sales_api.patch(f"{PARTNERS}{partner.pk}/", {"tags": [created.json()["id"]]}, format="json")

    assert response.status_code == 200
    assert [tag.name for tag in partner.tags.all()] == ["华东"]


def test_a_tag_name_twice_is_a_400(sales_api, company):
    PartnerTagFactory(company=company, name="VIP")

    response = sales_api.post(TAGS, {"name": "vip"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["name"]
    assert PartnerTag.objects.count() == 1


def test_another_companys_tag_cannot_be_set(sales_api, other_company, partner):
    theirs = PartnerTagFactory(company=other_company, name="X")

    response = sales_api.patch(f"{PARTNERS}{partner.pk}/", {"tags": [theirs.pk]}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["tags"]
    assert list(partner.tags.all()) == []


def test_the_list_filters_by_tag_id_or_name(sales_api, company, partner):
    tag = PartnerTagFactory(company=company, name="VIP")
    partner.tags.add(tag)
    PartnerFactory(company=company, code="C2")

    by_id = sales_api.get(PARTNERS, {"tag": tag.pk}).json()["results"]
    by_name = sales_api.get(PARTNERS, {"tag": "vip"}).json()["results"]

    assert [row["code"] for row in by_id] == ["C1"]
    assert [row["code"] for row in by_name] == ["C1"]


def test_the_tag_list_is_the_companys(sales_api, company, other_company):
    mine = PartnerTagFactory(company=company, name="Mine")
    PartnerTagFactory(company=other_company, name="Theirs")

    assert [row["id"] for row in sales_api.get(TAGS).json()["results"]] == [mine.pk]

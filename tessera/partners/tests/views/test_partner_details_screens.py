"""The partner page's addresses, contacts and bank accounts edited in place (htmx), tag chips, the tag filter
and the tag screens."""

import pytest
from django.urls import reverse

from tessera.partners.models import PartnerAddress, PartnerContact, PartnerTag
from tessera.partners.services_details import partner_address_create, partner_contact_create
from tessera.partners.tests.factories import PartnerFactory, PartnerTagFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def partner(company):
    return PartnerFactory(company=company, code="C100", name="Shanghai Widgets", country="CN")


def address_data(**overrides):
    return {"kind": "delivery", "name": "Warehouse", "street": "仓库路1号", "city": "上海市", "province": "",
            "postal_code": "201100", "country": "CN", **overrides}


def test_the_page_has_a_tab_per_kind_of_row(sales_web, make_user, partner):
    partner_contact_create(actor=make_user("salesperson", username="s2"), partner=partner, data={"name": "王"})

    response = sales_web.get(reverse("partners:partner_detail", args=[partner.pk]))

    assert [tab.label for tab in response.context["tabs"]] == ["Addresses", "Contacts", "Bank accounts"]
    page = response.content.decode()
    assert reverse("partners:partner_addresses_new", args=[partner.pk]) in page
    assert 'data-testid="partner-contacts"' in page and "王" in page


def test_a_new_address_row_starts_with_the_partners_country(sales_web, company):
    german = PartnerFactory(company=company, code="DE1", country="DE")

    response = sales_web.get(reverse("partners:partner_addresses_new", args=[german.pk]), **HTMX)

    assert response.context["form"]["country"].value() == "DE"


def test_adding_a_delivery_address_in_place(sales_web, partner):
    response = sales_web.post(reverse("partners:partner_addresses_new", args=[partner.pk]), address_data(), **HTMX)

    made = PartnerAddress.objects.get(partner=partner)
    assert response.status_code == 200
    assert (made.kind, made.street, made.is_default) == ("delivery", "仓库路1号", True)
    assert f'id="lines-partneraddress-{partner.pk}-line-{made.pk}"' in response.content.decode()


def test_a_new_default_sends_the_old_default_row_out_of_band(sales_web, make_user, partner):
    old = partner_address_create(actor=make_user("salesperson", username="s2"), partner=partner,
                                 data={"kind": "delivery", "street": "Old road"})

    response = sales_web.post(reverse("partners:partner_addresses_new", args=[partner.pk]),
                              address_data(is_default="on"), **HTMX)

    page = response.content.decode()
    assert f'<tr hx-swap-oob="true" id="lines-partneraddress-{partner.pk}-line-{old.pk}"' in page
    old.refresh_from_db()
    assert old.is_default is False


def test_a_bad_email_comes_back_on_the_row_and_nothing_is_saved(sales_web, partner):
    response = sales_web.post(reverse("partners:partner_contacts_new", args=[partner.pk]),
                              {"name": "王", "email": "not-an-email"}, **HTMX)

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not PartnerContact.objects.exists()


def test_a_bad_chinese_account_number_shows_on_its_cell(sales_web, partner):
    response = sales_web.post(reverse("partners:partner_bank_accounts_new", args=[partner.pk]),
                              {"bank_name": "中国银行", "account_number": "12AB"}, **HTMX)

    assert response.context["form"].errors["account_number"] == [
        "A Chinese bank account number has 8 to 30 digits (spaces and hyphens are left out)."]


def test_editing_and_deleting_a_contact_in_place(sales_web, make_user, partner):
    contact = partner_contact_create(actor=make_user("salesperson", username="s2"), partner=partner,
                                     data={"name": "王"})

    sales_web.post(reverse("partners:partner_contacts_edit", args=[partner.pk, contact.pk]),
                   {"name": "王经理", "mobile": "13912345678", "is_primary": "on"}, **HTMX)
    partner.refresh_from_db()
    assert (partner.contact_name, partner.phone) == ("王经理", "13912345678")

    response = sales_web.post(reverse("partners:partner_contacts_delete", args=[partner.pk, contact.pk]), **HTMX)
    assert response.status_code == 200
    partner.refresh_from_db()
    assert (partner.contact_name, PartnerContact.objects.count()) == ("", 0)


def test_another_companys_partner_rows_are_not_found(sales_web, other_company):
    theirs = PartnerFactory(company=other_company, code="X1")

    response = sales_web.post(reverse("partners:partner_addresses_new", args=[theirs.pk]), address_data(), **HTMX)

    assert response.status_code == 404
    assert not PartnerAddress.objects.exists()


def test_a_reader_sees_the_rows_without_add_buttons(client_for, make_user, partner):
    response = client_for(make_user("warehouse_clerk")).get(reverse("partners:partner_detail", args=[partner.pk]))

    assert response.status_code == 200
    assert response.context["addresses"]["can_add"] is False
    assert 'data-testid="add-line"' not in response.content.decode()


def test_the_edit_form_leaves_rows_to_the_page_and_the_new_form_creates_them(sales_web, company, partner):
    edit = sales_web.get(reverse("partners:partner_update", args=[partner.pk])).context["form"]
    assert "address" not in edit.fields and "bank_account" not in edit.fields

    sales_web.post(reverse("partners:partner_create"), {
        "code": "C200", "name": "新客户", "is_customer": "on", "country": "CN", "is_active": "on",
        "address": "北京市朝阳区建国路1号", "contact_name": "赵先生", "phone": "010-8888 0000"})

    created = PartnerAddress.objects.get(partner__company=company, partner__code="C200")
    assert (created.kind, created.street, created.is_default) == ("invoice", "北京市朝阳区建国路1号", True)
    assert PartnerContact.objects.get(partner__code="C200").phone == "010-8888 0000"


# --- Tags ----------------------------------------------------------------------------------------


def test_the_list_shows_tag_chips_and_filters_by_tag(sales_web, company, partner):
    tag = PartnerTagFactory(company=company, name="VIP", colour="danger")
    partner.tags.add(tag)
    PartnerFactory(company=company, code="C200", name="Untagged")
    url = reverse("partners:partner_list")

    everyone = sales_web.get(url)
    tagged = sales_web.get(url, {"tag": tag.pk})

    assert 'class="badge rounded-pill text-bg-danger' in everyone.content.decode()
    assert [obj.code for obj, _cells, _url in tagged.context["rows"]] == ["C100"]


def test_the_export_names_the_tags_in_plain_text(sales_web, company, partner):
    partner.tags.add(PartnerTagFactory(company=company, name="VIP"), PartnerTagFactory(company=company, name="华东"))

    response = sales_web.get(reverse("partners:partner_list"), {"export": "csv"})

    text = response.content.decode("utf-8-sig")
    assert '"VIP, 华东"' in text and "badge" not in text


def test_tags_are_chosen_on_the_partner_form(sales_web, company, other_company, partner):
    mine = PartnerTagFactory(company=company, name="VIP")
    PartnerTagFactory(company=other_company, name="Theirs")
    url = reverse("partners:partner_update", args=[partner.pk])

    assert list(sales_web.get(url).context["form"].fields["tags"].queryset) == [mine]
    sales_web.post(url, {"name": partner.name, "is_customer": "on", "country": "CN", "is_active": "on",
                         "tags": [mine.pk]})

    assert list(partner.tags.all()) == [mine]


def test_tag_screens_create_refuse_a_twin_and_delete(sales_web, company):
    sales_web.post(reverse("partners:partnertag_create"), {"name": "VIP", "colour": "danger"})
    tag = PartnerTag.objects.get(company=company)

    twin = sales_web.post(reverse("partners:partnertag_create"), {"name": "vip", "colour": "primary"})
    assert twin.context["form"].errors["name"] == ["The tag VIP exists already."]

    listed = sales_web.get(reverse("partners:partnertag_list"))
    assert [obj.name for obj, _cells, _url in listed.context["rows"]] == ["VIP"]
    assert sales_web.get(reverse("partners:partnertag_detail", args=[tag.pk])).status_code == 200

    sales_web.post(reverse("partners:partnertag_delete", args=[tag.pk]))
    assert not PartnerTag.objects.exists()

"""Partner and payment-term screens: pages, filters, the form's USCC error and the duplicate warning."""

import pytest
from django.urls import reverse

from tessera.partners.models import Partner, PaymentTerm
from tessera.partners.tests.factories import PartnerFactory, PaymentTermFactory, uscc

pytestmark = pytest.mark.django_db


def partner_data(**overrides) -> dict:
    data = {"code": "C001", "name": "华东电子有限公司", "is_customer": "on", "country": "CN", "tax_id": "",
            "is_active": "on"}
    return {**data, **overrides}


@pytest.fixture
def partner(company):
    return PartnerFactory(company=company, code="C100", name="Shanghai Widgets", tax_id=uscc(), is_supplier=True)


@pytest.fixture
def term(company):
    return PaymentTermFactory(company=company, code="NET30", name="Net 30")


def test_every_partner_page_answers_a_salesperson(sales_web, partner, term):
    urls = [reverse("partners:partner_list"), reverse("partners:partner_create"),
            reverse("partners:partner_detail", args=[partner.pk]),
            reverse("partners:partner_update", args=[partner.pk]),
            reverse("partners:paymentterm_list"), reverse("partners:paymentterm_create"),
            reverse("partners:paymentterm_detail", args=[term.pk]),
            reverse("partners:paymentterm_update", args=[term.pk])]

    assert {url: sales_web.get(url).status_code for url in urls} == {url: 200 for url in urls}


def test_the_menu_has_partners_tags_and_payment_terms(sales_web):
    navigation = sales_web.get(reverse("home")).context["navigation"]
    master = next(module for module in navigation if module["code"] == "masterdata")

    partner_entries = [entry["url"] for entry in master["entries"] if entry["url"].startswith("/partners/")]
    assert partner_entries == [reverse("partners:partner_list"), reverse("partners:partnertag_list"),
                               reverse("partners:paymentterm_list")]


def test_a_user_without_partner_rights_is_refused_with_the_reason(client_for, make_user):
    response = client_for(make_user("hr_officer")).get(reverse("partners:partner_list"))

    assert response.status_code == 403
    assert "(partners.view_partner)" in response.content.decode()


def test_the_list_filters_suppliers_and_country_and_searches(sales_web, company, partner):
    PartnerFactory(company=company, code="C200", name="Customer only")
    PartnerFactory(company=company, code="C300", name="US supplier", is_supplier=True, country="US")
    url = reverse("partners:partner_list")

    def codes(query):
        return [obj.code for obj, _cells, _url in sales_web.get(url + query).context["rows"]]

    assert codes("?is_supplier=true") == ["C100", "C300"]
    assert codes("?is_supplier=true&country=us") == ["C300"]
    assert codes("?q=widgets") == ["C100"]


def test_the_detail_page_has_a_history_tab(sales_web, client_for, make_user, company):
    sales_web.post(reverse("partners:partner_create"), partner_data())
    partner = Partner.objects.get(company=company, code="C001")

    response = sales_web.get(reverse("partners:partner_detail", args=[partner.pk]))

    assert [entry.action for entry in response.context["history"]] == ["create"]


def test_creating_a_partner(sales_web, company):
    response = sales_web.post(reverse("partners:partner_create"), partner_data(tax_id=uscc().lower()))

    partner = Partner.objects.get(company=company, code="C001")
    assert response["Location"] == reverse("partners:partner_detail", args=[partner.pk])
    assert (partner.name, partner.is_customer, partner.tax_id) == ("华东电子有限公司", True, uscc())


def test_a_bad_uscc_shows_on_the_tax_id_field_and_saves_nothing(sales_web, company):
    response = sales_web.post(reverse("partners:partner_create"), partner_data(tax_id="91310000MA1FL00010"))

    assert response.status_code == 200
    assert response.context["form"].errors["tax_id"] == [
        "Enter a valid 18-character unified social credit code (统一社会信用代码)."]
    assert not Partner.objects.filter(company=company).exists()


def test_a_possible_duplicate_shows_the_matches_and_the_create_anyway_box(sales_web, company, partner):
    response = sales_web.post(reverse("partners:partner_create"), partner_data(code="C101", tax_id=uscc()))

    assert response.status_code == 200
    assert response.context["duplicates"] == [partner]
    assert response.context["show_create_anyway"] is True
    page = response.content.decode()
    assert 'data-testid="duplicates"' in page and "Shanghai Widgets" in page
    assert 'name="create_anyway"' in page
    assert response.context["form"].errors["tax_id"] == ["Same tax id as C100 Shanghai Widgets."]
    assert not Partner.objects.filter(company=company, code="C101").exists()


def test_create_anyway_saves_the_duplicate(sales_web, company, partner):
    response = sales_web.post(reverse("partners:partner_create"),
                              partner_data(code="C101", tax_id=uscc(), create_anyway="on"))

    assert response.status_code == 302
    assert Partner.objects.get(company=company, code="C101").tax_id == uscc()


def test_the_create_anyway_box_is_hidden_on_a_fresh_form(sales_web):
    response = sales_web.get(reverse("partners:partner_create"))

    assert 'name="create_anyway"' not in response.content.decode()


def test_editing_a_partner_keeps_its_code(sales_web, partner):
    data = partner_data(code="CHANGED", name="Shanghai Widgets Ltd", tax_id=partner.tax_id, is_supplier="on")

    response = sales_web.post(reverse("partners:partner_update", args=[partner.pk]), data)

    partner.refresh_from_db()
    assert response.status_code == 302
    assert (partner.code, partner.name) == ("C100", "Shanghai Widgets Ltd")


def test_another_company_partner_is_not_found(sales_web, other_company):
    foreign = PartnerFactory(company=other_company, code="X1")

    assert sales_web.get(reverse("partners:partner_detail", args=[foreign.pk])).status_code == 404


def test_the_payment_term_choices_list_only_the_company_terms(sales_web, company, other_company, term):
    PaymentTermFactory(company=other_company, code="FOREIGN")

    form = sales_web.get(reverse("partners:partner_create")).context["form"]

    assert list(form.fields["payment_term"].queryset) == [term]


def test_creating_and_editing_a_payment_term(sales_web, company):
    sales_web.post(reverse("partners:paymentterm_create"), {"code": "2-10N30", "name": "2/10 net 30",
                                                            "basis": "invoice_date", "days": "30",
                                                            "discount_percent": "2", "discount_days": "10",
                                                            "is_active": "on"})
    term = PaymentTerm.objects.get(company=company, code="2-10N30")

    sales_web.post(reverse("partners:paymentterm_update", args=[term.pk]), {
        "name": "2/10 net 45", "basis": "invoice_date", "days": "45", "discount_percent": "2",
        "discount_days": "10", "is_active": "on"})

    term.refresh_from_db()
    assert (term.name, term.days) == ("2/10 net 45", 45)


def test_a_payment_term_error_shows_on_its_field(sales_web, company):
    response = sales_web.post(reverse("partners:paymentterm_create"), {
        "code": "BAD", "name": "Bad", "basis": "invoice_date", "days": "30", "discount_percent": "2",
        "discount_days": "0", "is_active": "on"})

    assert response.context["form"].errors["discount_days"] == ["Say within how many days the discount applies."]
    assert not PaymentTerm.objects.filter(company=company).exists()

"""In Chromium: on a partner's page a salesperson adds a delivery address and a contact in place (htmx)."""

import pytest
from playwright.sync_api import expect

from tessera.core.tests.factories import PASSWORD
from tessera.partners.models import PartnerAddress, PartnerContact
from tessera.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_salesperson_adds_a_delivery_address_and_a_contact(page, live_server, company, make_user):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    partner = PartnerFactory(company=company, code="C100", name="上海明光贸易有限公司", country="CN")
    salesperson = make_user("salesperson", username="sales1")
    sign_in(page, live_server.url, salesperson.username)
    page.goto(f"{live_server.url}/partners/{partner.pk}/")

    page.click("#tab-addresses")
    addresses = page.locator("[data-testid=partner-addresses]")
    addresses.locator("[data-testid=add-line]").click()
    form_row = addresses.locator("tr.table-warning")
    form_row.locator("select[name=kind]").select_option("delivery")
    form_row.locator("input[name=name]").fill("二号仓库")
    form_row.locator("textarea[name=street]").fill("嘉定区仓库路1号")
    form_row.locator("input[name=city]").fill("上海市")
    form_row.locator("button:has-text('Save')").click()
    expect(addresses.locator("[data-testid=row]")).to_have_count(1)
    expect(addresses.locator("[data-testid=row]")).to_contain_text("嘉定区仓库路1号")

    page.click("#tab-contacts")
    contacts = page.locator("[data-testid=partner-contacts]")
    contacts.locator("[data-testid=add-line]").click()
    form_row = contacts.locator("tr.table-warning")
    form_row.locator("input[name=name]").fill("王经理")
    form_row.locator("input[name=mobile]").fill("13912345678")
    form_row.locator("input[name=email]").fill("wang@example.com")
    form_row.locator("button:has-text('Save')").click()
    expect(contacts.locator("[data-testid=row]")).to_contain_text("王经理")

    address = PartnerAddress.objects.get(partner=partner)
    assert (address.kind, address.name, address.street, address.city, address.is_default) == (
        "delivery", "二号仓库", "嘉定区仓库路1号", "上海市", True)
    contact = PartnerContact.objects.get(partner=partner)
    assert (contact.name, contact.mobile, contact.is_primary) == ("王经理", "13912345678", True)
    partner.refresh_from_db()
    assert (partner.contact_name, partner.phone, partner.email) == ("王经理", "13912345678", "wang@example.com")
    assert errors == []

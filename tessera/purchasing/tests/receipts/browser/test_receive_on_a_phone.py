"""In Chromium on a phone-sized screen, a warehouse clerk receives part of an order (widgets typed, phone
serial numbers scanned one per row), opens the receipt, then sends two widget boxes back to the supplier.
Quantities and GR/IR are checked in the database and on screen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tessera.core.tests.factories import PASSWORD
from tessera.purchasing.models import Receipt, SupplierReturn

from ...conftest import dec
from ..factories import confirmed_order, line_of, on_hand

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_clerk_receives_on_a_phone_and_returns_goods(browser, live_server, p):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("dialog", lambda dialog: dialog.accept())
    order = confirmed_order(p, {"product": p.widget, "quantity": "10", "unit_price": "120"},
                            {"product": p.phone, "quantity": "3", "unit_price": "1000"})
    widget, phone = line_of(order, p.widget), line_of(order, p.phone)
    base = live_server.url
    sign_in(page, base, p.clerk.username)

    page.goto(f"{base}/purchasing/orders/{order.pk}/receive/")
    expect(page.locator(f"#quantity-{widget.pk}")).to_have_value("10")
    expect(page.locator(f"#quantity-{phone.pk}")).to_have_value("3")
    page.fill(f"#quantity-{widget.pk}", "4")
    page.fill(f"#quantity-{phone.pk}", "2")
    serials = page.locator(f"#lots-{phone.pk}")
    serials.click()
    for serial in ("SN-0001", "SN-0002"):  # a scanner types the code, then Enter
        page.keyboard.type(serial)
        page.keyboard.press("Enter")
    page.fill("#receive-reference", "DN-2026-7")
    with page.expect_navigation():
        page.click("[data-testid=receive-form] button[type=submit]")

    receipt = Receipt.objects.get()
    expect(page.locator("[data-testid=receipt-lines]")).to_contain_text("SN-0002")
    expect(page.locator("h1")).to_contain_text(receipt.number)
    assert on_hand(p, p.widget) == dec(48)
    assert (on_hand(p, p.phone, "SN-0001"), on_hand(p, p.phone, "SN-0002")) == (dec(1), dec(1))
    assert p.balance("220202") == dec("-2480.00")

    page.goto(f"{base}/purchasing/orders/{order.pk}/receive/")
    expect(page.locator(f"#quantity-{widget.pk}")).to_have_value("6")

    page.goto(f"{base}/purchasing/returns/new/?order={order.pk}")
    page.fill("input[name=reason]", "Crushed boxes")
    rows = page.locator("[data-testid=return-line-forms] tbody tr")
    expect(rows).to_have_count(2)
    page.fill("input[name=lines-0-quantity]", "2")
    with page.expect_navigation():
        page.click("[data-testid=return-form] button[type=submit]")
    with page.expect_navigation():
        page.click("text=Send back")

    supplier_return = SupplierReturn.objects.get()
    assert (supplier_return.state, supplier_return.lines.get().quantity) == ("done", Decimal("2"))
    expect(page.locator("[data-testid=return-state]")).to_have_text(supplier_return.get_state_display())
    assert on_hand(p, p.widget) == dec(24)
    assert p.balance("220202") == dec("-2240.00")
    assert errors == []
    context.close()

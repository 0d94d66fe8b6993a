"""In Chromium, a purchaser writes an order in the live form (the price comes from the supplier's price list
with its source, totals follow, a line is added and removed), saves it, and confirms it; a manager then
approves a big order in the approvals panel of its page (the order follows the decision). States and
totals are checked in the database and on screen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tessera.core.tests.factories import PASSWORD
from tessera.purchasing.choices import OrderState
from tessera.purchasing.models import PurchaseOrder, SupplierPrice
from tessera.purchasing.services.orders import order_submit

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_purchaser_writes_and_confirms_an_order(page, live_server, p):
    SupplierPrice.objects.create(company=p.company, partner=p.s1, product=p.widget, currency=p.company.base_currency,
                                 uom=p.box, min_quantity=Decimal("10"), price=Decimal("55"))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url
    sign_in(page, base, p.purchaser.username)

    page.goto(f"{base}/purchasing/orders/new/")
    page.select_option("select[name=partner]", str(p.s1.pk))
    page.select_option("select[name=lines-0-product]", str(p.widget.pk))
    expect(page.locator("select[name=lines-0-uom]")).to_have_value(str(p.box.pk))
    page.fill("input[name=lines-0-quantity]", "12")
    page.locator("input[name=lines-0-quantity]").dispatch_event("change")
    expect(page.get_by_test_id("price-source")).to_contain_text("Price list of S1")
    expect(page.get_by_test_id("order-form-total")).to_have_text("745.80")
    page.get_by_test_id("add-line").click()
    expect(page.get_by_test_id("order-line-row")).to_have_count(2)
    page.locator("[data-testid=order-line-row]").nth(1).get_by_role("button").click()
    expect(page.get_by_test_id("order-line-row")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    order = PurchaseOrder.objects.get()
    assert (order.total, order.lines.get().unit_price) == (Decimal("745.80"), Decimal("55"))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm order").click()
    expect(page.get_by_test_id("order-state")).to_have_text("Confirmed")
    order.refresh_from_db()
    assert (order.state, order.number) == (OrderState.CONFIRMED, "PO-2026-00001")
    assert errors == []


def test_a_manager_approves_from_the_order_page(page, live_server, p, make_order, order_rule):
    order = order_submit(actor=p.purchaser, order=make_order(
        lines=[{"product": p.widget.pk, "quantity": "100", "unit_price": "60"}]))
    base = live_server.url
    sign_in(page, base, p.manager.username)

    page.goto(f"{base}/purchasing/orders/{order.pk}/")
    page.get_by_test_id("decide-form").locator("input[name=comment]").fill("Fine")
    with page.expect_navigation():
        page.get_by_test_id("approve").click()

    expect(page.get_by_test_id("order-state")).to_have_text("Approved")
    order.refresh_from_db()
    assert order.state == OrderState.APPROVED

"""In Chromium, a clerk counting WH/Stock scans a lot number Tessera does not know: the screen offers to add it,
the lot inputs show for the tea (a tracked product) and hide for widgets, the stock is added under the new lot
and posted."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tessera.inventory.models import Adjustment, Lot, StockQuant
from tessera.inventory.services.adjustments import adjustment_create

from ..conftest import TODAY, receive
from .test_clerk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clerk_counts_stock_under_a_new_lot_number(page, live_server, stock):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("dialog", lambda dialog: dialog.accept())
    receive(stock, stock.tea, "3", lot_name="TEA-A")
    count = adjustment_create(actor=stock.clerk, company=stock.company, data={"location": stock.stock, "date": TODAY})
    sign_in(page, live_server.url, stock.clerk.username)
    page.goto(f"{live_server.url}/inventory/adjustments/{count.pk}/count/")

    page.fill("input[name=code]", "TEA-NEW")
    with page.expect_navigation():
        page.press("input[name=code]", "Enter")
    expect(page.locator(".alert-danger")).to_contain_text("TEA-NEW")
    form = page.locator("[data-testid=add-line-form]")
    expect(form).to_be_visible()
    expect(form.locator("input[name=add-lot_name]")).to_be_hidden()  # no product chosen yet
    form.locator("select[name=add-product]").select_option(str(stock.widget.pk))
    expect(form.locator("input[name=add-lot_name]")).to_be_hidden()
    form.locator("select[name=add-product]").select_option(str(stock.tea.pk))
    expect(form.locator("input[name=add-lot_name]")).to_have_value("TEA-NEW")
    form.locator("input[name=add-expiry_on]").fill("2027-06-30")
    form.locator("input[name=add-counted_quantity]").fill("2.5")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    line = count.lines.get(lot__name="TEA-NEW")
    expect(page.locator(f"#line-{line.pk}")).to_have_class("list-group-item list-group-item-success")
    expect(page.locator(f"input[name=counted_{line.pk}]")).to_have_value("2.5")

    with page.expect_navigation():
        page.click("text=Done counting")
    with page.expect_navigation():
        page.click("form button:has-text('Post')")
    assert Adjustment.objects.get().state == "posted"
    lot = Lot.objects.get(name="TEA-NEW")
    assert (lot.product, lot.expiry_on) == (stock.tea, datetime.date(2027, 6, 30))
    assert StockQuant.objects.get(lot=lot, location=stock.stock).quantity == Decimal("2.5")
    assert errors == []

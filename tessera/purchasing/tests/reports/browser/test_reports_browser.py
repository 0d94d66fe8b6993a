"""In Chromium on the demo: the purchasing manager opens the dashboard from the menu, sees its cards and the
monthly chart drawn, follows the late receipts card to the report and an order, exports the analysis, and
reads the dashboard in 简体中文."""

import pytest
from playwright.sync_api import expect

from tessera.core import demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server):
    demo.build(out=lambda line: None)
    return live_server.url


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_the_purchasing_manager_follows_the_dashboard_to_a_late_order(page, demo_site):
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    sign_in(page, demo_site, "purchasing")

    with page.expect_navigation():
        page.click("#sidebar a:has-text('Purchasing dashboard')")
    expect(page.locator("[data-testid=card-open-orders-value]")).to_have_text("3")
    expect(page.locator("[data-testid=card-waiting-approval-value]")).to_have_text("1")
    expect(page.locator("[data-testid=card-late-receipts-value]")).to_have_text("1")
    # Chart.js drew the monthly purchases into the canvas.
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")

    with page.expect_navigation():
        page.click("[data-testid=card-late-receipts] a:has-text('Open')")
    expect(page.locator("h1")).to_have_text("Receipts pending")
    table = page.locator("[data-testid=report-table]")
    expect(table).to_contain_text("Wireless mouse")
    expect(page.locator("[data-testid=report-totals]")).to_contain_text("3,984.00")
    with page.expect_navigation():
        table.locator("[data-testid=drill-down]").first.click()
    expect(page.locator("body")).to_contain_text("DEMO-PO-02")

    page.goto(f"{demo_site}/purchasing/reports/analysis/?group=month")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    assert download.value.suggested_filename.startswith("purchase-analysis-month-CN01-")
    assert errors == []


def test_the_dashboard_in_chinese(page, demo_site):
    sign_in(page, demo_site, "purchasing")
    page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    response = page.goto(f"{demo_site}/purchasing/dashboard/")
    assert response.status == 200
    expect(page.locator("[data-testid=late-receipts]")).to_contain_text("苏州精工制造有限公司")

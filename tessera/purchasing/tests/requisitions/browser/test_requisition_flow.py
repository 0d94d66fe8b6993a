"""In Chromium: an employee raises and submits a requisition, the purchasing manager approves it, a purchaser
merges it with another into one order from the convert screen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tessera.core.tests.factories import PASSWORD
from tessera.purchasing.models import PurchaseOrder, Requisition
from tessera.purchasing.services.requisitions import requisition_approve, requisition_submit
from tessera.purchasing.tests.requisitions.factories import requisition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def contexts(browser):
    """Browser contexts of the people in the test (one each), closed at the end."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def signed_in(contexts, browser, base_url, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page


def test_raise_approve_and_convert_in_the_browser(browser, contexts, live_server, p):
    errors = []
    other = requisition(p, {"product": p.widget.pk, "quantity": "3", "supplier": p.s1.pk}, user=p.purchaser)
    requisition_submit(actor=p.purchaser, requisition=other)
    requisition_approve(actor=p.manager, requisition=other)

    employee = signed_in(contexts, browser, live_server.url, p.employee.username)
    employee.on("pageerror", lambda exc: errors.append(str(exc)))
    employee.goto(f"{live_server.url}/purchasing/requisitions/new/")
    employee.select_option("select[name=warehouse]", str(p.warehouse.pk))
    employee.fill("input[name=description]", "Widgets for the workshop")
    employee.select_option("select[name=lines-0-product]", str(p.widget.pk))
    employee.fill("input[name=lines-0-quantity]", "2")
    employee.select_option("select[name=lines-0-supplier]", str(p.s1.pk))
    with employee.expect_navigation():
        employee.click("button[type=submit]:has-text('Save')")
    with employee.expect_navigation():
        employee.click("button:has-text('Submit')")
    expect(employee.locator("[data-testid=requisition-state]")).to_have_text("Waiting for approval")
    mine = Requisition.objects.get(requested_by=p.employee)
    assert mine.state == "submitted"

    manager = signed_in(contexts, browser, live_server.url, p.manager.username)
    manager.goto(f"{live_server.url}/purchasing/requisitions/{mine.pk}/")
    with manager.expect_navigation():
        manager.click("button:has-text('Approve')")
    expect(manager.locator("[data-testid=requisition-state]")).to_have_text("Approved")

    purchaser = signed_in(contexts, browser, live_server.url, p.purchaser.username)
    purchaser.goto(f"{live_server.url}/purchasing/requisitions/convert/")
    purchaser.check(f"#req-{mine.pk}")
    purchaser.check(f"#req-{other.pk}")
    with purchaser.expect_navigation():
        purchaser.click("button[type=submit]:has-text('Convert')")
    order = PurchaseOrder.objects.get()
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [(p.widget.pk, Decimal("5"))]
    assert set(Requisition.objects.values_list("state", flat=True)) == {"ordered"}
    assert errors == []

"""Procure-to-pay in Chromium, the UI twin of test_procure_to_pay_api.py: each step by the person who does it,
through the screens a new user would find (menu, buttons on the documents), checked on screen and in the
database (exact stock and the balances of inventory 1405, GR/IR 220202, input VAT 22210101, payable 220201
and bank 1002 after every step). Then a shorter pass in 简体中文 with a lot-tracked product, and every
purchasing menu entry opened by the purchasing manager in both languages."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from tessera.accounting.models import Invoice
from tessera.inventory.models import Lot, StockQuant
from tessera.purchasing.choices import OrderState, RequisitionState
from tessera.purchasing.models import PurchaseOrder, Receipt, Requisition, SupplierPrice

pytestmark = pytest.mark.django_db(transaction=True)

ZERO = Decimal("0")


def on_hand(p, product, lot=None) -> Decimal:
    quants = StockQuant.objects.filter(product=product, location=p.stock)
    if lot is not None:
        quants = quants.filter(lot=lot)
    return sum((quant.quantity for quant in quants), ZERO)


def ledger(p) -> dict:
    """Inventory, GR/IR, input VAT, payable and bank balances (debit - credit)."""
    return {"inventory": p.balance("1405"), "grir": p.balance("220202"), "input_vat": p.balance("22210101"),
            "payable": p.balance("220201"), "bank": p.balance("1002")}


def books(inventory="0", grir="0", input_vat="0", payable="0", bank="0") -> dict:
    return {"inventory": Decimal(inventory), "grir": Decimal(grir), "input_vat": Decimal(input_vat),
            "payable": Decimal(payable), "bank": Decimal(bank)}


def click_and_load(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def menu(page, label: str) -> None:
    """Open a purchasing menu entry as a user would: by its label in the sidebar."""
    click_and_load(page, page.locator("#sidebar ul[aria-labelledby=module-purchasing]")
                   .get_by_role("link", name=label, exact=True))


def order_line_cells(page) -> list[str]:
    """The first order line's quantity, unit, price, subtotal, received, billed (as shown)."""
    cells = [text.strip() for text in page.get_by_test_id("order-lines").locator("tbody tr").first
             .locator("td").all_inner_texts()]
    return [cells[index] for index in (2, 3, 4, 7, 8, 9)]


def test_requisition_to_payment_in_english(p, person, watch, order_rule, live_server):
    SupplierPrice.objects.create(company=p.company, partner=p.s1, product=p.widget, currency=p.company.base_currency,
                                 uom=p.box, min_quantity=Decimal("1"), price=Decimal("60"))
    base = live_server.url
    today = timezone.localdate()  # what the screens date documents with

    # --- An employee asks for 10 boxes of widgets -----------------------------------------------------
    employee = person(p.employee)
    menu(employee, "Requisitions")
    click_and_load(employee, employee.get_by_role("link", name="New", exact=True))
    employee.select_option("select[name=warehouse]", str(p.warehouse.pk))
    employee.fill("input[name=description]", "Shelf stock")
    employee.select_option("select[name=lines-0-product]", str(p.widget.pk))
    employee.fill("input[name=lines-0-quantity]", "10")
    employee.select_option("select[name=lines-0-uom]", str(p.box.pk))
    employee.select_option("select[name=lines-0-supplier]", str(p.s1.pk))
    click_and_load(employee, employee.get_by_role("button", name="Save"))
    expect(employee.get_by_test_id("requisition-state")).to_have_text("Draft")
    click_and_load(employee, employee.get_by_role("button", name="Submit", exact=True))
    expect(employee.get_by_test_id("requisition-state")).to_have_text("Waiting for approval")
    requisition = Requisition.objects.get()
    assert requisition.state == RequisitionState.SUBMITTED and requisition.number.startswith("PR-")
    [line] = requisition.lines.all()
    assert (line.product, line.quantity, line.uom, line.supplier) == (p.widget, Decimal("10"), p.box, p.s1)
    # the employee cannot approve their own request: no button
    expect(employee.get_by_role("button", name="Approve")).to_have_count(0)

    # --- The purchasing manager approves it on its page -----------------------------------------------
    manager = person(p.manager)
    menu(manager, "Requisitions")
    click_and_load(manager, manager.get_by_role("link", name=requisition.number))
    click_and_load(manager, manager.get_by_role("button", name="Approve"))
    expect(manager.get_by_test_id("requisition-state")).to_have_text("Approved")
    requisition.refresh_from_db()
    assert requisition.state == RequisitionState.APPROVED

    # --- The purchaser turns it into an order ---------------------------------------------------------
    purchaser = person(p.purchaser)
    menu(purchaser, "Requisitions")
    click_and_load(purchaser, purchaser.get_by_test_id("convert-requisitions"))
    expect(purchaser.locator(f"input[name=requisitions][value='{requisition.pk}']")).not_to_be_checked()
    purchaser.check(f"input[name=requisitions][value='{requisition.pk}']")
    click_and_load(purchaser, purchaser.get_by_role("button", name="Convert", exact=True))
    order = PurchaseOrder.objects.get()
    expect(purchaser.get_by_test_id("order-state")).to_have_text("Draft")
    assert purchaser.url == f"{base}/purchasing/orders/{order.pk}/"
    assert order_line_cells(purchaser) == ["10", "box", "60", "600.00", "0.0000", "0.0000"]
    expect(purchaser.get_by_test_id("order-totals")).to_contain_text("678.00")
    assert (order.partner, order.total_untaxed, order.total_tax, order.total) == (
        p.s1, Decimal("600.00"), Decimal("78.00"), Decimal("678.00"))

    # Above 500 it needs approval: confirming first is refused on screen and changes nothing.
    click_and_load(purchaser, purchaser.get_by_role("button", name="Confirm order"))
    expect(purchaser.locator(".alert-danger")).to_contain_text("needs approval")
    expect(purchaser.get_by_test_id("order-state")).to_have_text("Draft")
    order.refresh_from_db()
    assert (order.state, order.number) == (OrderState.DRAFT, None)
    # (the approvals panel above offers a "Submit for approval" of its own: the order's button is the one
    # in the order's actions)
    click_and_load(purchaser, purchaser.locator(f"form[action='/purchasing/orders/{order.pk}/submit/'] button"))
    expect(purchaser.get_by_test_id("order-state")).to_have_text("Waiting for approval")
    expect(purchaser.get_by_role("button", name="Confirm order")).to_have_count(0)

    # --- The purchasing manager approves the order from the approvals inbox ----------------------------
    manager.goto(f"{base}/approvals/inbox/")
    row = manager.get_by_test_id("inbox-row").filter(has_text=str(order))
    row.locator("input[name=comment], textarea[name=comment]").fill("OK")
    row.get_by_test_id("approve").click()
    expect(manager.get_by_test_id("inbox-row-done")).to_have_count(1)
    order.refresh_from_db()
    assert order.state == OrderState.APPROVED

    # --- The purchaser confirms: PO-... ---------------------------------------------------------------
    purchaser.reload()
    expect(purchaser.get_by_test_id("order-state")).to_have_text("Approved")
    click_and_load(purchaser, purchaser.get_by_role("button", name="Confirm order"))
    expect(purchaser.get_by_test_id("order-state")).to_have_text("Confirmed")
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED and order.number == f"PO-{today.year}-00001"
    expect(purchaser.locator("h1")).to_contain_text(order.number)
    assert (on_hand(p, p.widget), ledger(p)) == (ZERO, books())

    # --- The clerk receives 4 boxes, then the other 6 ---------------------------------------------------
    clerk = person(p.clerk)
    menu(clerk, "Purchase orders")
    click_and_load(clerk, clerk.get_by_role("link", name=order.number))
    click_and_load(clerk, clerk.get_by_role("link", name="Receive", exact=True))
    quantity = clerk.get_by_label("Received now")
    expect(quantity).to_have_value("10")  # what is still to come
    quantity.fill("4")
    clerk.fill("input[name=reference]", "DN-1")
    click_and_load(clerk, clerk.get_by_role("button", name="Receive", exact=True))
    first = Receipt.objects.get()
    expect(clerk.get_by_test_id("receipt-state")).to_have_text("Done")
    expect(clerk.locator(".alert-success")).to_contain_text(f"Received {first.number}")
    expect(clerk.get_by_test_id("receipt-lines")).to_contain_text("240.00")
    assert first.number.startswith("GRN-")
    assert on_hand(p, p.widget) == Decimal("48")
    assert ledger(p) == books(inventory="240.00", grir="-240.00")
    click_and_load(clerk, clerk.get_by_role("link", name="Open the order"))
    expect(clerk.get_by_test_id("order-state")).to_have_text("Partially received")
    assert order_line_cells(clerk)[4] == "4.0000"

    # More than the rest (no over-receipt tolerance) is refused on the line and writes nothing.
    click_and_load(clerk, clerk.get_by_role("link", name="Receive", exact=True))
    expect(clerk.get_by_label("Received now")).to_have_value("6")
    clerk.get_by_label("Received now").fill("7")
    click_and_load(clerk, clerk.get_by_role("button", name="Receive", exact=True))
    expect(clerk.get_by_test_id("receive-line").locator(".text-danger")).not_to_have_count(0)
    expect(clerk.get_by_label("Received now")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert watch.taken(f"400 POST {base}/purchasing/orders/{order.pk}/receive/")
    assert (Receipt.objects.count(), on_hand(p, p.widget)) == (1, Decimal("48"))
    assert ledger(p) == books(inventory="240.00", grir="-240.00")
    clerk.get_by_label("Received now").fill("6")
    click_and_load(clerk, clerk.get_by_role("button", name="Receive", exact=True))
    expect(clerk.get_by_test_id("receipt-state")).to_have_text("Done")
    assert on_hand(p, p.widget) == Decimal("120")
    assert ledger(p) == books(inventory="600.00", grir="-600.00")
    click_and_load(clerk, clerk.get_by_role("link", name="Open the order"))
    expect(clerk.get_by_test_id("order-state")).to_have_text("Received")
    assert order_line_cells(clerk)[4] == "10.0000"
    expect(clerk.get_by_role("link", name="Receive", exact=True)).to_have_count(0)

    # --- The accountant bills the order, posts the bill and pays it through the payment proposal --------
    accountant = person(p.accountant)
    accountant.goto(f"{base}/purchasing/orders/{order.pk}/")
    click_and_load(accountant, accountant.get_by_role("button", name="Bill", exact=True))
    bill = Invoice.objects.get(kind="supplier_invoice")
    assert accountant.url == f"{base}/accounting/invoices/{bill.pk}/"
    expect(accountant.get_by_test_id("invoice-state")).to_have_text("Draft")
    expect(accountant.get_by_test_id("total")).to_have_text("678.00")
    expect(accountant.get_by_test_id("match-state")).to_have_text("Matched")
    assert (bill.state, bill.total, bill.partner) == ("draft", Decimal("678.00"), p.s1)
    assert ledger(p) == books(inventory="600.00", grir="-600.00")
    click_and_load(accountant, accountant.get_by_role("button", name="Post", exact=True))
    expect(accountant.get_by_test_id("invoice-state")).to_have_text("Posted")
    bill.refresh_from_db()
    order.refresh_from_db()
    assert (bill.state, order.state) == ("posted", OrderState.BILLED)
    assert ledger(p) == books(inventory="600.00", input_vat="78.00", payable="-678.00")

    menu(accountant, "Payment proposal")
    accountant.fill("input[name=due_by]", (today + datetime.timedelta(days=60)).isoformat())
    click_and_load(accountant, accountant.get_by_role("button", name="Show"))
    supplier = accountant.get_by_test_id("proposal-supplier")
    expect(supplier).to_have_count(1)
    expect(supplier).to_contain_text(p.s1.name)
    expect(supplier).to_contain_text("678.00")
    expect(accountant.get_by_label(bill.number)).to_be_checked()
    accountant.select_option("select[name=journal]", str(p.bank_journal.pk))
    click_and_load(accountant, accountant.get_by_test_id("pay-proposal"))
    expect(accountant.locator(".alert-success")).to_contain_text("Paid:")
    expect(accountant.get_by_test_id("proposal-empty")).to_be_visible()
    bill.refresh_from_db()
    order.refresh_from_db()
    assert (bill.state, bill.residual, order.state) == ("paid", ZERO, OrderState.CLOSED)
    assert ledger(p) == books(inventory="600.00", input_vat="78.00", bank="-678.00")
    assert on_hand(p, p.widget) == Decimal("120")

    accountant.goto(f"{base}/purchasing/orders/{order.pk}/")
    expect(accountant.get_by_test_id("order-state")).to_have_text("Closed")
    assert order_line_cells(accountant)[4:] == ["10.0000", "10.0000"]
    assert watch.errors == []


def chinese(text) -> str:
    with translation.override("zh-hans"):
        return str(text())


def in_chinese(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#sidebar")).to_contain_text("首页")


def test_a_short_pass_in_chinese_with_a_lot_tracked_product(p, person, watch, order_rule, live_server):
    """Below the 500 threshold no approval is needed. Buttons are found by what they do (their form's action),
    not by their words, so the test holds whatever the translation says."""
    base = live_server.url

    # --- 采购员 writes and confirms an order for 2 kg of tea at 100.00 ----------------------------------
    purchaser = person(p.purchaser, "zh-hans")
    click_and_load(purchaser, purchaser.locator("#sidebar a.nav-link[href='/purchasing/orders/']"))
    in_chinese(purchaser)
    click_and_load(purchaser, purchaser.locator("a[href='/purchasing/orders/new/']"))
    in_chinese(purchaser)
    form = purchaser.get_by_test_id("order-form")
    for name, value in (("partner", p.s1.pk), ("lines-0-product", p.tea.pk)):
        with purchaser.expect_response("**/purchasing/orders/lines/"):
            form.locator(f"select[name={name}]").select_option(str(value))
    expect(form.locator("select[name=lines-0-uom]")).to_have_value(str(p.kg.pk))
    for name, value in (("lines-0-quantity", "2"), ("lines-0-unit_price", "100")):
        with purchaser.expect_response("**/purchasing/orders/lines/"):
            form.locator(f"input[name={name}]").fill(value)
            form.locator(f"input[name={name}]").dispatch_event("change")
    expect(purchaser.get_by_test_id("order-form-total")).to_have_text("226.00")
    click_and_load(purchaser, form.locator("button[type=submit]"))
    order = PurchaseOrder.objects.get()
    expect(purchaser.get_by_test_id("order-state")).to_have_text(chinese(order.get_state_display))
    in_chinese(purchaser)
    assert (order.state, order.total) == (OrderState.DRAFT, Decimal("226.00"))
    click_and_load(purchaser, purchaser.locator("form[action$='/confirm/'] button"))
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED and order.number.startswith("PO-")
    in_chinese(purchaser)
    expect(purchaser.get_by_test_id("order-state")).to_have_text(chinese(order.get_state_display))
    expect(purchaser.locator("h1")).to_contain_text(order.number)
    expect(purchaser.locator(".alert-success")).to_contain_text(order.number)
    printed = purchaser.request.get(f"{base}/purchasing/orders/{order.pk}/?format=pdf")  # the PDF, in Chinese
    assert (printed.status, printed.headers["content-type"]) == (200, "application/pdf")
    assert printed.body().startswith(b"%PDF")

    # --- 仓管员 receives it, typing the lot number -----------------------------------------------------
    clerk = person(p.clerk, "zh-hans")
    clerk.goto(f"{base}/purchasing/orders/{order.pk}/")
    click_and_load(clerk, clerk.locator(f"a[href='/purchasing/orders/{order.pk}/receive/']"))
    in_chinese(clerk)
    line = order.lines.get()
    expect(clerk.locator(f"input[name=quantity-{line.pk}]")).to_have_value("2")
    expect(clerk.get_by_test_id("receive-line")).to_contain_text("茶叶")  # the product's Chinese name
    clerk.get_by_test_id("lots-TEA").fill("LT-2026-01 2 2027-12-31")
    click_and_load(clerk, clerk.locator("[data-testid=receive-form] button[type=submit]"))
    in_chinese(clerk)
    lot = Lot.objects.get(product=p.tea)
    assert (lot.name, lot.expiry_on) == ("LT-2026-01", datetime.date(2027, 12, 31))
    expect(clerk.get_by_test_id("receipt-lines")).to_contain_text("LT-2026-01")
    order.refresh_from_db()
    assert order.state == OrderState.RECEIVED
    click_and_load(clerk, clerk.locator(f"a[href='/purchasing/orders/{order.pk}/']").first)
    expect(clerk.get_by_test_id("order-state")).to_have_text(chinese(order.get_state_display))
    assert on_hand(p, p.tea, lot) == Decimal("2")
    assert ledger(p) == books(inventory="200.00", grir="-200.00")

    # --- 会计 bills it and posts the bill ----------------------------------------------------------------
    accountant = person(p.accountant, "zh-hans")
    accountant.goto(f"{base}/purchasing/orders/{order.pk}/")
    click_and_load(accountant, accountant.locator(f"form[action='/purchasing/orders/{order.pk}/bill/'] button"))
    in_chinese(accountant)
    bill = Invoice.objects.get(kind="supplier_invoice")
    expect(accountant.get_by_test_id("total")).to_have_text("226.00")
    click_and_load(accountant, accountant.locator(f"form[action$='/invoices/{bill.pk}/post/'] button"))
    in_chinese(accountant)
    bill.refresh_from_db()
    order.refresh_from_db()
    assert (bill.state, order.state) == ("posted", OrderState.BILLED)
    expect(accountant.get_by_test_id("invoice-state")).to_have_text(chinese(bill.get_state_display))
    assert ledger(p) == books(inventory="200.00", input_vat="26.00", payable="-226.00")
    assert on_hand(p, p.tea, lot) == Decimal("2")
    assert watch.errors == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_purchasing_manager_opens_every_purchasing_menu_entry(p, person, watch, live_server, language):
    manager = person(p.manager, language)
    links = manager.locator("#sidebar ul[aria-labelledby=module-purchasing] a.nav-link")
    entries = [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]
    assert len(entries) >= 10, entries
    for label, href in entries:
        response = manager.goto(live_server.url + href)
        assert response.status == 200, f"{label} ({href}) answered {response.status}"
        assert manager.locator("html").get_attribute("lang") == language, f"{label} ({href}) is not in {language}"
    assert watch.errors == []

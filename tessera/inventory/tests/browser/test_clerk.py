"""In Chromium, a warehouse clerk's day: signs in, counts WH/Stock (a lot-tracked tea: one lot typed, one
scanned then corrected; pieces confirmed), posts the count, transfers widgets and a lot of tea from WH to
WH2 (confirm, ship, receive), then opens the replenishment screen. Quantities are checked in the database
and on screen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tessera.core.tests.factories import PASSWORD
from tessera.inventory.choices import AdjustmentState, TransferState
from tessera.inventory.models import Adjustment, Lot, StockQuant, Transfer
from tessera.inventory.services.replenishment import reorder_rule_create

from ..conftest import receive
from ..factories import WarehouseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def on_hand(product, location, lot=None) -> Decimal:
    quant = StockQuant.objects.filter(product=product, location=location, lot=lot).first()
    return quant.quantity if quant else Decimal("0")


@pytest.fixture
def world(stock, make_user):
    """WH/Stock holds tea lots TEA-A (10 kg) and TEA-B (5 kg) and 20 widgets; WH2 is empty and wants
    between 10 and 30 widgets (a reorder rule)."""
    other = WarehouseFactory(company=stock.company, code="WH2", name="North warehouse")
    receive(stock, stock.tea, "10", lot_name="TEA-A")
    receive(stock, stock.tea, "5", lot_name="TEA-B")
    receive(stock, stock.widget, "20")
    reorder_rule_create(actor=make_user("administrator", username="boss-rr"), company=stock.company, data={
        "product": stock.widget, "warehouse": other, "min_quantity": Decimal("10"), "max_quantity": Decimal("30")})
    stock.other = other
    return stock


def test_a_clerk_counts_with_lots_transfers_and_checks_replenishment(page, live_server, world):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url
    lot_a, lot_b = Lot.objects.get(name="TEA-A"), Lot.objects.get(name="TEA-B")
    sign_in(page, base, world.clerk.username)

    # --- Count WH/Stock -------------------------------------------------------------------------------
    page.goto(f"{base}/inventory/adjustments/new/")
    page.select_option("select[name=location]", str(world.stock.pk))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Start counting')")
    count = Adjustment.objects.get()
    lines = {(line.product.sku, line.lot.name if line.lot else ""): line for line in count.lines.all()}
    assert {key: line.expected_quantity for key, line in lines.items()} == {
        ("TEA", "TEA-A"): Decimal("10"), ("TEA", "TEA-B"): Decimal("5"), ("W-1", ""): Decimal("20")}

    page.fill("input[name=code]", "TEA-B")  # a read of lot TEA-B's label: one kilogram counted
    with page.expect_navigation():
        page.press("input[name=code]", "Enter")
    tea_b = lines[("TEA", "TEA-B")]
    expect(page.locator(f"#line-{tea_b.pk}")).to_have_class("list-group-item list-group-item-success")
    expect(page.locator(f"input[name=counted_{tea_b.pk}]")).to_have_value("1")

    page.fill(f"input[name=counted_{lines[('TEA', 'TEA-A')].pk}]", "9.5")
    page.fill(f"input[name=counted_{tea_b.pk}]", "4.25")  # weighed: the rest of the lot
    page.fill(f"input[name=counted_{lines[('W-1', '')].pk}]", "20")
    with page.expect_navigation():
        page.click("[data-testid=count-form] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Counts saved.")

    with page.expect_navigation():
        page.click("text=Done counting")
    with page.expect_navigation():
        page.click("form button:has-text('Post')")
    count.refresh_from_db()
    assert count.state == AdjustmentState.POSTED
    expect(page.locator(".alert-success")).to_contain_text(f"Posted {count}")
    assert (on_hand(world.tea, world.stock, lot_a), on_hand(world.tea, world.stock, lot_b),
            on_hand(world.widget, world.stock)) == (Decimal("9.5"), Decimal("4.25"), Decimal("20"))
    shown = [[cell.strip() for cell in row.locator("td").all_inner_texts()[1:6]]
             for row in page.locator("[data-testid=count-lines] tbody tr").all()]
    assert shown == [[str(world.tea), "TEA-A", "10.0000", "9.5000", "-0.5000"],
                     [str(world.tea), "TEA-B", "5.0000", "4.2500", "-0.7500"],
                     [str(world.widget), "—", "20.0000", "20.0000", "0.0000"]]

    # --- Transfer 6 widgets and 2.5 kg of TEA-A to WH2 ------------------------------------------------
    page.goto(f"{base}/inventory/transfers/new/")
    page.select_option("select[name=location]", str(world.stock.pk))
    page.select_option("select[name=location_dest]", str(world.other.stock_location_id))
    page.select_option("select[name=lines-0-product]", str(world.widget.pk))
    page.fill("input[name=lines-0-quantity]", "6")
    page.select_option("select[name=lines-0-uom]", str(world.pcs.pk))
    page.select_option("select[name=lines-1-product]", str(world.tea.pk))
    page.fill("input[name=lines-1-quantity]", "2.5")
    page.select_option("select[name=lines-1-uom]", str(world.tea.uom_id))
    page.select_option("select[name=lines-1-lot]", str(lot_a.pk))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Save')")
    transfer = Transfer.objects.get()
    assert transfer.state == TransferState.DRAFT
    for label, state in (("Confirm", TransferState.CONFIRMED), ("Ship", TransferState.IN_TRANSIT),
                         ("Receive", TransferState.DONE)):
        with page.expect_navigation():
            page.click(f"form button:has-text('{label}')")
        transfer.refresh_from_db()
        assert transfer.state == state, label
    expect(page.locator(".alert-success")).to_contain_text(f"Received {transfer}")

    wh2 = world.other.stock_location
    assert (on_hand(world.widget, world.stock), on_hand(world.widget, wh2)) == (Decimal("14"), Decimal("6"))
    assert (on_hand(world.tea, world.stock, lot_a), on_hand(world.tea, wh2, lot_a)) == (Decimal("7"),
                                                                                         Decimal("2.5"))
    assert not StockQuant.objects.filter(location__usage="transit").exclude(quantity=0).exists()
    page.goto(f"{base}/inventory/stock/?group=product_location_lot")
    shown = [[cell.strip() for cell in row.locator("td").all_inner_texts()[:4]]
             for row in page.locator("table.table-list tbody tr").all()]
    assert sorted(shown) == sorted([
        [str(world.tea), "WH/Stock", "TEA-A", "7.0000"], [str(world.tea), "WH/Stock", "TEA-B", "4.2500"],
        [str(world.tea), "WH2/Stock", "TEA-A", "2.5000"], [str(world.widget), "WH/Stock", "—", "14.0000"],
        [str(world.widget), "WH2/Stock", "—", "6.0000"]])

    # --- Replenishment: WH2 holds 6 widgets against a minimum of 10: order 24 to reach 30 ---------------
    page.goto(f"{base}/inventory/replenishment/")
    rows = page.locator("[data-testid=replenishment] tbody tr")
    expect(rows).to_have_count(1)
    cells = [text.strip() for text in rows.first.locator("td").all_inner_texts()]
    assert cells[:8] == ["WH2", str(world.widget), "6.0000", "0.0000", "6.0000", "10.0000", "30.0000", "24.0000 pcs"]
    assert errors == []

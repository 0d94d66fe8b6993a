"""Valuation reports: as of any date the valuation equals the inventory accounts in the ledger; a product's
layers; slow-moving and dead stock."""

import pytest

from tessera.accounting.models import Journal
from tessera.accounting.services.ledger import entry_post_new
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.inventory.reports import move_values, product_layers, slow_moving, split_value, valuation
from tessera.products.tests.factories import ProductCategoryFactory, ProductFactory

from .conftest import D, dec


@pytest.fixture
def flow(valued):
    """Receipts and deliveries of both products over March and April, a loss, and a back-dated receipt."""
    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    valued.receive(valued.fifo, 10, "5.00", date=D(2026, 3, 2))
    valued.deliver(valued.average, 8, date=D(2026, 3, 10))
    valued.receive(valued.fifo, 10, "6.00", date=D(2026, 3, 12))
    valued.deliver(valued.fifo, 15, date=D(2026, 3, 20))
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 20))
    valued.lose(valued.average, 1, date=D(2026, 4, 2))
    valued.deliver(valued.average, 2, date=D(2026, 4, 5))
    valued.receive(valued.average, 10, "8.00", date=D(2026, 3, 5))  # back-dated: re-values 10 March on
    return valued


DAYS = [D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 19), D(2026, 3, 20),
        D(2026, 3, 31), D(2026, 4, 2), D(2026, 4, 5), D(2026, 12, 31)]


def test_valuation_as_of_any_date_equals_the_inventory_account(flow):
    for day in DAYS:
        report = valuation(flow.company, day)

        assert report.totals["value"] == report.ledger_balance == report.stock_postings \
            == flow.balance(flow.inventory, day), day
        assert report.difference == 0
        assert [account["code"] for account in report.accounts] == ["1405"]
    # April's corrections (the loss of 2 April and the delivery of 5 April) share one entry dated 2 April.
    assert [valuation(flow.company, day).totals["value"] for day in DAYS] == [
        0, dec("100.00"), dec("180.00"), dec("180.00"), dec("128.00"), dec("188.00"), dec("168.00"), dec("168.00"),
        dec("160.85"), dec("149.18"), dec("149.18")]


def test_valuation_rows_in_date_order_figures(flow):
    report = valuation(flow.company, D(2026, 3, 31))

    # Average: 10 @ 5 + 10 @ 8 (back-dated) = 130 for 20; out 8 at 6.50 = 52; + 10 @ 6: 22 units, 138.00.
    # FIFO: 10 @ 5 + 10 @ 6, out 15 = 50 + 30: 5 units, 30.00.
    assert [(row["sku"], row["quantity"], row["value"], row["unit_cost"]) for row in report.rows] == [
        ("AVG", dec("22"), dec("138.00"), dec("6.272727")), ("FIFO", dec("5"), dec("30.00"), dec("6.000000"))]
    assert report.totals == {"quantity": dec("27"), "value": dec("168.00")}
    assert report.ledger_balance == dec("168.00")


def test_valuation_grouped_by_category_and_filtered(flow):
    sub = ProductCategoryFactory(company=flow.company, name="Sub", parent=flow.category)
    other = ProductFactory(company=flow.company, sku="SUB", category=sub, uom=flow.average.uom)
    flow.receive(other, 2, "10.00", date=D(2026, 3, 25))

    grouped = valuation(flow.company, D(2026, 3, 31), group="category")
    filtered = valuation(flow.company, D(2026, 3, 31), category=sub)

    assert [(row["category_name"], row["products"], row["value"]) for row in grouped.rows] == [
        ("Goods", 2, dec("168.00")), ("Goods / Sub", 1, dec("20.00"))]
    assert grouped.totals == {"quantity": None, "value": dec("188.00")}
    assert [(row["sku"], row["value"]) for row in filtered.rows] == [("SUB", dec("20.00"))]
    assert (filtered.ledger_balance, filtered.difference) == (None, None)


def test_hand_postings_to_the_inventory_account_show_as_the_difference(flow):
    entry_post_new(actor=flow.actor, company=flow.company, date=D(2026, 3, 1),
                   journal=Journal.objects.get(company=flow.company, code="GEN"),
                   lines=[{"account": flow.inventory, "debit": "100.00"}, {"account": flow.grir, "credit": "100.00"}])

    report = valuation(flow.company, D(2026, 3, 31))

    assert (report.totals["value"], report.stock_postings, report.ledger_balance, report.difference) == (
        dec("168.00"), dec("168.00"), dec("268.00"), dec("100.00"))


def test_valuation_needs_the_permission_and_a_known_group(flow, make_user):
    with pytest.raises(PermissionDenied):
        valuation(flow.company, D(2026, 3, 31), actor=make_user("hr_officer", username="hr1"))
    with pytest.raises(ValidationFailed) as error:
        valuation(flow.company, D(2026, 3, 31), group="colour")
    assert list(error.value.fields) == ["group"]


def test_product_layers_with_running_totals(flow):
    report = product_layers(flow.company, flow.fifo)

    assert [(row["date"], row["quantity"], row["value"], row["running_quantity"], row["running_value"],
             row["remaining_quantity"]) for row in report.rows] == [
        (D(2026, 3, 2), dec("10"), dec("50.00"), dec("10"), dec("50.00"), 0),
        (D(2026, 3, 12), dec("10"), dec("60.00"), dec("20"), dec("110.00"), dec("5")),
        (D(2026, 3, 20), dec("-15"), dec("-80.00"), dec("5"), dec("30.00"), 0),
    ]
    assert all(row["entry_number"] for row in report.rows)
    assert (report.quantity, report.value) == (dec("5"), dec("30.00"))
    assert len(product_layers(flow.company, flow.fifo, as_of=D(2026, 3, 12)).rows) == 2


def test_move_values_give_the_stock_ledger_its_value_columns(flow):
    delivery = flow.deliver(flow.fifo, 1, date=D(2026, 4, 10))

    assert move_values(flow.company, [delivery.pk]) == {delivery.pk: {"value": dec("-6.00"),
                                                                      "unit_cost": dec("6.000000")}}


def test_split_value_shares_to_the_cent():
    assert split_value(dec("10.00"), {1: dec("1"), 2: dec("1"), 3: dec("1")}) == {
        1: dec("3.34"), 2: dec("3.33"), 3: dec("3.33")}
    assert split_value(dec("5.00"), {1: dec("0")}) == {None: dec("5.00")}


def test_slow_moving_and_dead_stock(valued):
    valued.receive(valued.average, 10, "5.00", date=D(2026, 1, 10))
    valued.deliver(valued.average, 2, date=D(2026, 6, 1))  # no movement since: dead after 90 days
    valued.receive(valued.fifo, 10, "6.00", date=D(2026, 1, 10))
    valued.deliver(valued.fifo, 5, date=D(2026, 9, 1))
    valued.receive(valued.fifo, 5, "6.00", date=D(2026, 12, 1))  # moved lately, not delivered: slow
    never = ProductFactory(company=valued.company, sku="NEVER", category=valued.category, uom=valued.average.uom)
    valued.receive(never, 4, "2.50", date=D(2026, 3, 2))
    recent = ProductFactory(company=valued.company, sku="RECENT", category=valued.category, uom=valued.average.uom)
    valued.receive(recent, 4, "1.00", date=D(2026, 3, 2))
    valued.deliver(recent, 1, date=D(2026, 12, 20))

    report = slow_moving(valued.company, D(2026, 12, 31), 90)

    assert [(row["sku"], row["quantity"], row["value"], row["days_since_delivery"], row["days_since_movement"],
             row["status"]) for row in report.rows] == [
        ("FIFO", dec("10"), dec("60.00"), 121, 30, "slow"),
        ("AVG", dec("8"), dec("40.00"), 213, 213, "dead"),
        ("NEVER", dec("4"), dec("10.00"), None, 304, "dead"),
    ]
    assert report.totals == {"value": dec("110.00"), "dead_value": dec("50.00"), "products": 3}
    assert [(bucket["label"], bucket["value"], bucket["products"]) for bucket in report.buckets] == [
        ("90–179 days", dec("60.00"), 1), ("180–359 days", dec("40.00"), 1), ("360 days or more", 0, 0),
        ("Never delivered", dec("10.00"), 1)]


def test_slow_moving_refuses_a_bad_number_of_days(valued):
    with pytest.raises(ValidationFailed) as error:
        slow_moving(valued.company, D(2026, 12, 31), 0)
    assert list(error.value.fields) == ["days"]

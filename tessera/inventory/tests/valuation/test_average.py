"""Moving average: worked figures, ledger balances to the cent after each step, rounding of the last unit."""

from decimal import Decimal

from .conftest import D, dec


def test_receipts_make_the_moving_average(valued):
    first = valued.receive(valued.average, 10, "5.00")
    second = valued.receive(valued.average, 10, "6.00")

    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value, cost.average_cost) == (dec("20"), dec("110.00"), dec("5.500000"))
    assert (first.value, second.value) == (dec("50.00"), dec("60.00"))
    assert valued.balances() == (dec("110.00"), dec("-110.00"), 0, 0)


def test_receipt_entry_debits_inventory_and_credits_grir_with_the_supplier(valued):
    move = valued.receive(valued.average, 10, "5.00", reference="PO-1")

    entry = move.entry
    legs = [(line.account.code, line.debit, line.credit, line.partner_id)
            for line in entry.lines.order_by("sequence")]
    assert legs == [("1405", dec("50.00"), 0, None), ("220202", 0, dec("50.00"), valued.vendor.pk)]
    assert (entry.journal.code, entry.date, entry.source, entry.reference) == (
        "STK", move.date, f"inventory.stockmove:{move.pk}", "PO-1")
    assert entry.lines.first().description == "[AVG] Average item: 10 pcs (PO-1)"


def test_delivery_at_the_average_then_the_last_units_take_what_is_left(valued):
    valued.receive(valued.average, 10, "5.00")
    valued.receive(valued.average, 10, "6.00")

    first = valued.deliver(valued.average, 15)
    cost = valued.cost(valued.average)
    assert (first.value, first.unit_cost) == (dec("82.50"), dec("5.500000"))
    assert (cost.quantity, cost.value) == (dec("5"), dec("27.50"))
    assert valued.balances() == (dec("27.50"), dec("-110.00"), dec("82.50"), 0)

    last = valued.deliver(valued.average, 5)
    cost = valued.cost(valued.average)
    assert last.value == dec("27.50")
    assert (cost.quantity, cost.value) == (0, 0)
    assert valued.balances() == (0, dec("-110.00"), dec("110.00"), 0)


def test_delivery_entry_debits_cost_of_goods_sold_and_credits_inventory(valued):
    valued.receive(valued.average, 10, "5.00")
    move = valued.deliver(valued.average, 4, reference="SO-1")

    legs = [(line.account.code, line.debit, line.credit, line.partner_id)
            for line in move.entry.lines.order_by("sequence")]
    assert legs == [("6401", dec("20.00"), 0, valued.buyer.pk), ("1405", 0, dec("20.00"), None)]


def test_three_units_for_ten_go_out_as_3_33_3_33_3_34(valued):
    valued.receive(valued.average, 3, "3.333333")
    assert valued.cost(valued.average).value == dec("10.00")

    values = [valued.deliver(valued.average, 1).value for _ in range(3)]

    assert values == [dec("3.33"), dec("3.33"), dec("3.34")]
    assert valued.cost(valued.average).value == 0
    assert valued.balances() == (0, dec("-10.00"), dec("10.00"), 0)


def test_inventory_loss_and_gain_go_to_the_gain_loss_account(valued):
    valued.receive(valued.average, 10, "5.00")
    valued.receive(valued.average, 10, "6.00")

    loss = valued.lose(valued.average, 2)
    assert loss.value == dec("11.00")
    assert [(line.account.code, line.debit, line.credit) for line in loss.entry.lines.order_by("sequence")] == [
        ("1901", dec("11.00"), 0), ("1405", 0, dec("11.00"))]

    gain = valued.gain(valued.average, 1)
    assert (gain.value, gain.unit_cost) == (dec("5.50"), dec("5.500000"))
    assert valued.balances() == (dec("104.50"), dec("-110.00"), 0, dec("5.50"))
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value, cost.average_cost) == (dec("19"), dec("104.50"), dec("5.500000"))


def test_gain_without_stock_comes_in_at_the_standard_cost(valued):
    gain = valued.gain(valued.average, 2)

    assert (gain.value, gain.unit_cost) == (dec("8.00"), dec("4.000000"))
    assert valued.balances() == (dec("8.00"), 0, 0, dec("-8.00"))


def test_customer_return_comes_back_at_the_cost_it_went_out_at(valued):
    valued.receive(valued.average, 10, "5.00")
    delivery = valued.deliver(valued.average, 4)
    valued.receive(valued.average, 10, "8.00")  # the average moves to 6.875

    back = valued.move(valued.average, 2, valued.customer, valued.stock, partner=valued.buyer, origin=delivery,
                       reference="RET")

    assert (back.value, back.unit_cost) == (dec("10.00"), dec("5.000000"))
    assert [(line.account.code, line.debit, line.credit) for line in back.entry.lines.order_by("sequence")] == [
        ("1405", dec("10.00"), 0), ("6401", 0, dec("10.00"))]
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value) == (dec("18"), dec("120.00"))
    assert valued.balances() == (dec("120.00"), dec("-130.00"), dec("10.00"), 0)


def test_return_to_the_supplier_leaves_at_the_receipt_price_and_clears_grir(valued):
    receipt = valued.receive(valued.average, 10, "5.00")
    valued.receive(valued.average, 10, "6.00")

    back = valued.move(valued.average, 4, valued.stock, valued.supplier, partner=valued.vendor, origin=receipt)

    assert back.value == dec("20.00")
    assert valued.balances() == (dec("90.00"), dec("-90.00"), 0, 0)
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value, cost.average_cost) == (dec("16"), dec("90.00"), dec("5.625000"))


def test_moves_between_valued_locations_and_non_stock_products_are_not_valued(valued):
    transit = valued.move(valued.average, 1, valued.supplier, valued.stock, unit_cost="5", partner=valued.vendor)
    from tessera.inventory.models import Location

    other = Location.objects.create(company=valued.company, warehouse=valued.warehouse, parent=valued.stock,
                                    name="A", full_name="VW/Stock/A", usage="internal")
    internal = valued.move(valued.average, 1, valued.stock, other)
    valued.average.type = "consumable"
    valued.average.save()
    consumable = valued.receive(valued.average, 1, "5.00")

    assert transit.entry is not None
    assert (internal.entry, internal.value, consumable.entry, consumable.value) == (None, 0, None, 0)
    assert valued.balances(D(2026, 12, 31)) == (dec("5.00"), dec("-5.00"), 0, 0)
    assert Decimal(valued.cost(valued.average).quantity) == 1

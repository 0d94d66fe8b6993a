"""Negative stock: what a delivery takes beyond the stock is valued at the current cost and corrected, on
the delivery, when the stock arrives."""

from tessera.inventory.models import ValuationLayer

from .conftest import D, dec


def test_delivery_without_stock_is_valued_at_the_standard_cost_then_settled_by_the_receipt(valued):
    delivery = valued.deliver(valued.average, 5, date=D(2026, 3, 2))
    assert (delivery.value, valued.cost(valued.average).value) == (dec("20.00"), dec("-20.00"))
    assert valued.layers(valued.average) == [(dec("-5"), dec("-20.00"), dec("-5"), dec("-20.00"))]

    receipt = valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 3))

    delivery.refresh_from_db()
    assert (delivery.value, delivery.unit_cost) == (dec("25.00"), dec("5.000000"))
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value, cost.average_cost) == (dec("5"), dec("25.00"), dec("5.000000"))
    settle = ValuationLayer.objects.get(move=delivery, quantity=0)
    assert (settle.value, settle.date, settle.entry_id) == (dec("-5.00"), D(2026, 3, 3), receipt.entry_id)
    legs = [(line.account.code, line.debit, line.credit) for line in receipt.entry.lines.order_by("sequence")]
    assert legs == [("1405", dec("50.00"), 0), ("6401", dec("5.00"), 0), ("220202", 0, dec("50.00")),
                    ("1405", 0, dec("5.00"))]
    assert valued.balances() == (dec("25.00"), dec("-50.00"), dec("25.00"), 0)


def test_fifo_shortfall_is_estimated_at_the_current_cost_and_settled_from_the_next_receipt(valued):
    valued.receive(valued.fifo, 10, "5.00", date=D(2026, 3, 2))
    delivery = valued.deliver(valued.fifo, 12, date=D(2026, 3, 3))
    assert delivery.value == dec("60.00")

    valued.receive(valued.fifo, 10, "6.00", date=D(2026, 3, 4))

    delivery.refresh_from_db()
    assert delivery.value == dec("62.00")
    assert valued.layers(valued.fifo) == [
        (dec("10"), dec("50.00"), 0, 0),
        (dec("-12"), dec("-60.00"), 0, 0),
        (dec("10"), dec("60.00"), dec("8"), dec("48.00")),
        (0, dec("-2.00"), 0, 0),
    ]
    assert valued.balances() == (dec("48.00"), dec("-110.00"), dec("62.00"), 0)


def test_a_receipt_smaller_than_the_shortfall_settles_part_of_it(valued):
    delivery = valued.deliver(valued.average, 10, date=D(2026, 3, 2))  # 40.00 at the standard cost

    valued.receive(valued.average, 4, "5.00", date=D(2026, 3, 3))
    delivery.refresh_from_db()
    cost = valued.cost(valued.average)
    assert (delivery.value, cost.quantity, cost.value) == (dec("44.00"), dec("-6"), dec("-24.00"))

    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 4))
    delivery.refresh_from_db()
    cost = valued.cost(valued.average)
    assert (delivery.value, cost.quantity, cost.value) == (dec("56.00"), dec("4"), dec("24.00"))
    assert valued.balances() == (dec("24.00"), dec("-80.00"), dec("56.00"), 0)

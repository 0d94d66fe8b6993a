"""FIFO: deliveries consume the oldest receipts first, to the cent, with ledger balances after each step."""

from .conftest import D, dec


def test_delivery_takes_the_oldest_receipts_first(valued):
    first = valued.receive(valued.fifo, 10, "5.00", date=D(2026, 3, 2))
    valued.receive(valued.fifo, 10, "6.00", date=D(2026, 3, 3))

    delivery = valued.deliver(valued.fifo, 15, date=D(2026, 3, 4))

    assert (delivery.value, delivery.unit_cost) == (dec("80.00"), dec("5.333333"))
    assert valued.layers(valued.fifo) == [
        (dec("10"), dec("50.00"), 0, 0),
        (dec("10"), dec("60.00"), dec("5"), dec("30.00")),
        (dec("-15"), dec("-80.00"), 0, 0),
    ]
    cost = valued.cost(valued.fifo)
    assert (cost.quantity, cost.value, cost.average_cost) == (dec("5"), dec("30.00"), dec("6.000000"))
    assert valued.balances() == (dec("30.00"), dec("-110.00"), dec("80.00"), 0)
    assert first.value == dec("50.00")


def test_the_last_unit_of_a_receipt_takes_what_is_left_of_it(valued):
    valued.receive(valued.fifo, 3, "3.333333")

    values = [valued.deliver(valued.fifo, 1).value for _ in range(3)]

    assert values == [dec("3.33"), dec("3.34"), dec("3.33")]  # cumulative: 3.33, 6.67, 10.00
    assert valued.cost(valued.fifo).value == 0
    assert valued.balances() == (0, dec("-10.00"), dec("10.00"), 0)


def test_fifo_loss_takes_the_oldest_cost(valued):
    valued.receive(valued.fifo, 10, "5.00")
    valued.receive(valued.fifo, 10, "6.00", date=D(2026, 3, 3))

    loss = valued.lose(valued.fifo, 12, date=D(2026, 3, 4))

    assert loss.value == dec("62.00")
    assert valued.balances() == (dec("48.00"), dec("-110.00"), 0, dec("62.00"))


def test_return_to_the_supplier_takes_from_its_own_receipt(valued):
    valued.receive(valued.fifo, 10, "5.00", date=D(2026, 3, 2))
    second = valued.receive(valued.fifo, 10, "6.00", date=D(2026, 3, 3))

    back = valued.move(valued.fifo, 4, valued.stock, valued.supplier, partner=valued.vendor, origin=second,
                       date=D(2026, 3, 4))

    assert back.value == dec("24.00")
    assert valued.layers(valued.fifo)[:2] == [(dec("10"), dec("50.00"), dec("10"), dec("50.00")),
                                              (dec("10"), dec("60.00"), dec("6"), dec("36.00"))]
    assert valued.balances() == (dec("86.00"), dec("-86.00"), 0, 0)

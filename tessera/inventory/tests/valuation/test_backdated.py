"""Back-dated moves: valued as if they had happened in date order; later moves whose value changes get a
correcting layer and one correcting entry per accounting period, nothing else is re-posted."""

from tessera.accounting.models import JournalEntry, Period
from tessera.accounting.services.periods import period_close
from tessera.inventory.models import ValuationLayer

from .conftest import D, dec


def _corrections(move):
    """(date, value, entry date) of the correcting layers of `move` (quantity 0)."""
    return [(layer.date, layer.value, layer.entry.date if layer.entry else None)
            for layer in ValuationLayer.objects.filter(move=move, quantity=0).order_by("date", "pk")]


def test_backdated_receipt_revalues_later_deliveries_at_the_average_with_one_entry_per_period(valued):
    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    march = valued.deliver(valued.average, 8, date=D(2026, 3, 10))  # 40.00
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 20))  # 12 units, 70.00
    april = valued.deliver(valued.average, 2, date=D(2026, 4, 5))  # 11.67 at 5.833333
    assert (march.value, april.value) == (dec("40.00"), dec("11.67"))
    entries_before = JournalEntry.objects.filter(company=valued.company).count()

    late = valued.receive(valued.average, 10, "8.00", date=D(2026, 3, 5), reference="LATE")

    # In date order: 10 @ 5 + 10 @ 8 = 130.00 for 20 (6.50); March delivery 8 x 6.50 = 52.00; 12 left at 78.00;
    # + 10 @ 6 = 138.00 for 22 (6.272727); April delivery 2 -> 12.55; 20 left at 125.45.
    march.refresh_from_db()
    april.refresh_from_db()
    assert (late.value, march.value, april.value) == (dec("80.00"), dec("52.00"), dec("12.55"))
    assert (march.unit_cost, april.unit_cost) == (dec("6.500000"), dec("6.275000"))
    assert _corrections(march) == [(D(2026, 3, 10), dec("-12.00"), D(2026, 3, 10))]
    assert _corrections(april) == [(D(2026, 4, 5), dec("-0.88"), D(2026, 4, 5))]
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value, cost.average_cost) == (dec("20"), dec("125.45"), dec("6.272727"))
    # The receipt's own entry and one correction per period (March, April): nothing else re-posted.
    corrections = JournalEntry.objects.filter(source=f"inventory.stockmove:{late.pk}").exclude(pk=late.entry_id)
    assert JournalEntry.objects.filter(company=valued.company).count() == entries_before + 3
    assert sorted((entry.date, entry.total_debit) for entry in corrections) == [
        (D(2026, 3, 10), dec("12.00")), (D(2026, 4, 5), dec("0.88"))]
    legs = [(line.account.code, line.debit, line.credit, line.partner_id)
            for line in corrections.get(date=D(2026, 3, 10)).lines.order_by("sequence")]
    assert legs == [("6401", dec("12.00"), 0, valued.buyer.pk), ("1405", 0, dec("12.00"), None)]
    assert valued.balances() == (dec("125.45"), dec("-190.00"), dec("64.55"), 0)
    assert valued.balances(D(2026, 3, 9)) == (dec("130.00"), dec("-130.00"), 0, 0)
    assert valued.balances(D(2026, 3, 31)) == (dec("138.00"), dec("-190.00"), dec("52.00"), 0)


def test_backdated_receipt_revalues_fifo_deliveries_and_the_remaining_layers(valued):
    valued.receive(valued.fifo, 10, "5.00", date=D(2026, 3, 2))
    delivery = valued.deliver(valued.fifo, 8, date=D(2026, 3, 10))  # 40.00 from the receipt at 5
    valued.receive(valued.fifo, 10, "6.00", date=D(2026, 3, 20))

    late = valued.receive(valued.fifo, 10, "4.00", date=D(2026, 3, 1))

    # In date order the delivery takes 8 of the 1 March receipt at 4.00 = 32.00.
    delivery.refresh_from_db()
    assert (late.value, delivery.value) == (dec("40.00"), dec("32.00"))
    assert valued.layers(valued.fifo) == [
        (dec("10"), dec("40.00"), dec("2"), dec("8.00")),
        (dec("10"), dec("50.00"), dec("10"), dec("50.00")),
        (dec("-8"), dec("-40.00"), 0, 0),
        (0, dec("8.00"), 0, 0),
        (dec("10"), dec("60.00"), dec("10"), dec("60.00")),
    ]
    cost = valued.cost(valued.fifo)
    assert (cost.quantity, cost.value) == (dec("22"), dec("118.00"))
    assert valued.balances() == (dec("118.00"), dec("-150.00"), dec("32.00"), 0)


def test_backdated_delivery_takes_the_cost_of_its_date(valued):
    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 20))

    delivery = valued.deliver(valued.average, 4, date=D(2026, 3, 10))

    assert delivery.value == dec("20.00")
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value, cost.average_cost) == (dec("16"), dec("90.00"), dec("5.625000"))
    assert valued.balances() == (dec("90.00"), dec("-110.00"), dec("20.00"), 0)


def test_backdated_receipt_before_a_negative_delivery_undoes_its_estimate(valued):
    delivery = valued.deliver(valued.average, 5, date=D(2026, 3, 10))  # 20.00 at the standard cost
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 20))  # settles it at 6.00: 30.00
    delivery.refresh_from_db()
    assert delivery.value == dec("30.00")

    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 5))

    delivery.refresh_from_db()
    assert delivery.value == dec("25.00")
    # The estimate (20.00) and the settlement of 20 March (-10.00) make way for 25.00 at the late receipt's
    # cost: one correction of +5.00 in March, dated the delivery's day.
    assert _corrections(delivery) == [(D(2026, 3, 10), dec("5.00"), D(2026, 3, 10)),
                                      (D(2026, 3, 20), dec("-10.00"), D(2026, 3, 20))]
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value) == (dec("15"), dec("85.00"))
    assert valued.balances() == (dec("85.00"), dec("-110.00"), dec("25.00"), 0)


def test_backdated_receipt_between_a_negative_delivery_and_its_settlement_settles_it_instead(valued):
    delivery = valued.deliver(valued.average, 5, date=D(2026, 3, 10))
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 20))

    late = valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 15))

    delivery.refresh_from_db()
    assert delivery.value == dec("25.00")
    # Settled by the late receipt (-5.00 on 15 March), and the settlement of 20 March (-10.00) taken back
    # on its own day, so the valuation of every day between is the one in date order.
    assert _corrections(delivery) == [(D(2026, 3, 15), dec("-5.00"), D(2026, 3, 15)),
                                      (D(2026, 3, 20), dec("-10.00"), D(2026, 3, 20)),
                                      (D(2026, 3, 20), dec("10.00"), D(2026, 3, 20))]
    assert valued.balances(D(2026, 3, 17)) == (dec("25.00"), dec("-50.00"), dec("25.00"), 0)
    assert late.entry.lines.count() == 4  # the receipt and the settlement of the delivery
    cost = valued.cost(valued.average)
    assert (cost.quantity, cost.value) == (dec("15"), dec("85.00"))
    assert valued.balances() == (dec("85.00"), dec("-110.00"), dec("25.00"), 0)


def test_correction_of_a_closed_period_goes_to_the_first_open_day(valued):
    valued.receive(valued.average, 10, "5.00", date=D(2026, 2, 2))
    delivery = valued.deliver(valued.average, 8, date=D(2026, 3, 10))
    period_close(actor=valued.actor, period=Period.objects.get(company=valued.company, name="2026-03"))

    valued.receive(valued.average, 10, "8.00", date=D(2026, 2, 20))

    delivery.refresh_from_db()
    assert delivery.value == dec("52.00")
    assert _corrections(delivery) == [(D(2026, 4, 1), dec("-12.00"), D(2026, 4, 1))]
    assert valued.balances(D(2026, 3, 31)) == (dec("90.00"), dec("-130.00"), dec("40.00"), 0)
    assert valued.balances() == (dec("78.00"), dec("-130.00"), dec("52.00"), 0)

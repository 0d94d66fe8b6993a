"""Invariants (hypothesis): moves valued in any order of entry, back-dated ones included, end with the values
the same moves give valued in date order; the books' checks hold after every sequence."""

import itertools

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.core.checks_registry import run_checks
from tessera.inventory.models import ProductCost, ValuationLayer
from tessera.inventory.reports import valuation
from tessera.products.tests.factories import ProductFactory

from .conftest import D, dec

COUNTER = itertools.count()
STEP = st.tuples(st.sampled_from(["receive", "deliver", "lose", "gain"]), st.integers(1, 12), st.integers(1, 28),
                 st.sampled_from(["4.10", "5.00", "5.75", "6.333333"]))


def _do(valued, product, kind, quantity, day, cost):
    date = D(2026, 3, day)
    if kind == "receive":
        return valued.receive(product, quantity, cost, date=date)
    return getattr(valued, kind)(product, quantity, date=date)


def _state(product, moves):
    cost = ProductCost.objects.get(product=product)
    remaining = []
    for move in moves:
        move.refresh_from_db()
        main = ValuationLayer.objects.exclude(quantity=0).get(move=move)
        remaining.append((main.remaining_quantity, main.remaining_value))
    return (cost.quantity, cost.value, cost.average_cost), [move.value for move in moves], remaining


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=2, max_size=8), method=st.sampled_from(["average", "fifo"]))
def test_moves_entered_out_of_date_order_end_as_in_date_order(valued, steps, method):
    with transaction.atomic():  # each example on its own: rolled back at the end
        _check_sequence(valued, steps, method)
        transaction.set_rollback(True)


def _check_sequence(valued, steps, method):
    number = next(COUNTER)
    as_entered = ProductFactory(company=valued.company, sku=f"E{number}", category=valued.category,
                                uom=valued.average.uom, costing_method=method, standard_cost=dec("4"))
    in_order = ProductFactory(company=valued.company, sku=f"O{number}", category=valued.category,
                              uom=valued.average.uom, costing_method=method, standard_cost=dec("4"))
    entered = [_do(valued, as_entered, *step) for step in steps]
    order = sorted(range(len(steps)), key=lambda index: (steps[index][2], index))
    ordered = dict(zip(order, [_do(valued, in_order, *steps[index]) for index in order], strict=True))

    assert _state(as_entered, entered) == _state(in_order, [ordered[index] for index in range(len(steps))])
    for day in (D(2026, 3, 1), D(2026, 3, 10), D(2026, 3, 20), D(2026, 3, 31)):
        report = valuation(valued.company, day)
        assert report.totals["value"] == report.ledger_balance
    assert run_checks(valued.company) == []

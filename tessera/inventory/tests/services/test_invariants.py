"""Stock equals moves, whatever happens: random receipts, reservations, deliveries, cancellations and internal
moves; afterwards every quant equals the sum of its done lines, reservations equal the open lines (the
check-books checks, valuation's included) and nothing is negative in a warehouse that refuses it."""

from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.core.checks_registry import run_checks
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.inventory.choices import LocationUsage
from tessera.inventory.models import StockMove, StockQuant
from tessera.inventory.services import (
    InsufficientStock,
    move_cancel,
    move_confirm,
    move_create,
    move_done,
    move_unreserve,
)

from ..conftest import D, outgoing, receive

LOTS = {"L1": D(2026, 6, 1), "L2": D(2026, 9, 1), "L3": None}

operation = st.one_of(
    st.tuples(st.just("receive"), st.sampled_from(["widget", "tea"]), st.integers(1, 8), st.integers(0, 2),
              st.sampled_from(sorted(LOTS))),
    st.tuples(st.just("confirm"), st.sampled_from(["widget", "tea"]), st.integers(1, 10), st.integers(0, 2)),
    st.tuples(st.just("done"), st.integers(0, 30)),
    st.tuples(st.just("deliver_now"), st.sampled_from(["widget", "tea"]), st.integers(1, 6), st.integers(0, 2)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("unreserve"), st.integers(0, 30)),
    st.tuples(st.just("internal"), st.sampled_from(["widget", "tea"]), st.integers(1, 5), st.integers(0, 2),
              st.integers(0, 2)),
)


class Rollback(Exception):
    pass


def _open_move(stock, index):
    moves = list(StockMove.objects.filter(company=stock.company, state__in=["confirmed", "assigned"]).order_by("pk"))
    return moves[index % len(moves)] if moves else None


def _run(stock, op):
    places = [stock.stock, stock.shelf_a, stock.shelf_b]
    kind = op[0]
    try:
        if kind == "receive":
            _kind, name, quantity, place, lot = op
            product = getattr(stock, name)
            if name == "tea":
                receive(stock, product, quantity, location=places[place], lot_name=lot, expiry_on=LOTS[lot])
            else:
                receive(stock, product, quantity, location=places[place])
        elif kind == "confirm":
            _kind, name, quantity, place = op
            move_confirm(actor=stock.clerk, move=outgoing(stock, getattr(stock, name), quantity,
                                                          location=places[place]))
        elif kind == "deliver_now":
            _kind, name, quantity, place = op
            move_done(actor=stock.clerk, move=outgoing(stock, getattr(stock, name), quantity, location=places[place]))
        elif kind == "internal":
            _kind, name, quantity, source, destination = op
            if source == destination:
                return
            move = move_create(actor=stock.clerk, company=stock.company, data={
                "product": getattr(stock, name), "quantity": Decimal(quantity), "location": places[source],
                "location_dest": places[destination]})
            move_done(actor=stock.clerk, move=move)
        else:
            move = _open_move(stock, op[1])
            if move is not None:
                {"done": move_done, "cancel": move_cancel, "unreserve": move_unreserve}[kind](actor=stock.clerk,
                                                                                          move=move)
    except (InsufficientStock, InvalidState, ValidationFailed):
        pass  # refused: nothing written (the invariants below check that too)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_stock_always_equals_moves(stock, operations):
    try:
        with transaction.atomic():
            for op in operations:
                _run(stock, op)
            assert run_checks(stock.company) == []
            internal = StockQuant.objects.filter(company=stock.company, location__usage=LocationUsage.INTERNAL)
            assert [(q.product_id, q.location_id, q.quantity, q.reserved) for q in internal
                    if q.quantity < 0 or q.reserved > q.quantity or q.reserved < 0] == []
            raise Rollback
    except Rollback:
        pass

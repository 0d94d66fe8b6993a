"""No oversell under concurrency (PostgreSQL): many simultaneous reservations and deliveries that together
exceed the stock; exactly the ones that fit succeed, the others get insufficient_stock, and the quants end
exactly at zero."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tessera.core.checks_registry import run_checks
from tessera.inventory.models import StockMove, StockQuant
from tessera.inventory.services import InsufficientStock, move_confirm, move_done

from ..conftest import outgoing, receive

THREADS = 20


def _race(stock, work) -> tuple[list, list, list]:
    start = threading.Barrier(THREADS)
    succeeded, refused, errors = [], [], []

    def worker(index: int) -> None:
        try:
            start.wait()
            work(index)
            succeeded.append(index)
        except InsufficientStock:
            refused.append(index)
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return succeeded, refused, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_deliveries_never_oversell(stock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    receive(stock, stock.widget, 6, location=stock.shelf_a)
    receive(stock, stock.widget, 4, location=stock.shelf_b)
    moves = [outgoing(stock, stock.widget, 1) for _index in range(THREADS)]

    def deliver(index):
        move = move_confirm(actor=stock.clerk, move=moves[index], reserve="all")
        move_done(actor=stock.clerk, move=move)

    succeeded, refused, errors = _race(stock, deliver)
    assert errors == []
    assert (len(succeeded), len(refused)) == (10, 10)
    assert StockMove.objects.filter(pk__in=[m.pk for m in moves], state="done").count() == 10
    assert StockMove.objects.filter(pk__in=[m.pk for m in moves], state="draft").count() == 10
    assert [(q.quantity, q.reserved) for q in StockQuant.objects.filter(product=stock.widget)] == [
        (Decimal("0"), Decimal("0"))] * 2
    assert run_checks(stock.company) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_reservations_take_exactly_the_stock(stock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    receive(stock, stock.widget, 10)
    moves = [outgoing(stock, stock.widget, 1) for _index in range(THREADS)]
    succeeded, refused, errors = _race(
        stock, lambda index: move_confirm(actor=stock.clerk, move=moves[index], reserve="all"))
    assert errors == []
    assert (len(succeeded), len(refused)) == (10, 10)
    quant = StockQuant.objects.get(product=stock.widget, location=stock.stock)
    assert (quant.quantity, quant.reserved, quant.available) == (Decimal("10"), Decimal("10"), Decimal("0"))
    assert run_checks(stock.company) == []

"""Deliveries of one product at once (PostgreSQL): the product's cost row lock values them one after the
other, so the stock's value never goes astray and the books' checks hold."""

import threading

import pytest
from django.db import connection

from tessera.core.checks_registry import run_checks
from tessera.inventory.models import ProductCost, StockMove

from .conftest import D, dec

THREADS, PER_THREAD = 5, 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_product_are_valued_one_after_the_other(valued):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    valued.receive(valued.average, 30, "3.333333", date=D(2026, 3, 2))  # 100.00 for 30
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def deliverer() -> None:
        try:
            start.wait()
            for _ in range(PER_THREAD):
                valued.deliver(valued.average, 2, date=D(2026, 3, 3))
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliverer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    cost = ProductCost.objects.get(product=valued.average)
    deliveries = StockMove.objects.filter(product=valued.average, location=valued.stock)
    assert (cost.quantity, cost.value) == (0, 0)
    assert sorted(move.value for move in deliveries) == [dec("6.62")] + [dec("6.67")] * 14
    assert valued.balances() == (0, dec("-100.00"), dec("100.00"), 0)
    assert run_checks(valued.company) == []

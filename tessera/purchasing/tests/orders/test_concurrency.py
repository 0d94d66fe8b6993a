"""Two people confirming the same order at once (PostgreSQL): the order row lock queues them, so the order
is numbered once and gets one set of incoming moves; the second finds it confirmed (409)."""

import threading

import pytest
from django.db import connection

from tessera.inventory.models import StockMove
from tessera.purchasing.services.orders import order_confirm

THREADS = 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirms_number_the_order_once(p, make_order):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    order = make_order()
    start = threading.Barrier(THREADS)
    outcomes: list = []

    def confirm(user) -> None:
        try:
            start.wait()
            outcomes.append(order_confirm(actor=user, order=order))
        except BaseException as error:  # reported to the main thread below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(user,)) for user in (p.purchaser, p.manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    order.refresh_from_db()
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["InvalidState", "PurchaseOrder"]
    assert (order.state, order.number) == ("confirmed", "PO-2026-00001")
    assert StockMove.objects.filter(source__startswith="purchasing.purchaseorderline:").count() == 1

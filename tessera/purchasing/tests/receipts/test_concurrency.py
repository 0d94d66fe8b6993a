"""Two simultaneous receipts of the same order line never exceed the over-receipt tolerance (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from tessera.core.errors import ValidationFailed
from tessera.purchasing.models import Receipt
from tessera.purchasing.services.receipts import order_receive

from ..conftest import TODAY, dec
from .factories import line_of, on_hand, set_tolerance, widget_order


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_receipts_of_one_line_at_once_stay_within_the_tolerance(p):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    set_tolerance(p, "10")
    order = widget_order(p)
    line = line_of(order, p.widget)
    start = threading.Barrier(2)
    succeeded, refused, failures = [], [], []

    def worker(index: int) -> None:
        try:
            start.wait()
            order_receive(actor=p.clerk, order=order, date=TODAY, lines=[{"line": line.pk, "quantity": "6"}])
            succeeded.append(index)
        except ValidationFailed as error:
            refused.append(error.fields)
        except BaseException as error:  # reported to the main thread below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert (len(succeeded), [list(fields) for fields in refused]) == (1, [["lines.0.quantity"]])
    line.refresh_from_db()
    assert line.quantity_received == dec(6)
    assert Receipt.objects.count() == 1
    assert on_hand(p, p.widget) == dec(72)
    assert p.balance("220202") == dec("-720.00")

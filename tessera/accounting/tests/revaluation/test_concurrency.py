"""Revaluations at the same time (PostgreSQL): the company row lock lets one post, the others see it."""

import threading

import pytest
from django.db import connection

from tessera.accounting.models import Revaluation
from tessera.accounting.services.revaluation import RevaluationExists, revaluation_post
from tessera.core.checks_registry import run_checks

from .conftest import CLOSING, usd_invoice

THREADS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_revaluations_of_one_date_post_once(books, fx):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    usd_invoice(books)
    start = threading.Barrier(THREADS)
    outcomes: list = []

    def poster() -> None:
        try:
            start.wait()
            outcomes.append(revaluation_post(actor=books.actor, company=books.company, date=CLOSING))
        except BaseException as error:  # reported to the main thread below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=poster) for _index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Revaluation"] + ["RevaluationExists"] * 3
    assert all(isinstance(outcome, Revaluation | RevaluationExists) for outcome in outcomes)
    assert Revaluation.objects.get().total_gain == 100
    assert run_checks(books.company) == []

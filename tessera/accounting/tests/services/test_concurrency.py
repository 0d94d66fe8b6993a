"""Many posters at once (PostgreSQL): the company row lock keeps numbers gapless and the chain intact."""

import datetime
import threading

import pytest
from django.db import connection

from tessera.accounting.models import JournalEntry
from tessera.accounting.services.chain import verify_chain
from tessera.accounting.services.ledger import entry_post_new
from tessera.core.checks_registry import run_checks

from .helpers import legs

THREADS, PER_THREAD = 6, 10
MONTHS = (1, 2, 3)  # different periods: only the company row lock orders the chain across them


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_get_gapless_numbers_and_one_unbroken_chain(ledger, accountant):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def poster(index: int) -> None:
        try:
            start.wait()
            for number in range(PER_THREAD):
                amount = f"{index + 1}.{number:02d}"
                entry_post_new(actor=accountant, company=ledger.company, journal=ledger.journal,
                               date=datetime.date(2026, MONTHS[index % len(MONTHS)], 15),
                               lines=legs((ledger.cash, amount, 0), (ledger.revenue, 0, amount)))
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=poster, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    posted = JournalEntry.objects.filter(company=ledger.company, state="posted")
    total = THREADS * PER_THREAD
    per_month = total // len(MONTHS)
    assert sorted(posted.values_list("number", flat=True)) == [
        f"记-2026{month:02d}-{n:04d}" for month in MONTHS for n in range(1, per_month + 1)]
    assert sorted(posted.values_list("chain_index", flat=True)) == list(range(1, total + 1))
    assert verify_chain(ledger.company) == []
    assert run_checks(ledger.company) == []

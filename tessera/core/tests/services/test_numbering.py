"""Gapless document numbers: prefixes, resets, fiscal years, rollbacks, and many writers at once."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.core.models import Sequence, SequenceCounter
from tessera.core.services.numbering import sequence_next_number
from tessera.core.tests.factories import CompanyFactory

D = datetime.date
DAY = D(2026, 11, 20)


def _sequence(company, code="so", prefix="SO-{fy}-", padding=5, reset="yearly"):
    return Sequence.objects.create(company=company, code=code, name=code, prefix=prefix, padding=padding, reset=reset)


def _take(company, code="so", on=DAY) -> str:
    with transaction.atomic():
        return sequence_next_number(company=company, code=code, on=on)


@pytest.mark.django_db
def test_numbers_count_up_with_the_fiscal_year_in_the_prefix(company):
    _sequence(company)

    assert [_take(company), _take(company)] == ["SO-2026-00001", "SO-2026-00002"]


@pytest.mark.django_db
def test_yearly_numbers_restart_in_a_new_fiscal_year(company):
    _sequence(company)
    _take(company, on=D(2026, 12, 31))

    assert _take(company, on=D(2027, 1, 1)) == "SO-2027-00001"


@pytest.mark.django_db
def test_fiscal_year_starting_in_april_names_the_year_it_starts_in():
    company = CompanyFactory(code="JP1", fiscal_year_start_month=4)
    _sequence(company)

    assert _take(company, on=D(2027, 3, 31)) == "SO-2026-00001"
    assert _take(company, on=D(2027, 4, 1)) == "SO-2027-00001"
    assert _take(company, on=D(2027, 12, 1)) == "SO-2027-00002"


@pytest.mark.django_db
def test_monthly_vouchers_use_year_and_month_and_restart_each_month(company):
    _sequence(company, code="journal_entry", prefix="记-{year}{month}-", padding=4, reset="monthly")

    assert _take(company, "journal_entry", D(2026, 11, 30)) == "记-202611-0001"
    assert _take(company, "journal_entry", D(2026, 11, 30)) == "记-202611-0002"
    assert _take(company, "journal_entry", D(2026, 12, 1)) == "记-202612-0001"


@pytest.mark.django_db
def test_a_sequence_that_never_resets_runs_across_years(company):
    _sequence(company, code="emp", prefix="E", padding=3, reset="never")
    _take(company, "emp", D(2026, 12, 31))

    assert _take(company, "emp", D(2030, 1, 1)) == "E002"


@pytest.mark.django_db
def test_a_document_type_without_a_sequence_gets_the_default_one(company):
    assert _take(company, "journal_entry", D(2026, 5, 6)) == "记-202605-0001"
    assert Sequence.objects.get(company=company, code="journal_entry").reset == "monthly"


@pytest.mark.django_db
def test_companies_number_independently(company, other_company):
    _take(company)

    assert _take(other_company) == "SO-2026-00001"


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back(company):
    _take(company)
    with pytest.raises(RuntimeError), transaction.atomic():
        sequence_next_number(company=company, code="so", on=D(2026, 11, 20))
        raise RuntimeError("the posting failed")

    assert _take(company) == "SO-2026-00002"


@pytest.mark.django_db(transaction=True)  # no test transaction around it
def test_numbers_are_taken_only_inside_a_transaction(company):
    with pytest.raises(RuntimeError):
        sequence_next_number(company=company, code="so", on=D(2026, 11, 20))

    assert not SequenceCounter.objects.exists()


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=1, max_value=30), padding=st.integers(min_value=1, max_value=8))
def test_numbering_yields_strictly_consecutive_numbers(company, count, padding):
    code = uuid.uuid4().hex[:12]
    _sequence(company, code=code, prefix="X-", padding=padding, reset="never")

    numbers = [_take(company, code) for _ in range(count)]

    assert [int(number.removeprefix("X-")) for number in numbers] == list(range(1, count + 1))
    assert all(len(number) >= len("X-") + padding for number in numbers)


THREADS, PER_THREAD = 8, 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_no_gap_and_no_duplicate():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    company = CompanyFactory(code="PAR")
    start = threading.Barrier(THREADS)
    committed: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            start.wait()
            for attempt in range(PER_THREAD):
                try:
                    with transaction.atomic():
                        number = sequence_next_number(company=company, code="so", on=D(2026, 11, 20))
                        if (index + attempt) % 5 == 0:
                            raise ValueError("rolled back on purpose")
                except ValueError:
                    continue
                with lock:
                    committed.append(number)
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    values = sorted(int(number.rsplit("-", 1)[1]) for number in committed)
    assert len(values) == THREADS * PER_THREAD - THREADS * PER_THREAD // 5
    assert values == list(range(1, len(values) + 1))

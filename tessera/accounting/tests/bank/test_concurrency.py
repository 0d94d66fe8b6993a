"""Many reconcilers at once (PostgreSQL): a ledger line is matched once, a file is imported once."""

import threading

import pytest
from django.db import connection

from tessera.accounting.models import BankMatch, BankStatement
from tessera.accounting.services.bank_import import statement_import
from tessera.accounting.services.bank_reconcile import statement_line_match
from tessera.core.errors import Conflict

from .conftest import MARCH, D, cn_csv, lines_of, post_bank_entry

THREADS = 4
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(work) -> tuple[list, list[BaseException]]:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    start, results, errors = threading.Barrier(THREADS), [], []

    def worker(index: int) -> None:
        try:
            start.wait()
            results.append(work(index))
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_one_ledger_line_is_matched_by_one_statement_line_only(books, bank, accountant):
    fee = ["2026-03-21", "15.00", "", "", "手续费", "", "", ""]
    statement = statement_import(actor=accountant, bank_account=bank, content=cn_csv([fee] * THREADS))
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))
    lines = lines_of(statement)

    results, errors = run_together(lambda index: statement_line_match(actor=accountant, line=lines[index],
                                                                       lines=[booked.pk]))

    assert len(results) == 1
    assert [(type(error), error.code) for error in errors] == [(Conflict, "already_matched")] * (THREADS - 1)
    assert BankMatch.objects.filter(journal_line=booked).count() == 1
    assert sorted(line.state for line in lines_of(statement)) == ["reconciled"] + ["unreconciled"] * (THREADS - 1)


def test_one_file_sent_by_several_at_once_is_imported_once(bank, accountant):
    results, errors = run_together(lambda index: statement_import(actor=accountant, bank_account=bank,
                                                                   content=cn_csv(MARCH)))

    assert len(results) == 1
    assert [error.code for error in errors] == ["duplicate_file"] * (THREADS - 1)
    assert BankStatement.objects.count() == 1 and BankStatement.objects.get().lines.count() == 3

"""Tamper evidence: rows changed in SQL behind the application's back are caught by verify-ledger."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tessera.accounting.services.chain import verify_chain
from tessera.accounting.services.ledger import entry_reverse

from .helpers import posted

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def books(ledger, accountant):
    """Three posted entries: 记-202601-0001..0003."""
    return [posted(ledger, accountant, D(2026, 1, day), (ledger.cash, 100 * day, 0), (ledger.revenue, 0, 100 * day))
            for day in (1, 2, 3)]


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_untouched_chain_verifies(ledger, accountant, books):
    entry_reverse(actor=accountant, entry=books[0], date=D(2026, 1, 4))

    assert verify_chain(ledger.company) == []


def test_each_entry_links_to_the_one_posted_before(books):
    assert [entry.chain_index for entry in books] == [1, 2, 3]
    assert [entry.previous_hash for entry in books] == ["", books[0].hash, books[1].hash]


@pytest.mark.corrupts_books
def test_a_posted_amount_changed_in_sql_is_caught(ledger, books):
    line = books[1].lines.get(account=ledger.cash)
    _sql("UPDATE accounting_journalentryline SET debit=%s WHERE id=%s", "999.00", line.pk)

    assert verify_chain(ledger.company) == ["记-202601-0002: content changed after posting"]


@pytest.mark.corrupts_books
def test_a_line_moved_to_another_account_in_sql_is_caught(ledger, books):
    line = books[0].lines.get(account=ledger.cash)
    _sql("UPDATE accounting_journalentryline SET account_id=%s WHERE id=%s", ledger.bank.pk, line.pk)

    assert verify_chain(ledger.company) == ["记-202601-0001: content changed after posting"]


@pytest.mark.corrupts_books
def test_a_broken_hash_link_is_caught(ledger, books):
    _sql("UPDATE accounting_journalentry SET previous_hash=%s WHERE id=%s", "", books[2].pk)

    assert verify_chain(ledger.company) == ["记-202601-0003: does not link to the entry before it",
                                            "记-202601-0003: content changed after posting"]


@pytest.mark.corrupts_books
def test_a_changed_header_is_caught(ledger, books):
    _sql("UPDATE accounting_journalentry SET date=%s WHERE id=%s", "2026-01-09", books[0].pk)

    assert verify_chain(ledger.company) == ["记-202601-0001: content changed after posting"]


@pytest.mark.corrupts_books
def test_a_deleted_entry_leaves_a_gap(ledger, books):
    _sql("DELETE FROM accounting_journalentryline WHERE entry_id=%s", books[1].pk)
    _sql("DELETE FROM accounting_journalentry WHERE id=%s", books[1].pk)

    assert verify_chain(ledger.company) == ["记-202601-0003: chain position 3, expected 2",
                                            "记-202601-0003: does not link to the entry before it"]


@pytest.mark.corrupts_books
def test_an_entry_set_back_to_draft_is_caught(ledger, books):
    _sql("UPDATE accounting_journalentry SET state='draft' WHERE id=%s", books[2].pk)

    assert verify_chain(ledger.company) == ["记-202601-0003: has a posting hash but is not posted"]


def test_verify_ledger_prints_ok_per_company(ledger, books, capsys):
    call_command("verify_ledger")

    assert capsys.readouterr().out == "ACME: OK (3 posted entries)\n"


@pytest.mark.corrupts_books
def test_verify_ledger_prints_each_problem_and_fails(ledger, books, capsys):
    _sql("UPDATE accounting_journalentryline SET credit=%s WHERE id=%s", "1.00",
         books[0].lines.get(account=ledger.revenue).pk)

    with pytest.raises(CommandError) as error:
        call_command("verify_ledger", company="ACME")

    assert capsys.readouterr().out == "ACME: 记-202601-0001: content changed after posting\n"
    assert str(error.value) == "1 problem found."


def test_verify_ledger_refuses_an_unknown_company(ledger):
    with pytest.raises(CommandError) as error:
        call_command("verify_ledger", company="NOPE")

    assert str(error.value) == "There is no company NOPE."


def test_the_tessera_command_accepts_the_dashed_name(ledger, books, capsys):
    # Not through main(): Django's command runner closes the database connection the test still uses.
    from tessera.cli import command_args

    call_command(*command_args(["verify-ledger", "--company", "ACME"]))

    assert capsys.readouterr().out == "ACME: OK (3 posted entries)\n"

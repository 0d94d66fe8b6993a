"""check-books: the registry, the command, and each ledger check catching what it guards."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tessera.accounting import checks
from tessera.accounting.models import AccountBalance
from tessera.accounting.tests.factories import AccountFactory
from tessera.core import checks_registry
from tessera.core.checks_registry import register_check, run_checks

from .helpers import posted

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def books(ledger, accountant, customer):
    return [
        posted(ledger, accountant, D(2026, 1, 5), (ledger.receivable, "113.00", 0, customer),
               (ledger.revenue, 0, "100.00"), (ledger.output_vat, 0, "13.00")),
        posted(ledger, accountant, D(2026, 2, 5), (ledger.bank, "113.00", 0),
               (ledger.receivable, 0, "113.00", customer)),
    ]


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_ledger_registers_its_checks():
    assert {"accounting.entries_balance", "accounting.balances_match_lines", "accounting.hash_chain",
            "accounting.leaf_accounts", "accounting.control_accounts"} <= set(checks_registry.CHECKS)


def test_clean_books_have_no_problem(ledger, books):
    assert run_checks(ledger.company) == []


@pytest.mark.corrupts_books
def test_a_registered_check_runs_for_every_company(ledger, other_company, monkeypatch):
    monkeypatch.setattr(checks_registry, "CHECKS", dict(checks_registry.CHECKS))
    register_check("test.named", lambda company: [f"{company.code} looked at"])

    assert ("test.named", "OTHER looked at") in run_checks(other_company)


@pytest.mark.corrupts_books
def test_a_line_amount_changed_in_sql_breaks_the_balance_checks(ledger, books):
    line = books[0].lines.get(account=ledger.revenue)
    _sql("UPDATE accounting_journalentryline SET credit=%s WHERE id=%s", "90.00", line.pk)

    assert checks.entries_balance(ledger.company) == [
        "记-202601-0001: its 3 lines add up to debit 113.00 and credit 103.00, its total is 113.00"]
    assert checks.balances_match_lines(ledger.company) == [
        "Account 6001, period 2026-01: balance 0.00/100.00, posted lines 0.00/90.00"]
    assert checks.hash_chain(ledger.company) == ["记-202601-0001: content changed after posting"]


@pytest.mark.corrupts_books
def test_an_unbalanced_total_is_reported(ledger, books):
    _sql("UPDATE accounting_journalentry SET total_credit=total_debit WHERE id=%s", books[0].pk)  # stays legal
    _sql("UPDATE accounting_journalentryline SET credit=%s WHERE entry_id=%s AND account_id=%s", "1.00",
         books[0].pk, ledger.output_vat.pk)

    assert checks.entries_balance(ledger.company) == [
        "记-202601-0001: its 3 lines add up to debit 113.00 and credit 101.00, its total is 113.00"]


@pytest.mark.corrupts_books
def test_a_balance_row_changed_in_sql_is_reported(ledger, books):
    row = AccountBalance.objects.get(account=ledger.bank)
    _sql("UPDATE accounting_accountbalance SET debit=%s WHERE id=%s", "1.00", row.pk)

    assert checks.balances_match_lines(ledger.company) == [
        "Account 1002, period 2026-02: balance 1.00/0.00, posted lines 113.00/0.00",
        "The ledger does not balance: debits 114.00, credits 226.00",
    ]


@pytest.mark.corrupts_books
def test_a_line_unmarked_as_posted_is_reported(ledger, books):
    line = books[1].lines.get(account=ledger.bank)
    _sql("UPDATE accounting_journalentryline SET is_posted=%s WHERE id=%s", False, line.pk)

    assert checks.entries_balance(ledger.company) == [
        f"Line #{line.pk} of 记-202602-0001 does not match its entry (posting, period, date or company)"]


@pytest.mark.corrupts_books
def test_postings_on_an_account_that_got_sub_accounts_are_reported(ledger, books):
    AccountFactory(company=ledger.company, code="600101", name="Goods", type="income", parent=ledger.revenue)

    assert checks.leaf_accounts(ledger.company) == ["Account 6001 has sub-accounts but posted lines"]


@pytest.mark.corrupts_books
def test_a_receivable_line_without_partner_is_reported(ledger, books):
    line = books[1].lines.get(account=ledger.receivable)
    _sql("UPDATE accounting_journalentryline SET partner_id=NULL WHERE id=%s", line.pk)

    assert checks.control_accounts(ledger.company) == [
        "Control account 1122: partner balances add up to 113.00, the account to 0.00"]


def test_check_books_prints_ok_per_company(ledger, other_company, books, capsys):
    call_command("check_books")

    count = len(checks_registry.CHECKS)
    assert capsys.readouterr().out == f"ACME: OK ({count} checks)\nOTHER: OK ({count} checks)\n"


@pytest.mark.corrupts_books
def test_check_books_prints_each_problem_with_its_check_and_fails(ledger, books, capsys):
    row = AccountBalance.objects.get(account=ledger.bank)
    _sql("UPDATE accounting_accountbalance SET debit=%s WHERE id=%s", "1.00", row.pk)

    with pytest.raises(CommandError) as error:
        call_command("check_books", company="ACME")

    assert capsys.readouterr().out.splitlines() == [
        "ACME [accounting.balances_match_lines]: Account 1002, period 2026-02: balance 1.00/0.00, posted lines "
        "113.00/0.00",
        "ACME [accounting.balances_match_lines]: The ledger does not balance: debits 114.00, credits 226.00",
    ]
    assert str(error.value) == "2 problems found."


def test_check_books_refuses_an_unknown_company(ledger):
    with pytest.raises(CommandError) as error:
        call_command("check_books", company="NOPE")

    assert str(error.value) == "There is no company NOPE."

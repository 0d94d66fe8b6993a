"""check-books' bank checks find matches and states changed behind the services' back."""

import pytest

from tessera.accounting.checks_bank import bank_matches, bank_statement_states
from tessera.accounting.models import BankMatch, BankStatement, BankStatementLine
from tessera.accounting.services.bank_reconcile import statement_line_match
from tessera.core.checks_registry import CHECKS

from .conftest import D, lines_of, post_bank_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched_fee(books, bank, statement, accountant):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))
    return statement_line_match(actor=accountant, line=lines_of(statement)[1], lines=[booked]), booked


def test_the_checks_are_registered():
    assert {"accounting.bank_matches", "accounting.bank_statement_states"} <= set(CHECKS)


def test_clean_reconciliations_have_no_problems(matched_fee, books):
    assert bank_matches(books.company) == bank_statement_states(books.company) == []


def test_a_match_to_a_ledger_line_of_another_amount_is_reported(matched_fee, books, bank):
    line, booked = matched_fee
    other = post_bank_entry(books, bank.journal, "-16.00", D(2026, 3, 21))
    BankMatch.objects.filter(statement_line=line).update(journal_line=other)

    problems = bank_matches(books.company)

    BankMatch.objects.filter(statement_line=line).update(journal_line=booked)  # the fixture checks the books
    assert problems == [f"Statement line #{line.pk} (2026-03-21, -15.00) is reconciled but its ledger lines add up to "
                        "-16.00"]


def test_a_match_to_another_account_and_on_an_unreconciled_line_are_reported(matched_fee, books):
    line, booked = matched_fee
    receivable = books.invoice().entry.lines.get(account=books.receivable)
    BankMatch.objects.filter(statement_line=line).update(journal_line=receivable)
    BankStatementLine.objects.filter(pk=line.pk).update(state="unreconciled")

    problems = bank_matches(books.company)

    BankMatch.objects.filter(statement_line=line).update(journal_line=booked)
    BankStatementLine.objects.filter(pk=line.pk).update(state="reconciled")
    assert problems == [
        f"Statement line #{line.pk} (2026-03-21, -15.00) is unreconciled but matched to ledger line #{receivable.pk}",
        f"Statement line #{line.pk} (2026-03-21, -15.00) is matched to ledger line #{receivable.pk}, which is not a "
        "posted line of the bank's ledger account"]


def test_a_reconciled_line_without_matches_is_reported(statement, books):
    line = lines_of(statement)[0]
    BankStatementLine.objects.filter(pk=line.pk).update(state="reconciled")

    problems = bank_matches(books.company)

    BankStatementLine.objects.filter(pk=line.pk).update(state="unreconciled")
    assert problems == [f"Statement line #{line.pk} (2026-03-20, 226.00) is reconciled but its ledger lines add up to "
                        "0.00"]


def test_a_statement_state_its_lines_contradict_is_reported(statement, books):
    BankStatement.objects.filter(pk=statement.pk).update(state="reconciled")

    problems = bank_statement_states(books.company)

    BankStatement.objects.filter(pk=statement.pk).update(state="open")
    assert problems == ["Statement CMB Basic 2026-03-20 – 2026-03-25 is reconciled, its lines say otherwise"]

"""Matching suggestions: exact amounts within the window, ranked by reference, date and partner, with the
reasons said; open invoices of the counterparty; what is left out."""

from decimal import Decimal

import pytest

from tessera.accounting.services.bank_matching import statement_line_suggestions
from tessera.accounting.services.bank_reconcile import statement_line_match

from .conftest import D, lines_of, post_bank_entry

pytestmark = pytest.mark.django_db


def test_the_payment_with_the_reference_ranks_first_and_says_why(books, bank, statement):
    invoice = books.invoice(("100.00", 2))
    payment = books.payment("226.00", (invoice, "226.00"), date=D(2026, 3, 18), reference="PAY-2026-A1")
    same_day = post_bank_entry(books, bank.journal, "226.00", D(2026, 3, 20), "6001")
    post_bank_entry(books, bank.journal, "225.00", D(2026, 3, 20), "6001")  # another amount

    suggestions = statement_line_suggestions(lines_of(statement)[0])

    assert [(s.kind, s.lines[0].entry_id, s.score, s.why) for s in suggestions] == [
        ("ledger", payment.entry_id, 100, "same amount, 2 days apart, reference PAY-2026-A1, partner Huaxin Trading"),
        ("ledger", same_day.entry_id, 75, "same amount, same day"),
    ]
    assert suggestions[0].amount == Decimal("226.00")


def test_the_closer_date_ranks_first_without_references(books, bank, statement):
    far = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 11))
    near = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 22))

    suggestions = statement_line_suggestions(lines_of(statement)[1])

    assert [(s.lines[0].pk, s.score, s.why) for s in suggestions] == [
        (near.pk, 74, "same amount, 1 day apart"), (far.pk, 65, "same amount, 10 days apart")]


def test_a_reference_of_the_bank_in_the_entry_counts_too(books, bank, statement):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 1), description="CMB fee FEE-2026-03")

    suggestions = statement_line_suggestions(lines_of(statement)[1])

    assert [(s.lines[0].pk, s.why) for s in suggestions] == [
        (booked.pk, "same amount, 20 days apart, reference FEE-2026-03")]


def test_lines_outside_the_window_or_matched_already_are_left_out(books, bank, statement, accountant):
    post_bank_entry(books, bank.journal, "-15.00", D(2026, 2, 18))  # 31 days before
    matched = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))
    other_fee = lines_of(statement)[1]
    statement_line_match(actor=accountant, line=other_fee, lines=[matched])

    assert statement_line_suggestions(other_fee) == []


def test_an_open_invoice_of_the_counterparty_is_suggested_for_a_payment(books, statement):
    invoice = books.invoice(("100.00", 2))
    books.invoice(("100.00", 1))  # 113.00: another amount

    suggestions = statement_line_suggestions(lines_of(statement)[0])

    assert [(s.kind, s.invoice, s.score, s.why) for s in suggestions] == [
        ("invoice", invoice, 90,
         f"open invoice of the same amount, reference {invoice.number}, partner Huaxin Trading")]


def test_a_suppliers_bill_is_suggested_for_money_out(books, statement):
    bill = books.invoice(("1000.00", 1), kind="supplier_invoice")

    suggestions = statement_line_suggestions(lines_of(statement)[2])

    assert [(s.kind, s.invoice, s.partner) for s in suggestions] == [("invoice", bill, books.supplier)]

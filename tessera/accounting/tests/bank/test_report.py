"""The bank reconciliation statement (银行存款余额调节表): both balances, the outstanding items on each
side as of a date, adjusted balances that agree, the table and its files."""

from decimal import Decimal

import pytest

from tessera.accounting.reports_bank import bank_reconciliation, bank_reconciliation_table
from tessera.accounting.services.bank_reconcile import statement_line_ignore, statement_line_match
from tessera.accounting.services.ledger import entry_reverse
from tessera.accounting.tests.reports.test_exports import pdf_text
from tessera.core.exports import render

from .conftest import D, lines_of, post_bank_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def reconciled_books(books, bank, statement, accountant):
    """Opening funds of 10,000.00 booked on 03-01 (before the statement); the customer's 226.00 booked on 03-18
    and matched to the bank's line of 03-20; a payment of 500.00 booked on 03-28 the bank has not shown; the
    bank's fee of 15.00 and supplier payment of 1,130.00 not in the books."""
    post_bank_entry(books, bank.journal, "10000.00", D(2026, 3, 1), "4001")
    invoice = books.invoice(("100.00", 2))
    payment = books.payment("226.00", (invoice, "226.00"), date=D(2026, 3, 18), reference="PAY-2026-A1")
    statement_line_match(actor=accountant, line=lines_of(statement)[0],
                         lines=[payment.entry.lines.get(account=bank.journal.default_account)])
    post_bank_entry(books, bank.journal, "-500.00", D(2026, 3, 28), description="Rent")
    return bank


def figures(report) -> dict:
    return {"ledger": report.ledger_balance, "bank": report.bank_balance,
            "received_not_booked": report.received_not_booked, "paid_not_booked": report.paid_not_booked,
            "booked_not_received": report.booked_not_received, "booked_not_paid": report.booked_not_paid,
            "adjusted_books": report.adjusted_book_balance, "adjusted_bank": report.adjusted_bank_balance,
            "difference": report.difference}


def test_at_the_month_end_both_sides_agree(reconciled_books):
    report = bank_reconciliation(reconciled_books, D(2026, 3, 31))

    assert figures(report) == {
        "ledger": Decimal("9726.00"), "bank": Decimal("9081.00"), "received_not_booked": 0,
        "paid_not_booked": Decimal("1145.00"), "booked_not_received": 0, "booked_not_paid": Decimal("500.00"),
        "adjusted_books": Decimal("8581.00"), "adjusted_bank": Decimal("8581.00"), "difference": 0}
    assert [(item.date, item.reference, item.amount) for item in report.bank_not_in_books] == [
        (D(2026, 3, 21), "FEE-2026-03", Decimal("-15.00")), (D(2026, 3, 25), "PAY-2026-A2", Decimal("-1130.00"))]
    assert [(item.date, item.description, item.amount) for item in report.books_not_in_bank] == [
        (D(2026, 3, 28), "Rent", Decimal("-500.00"))]
    assert report.bank_balance_source == "closing balance of CMB Basic 2026-03-20 – 2026-03-25"


def test_in_the_middle_of_the_statement(reconciled_books):
    report = bank_reconciliation(reconciled_books, D(2026, 3, 21))

    assert figures(report) == {
        "ledger": Decimal("10226.00"), "bank": Decimal("10211.00"), "received_not_booked": 0,
        "paid_not_booked": Decimal("15.00"), "booked_not_received": 0, "booked_not_paid": 0,
        "adjusted_books": Decimal("10211.00"), "adjusted_bank": Decimal("10211.00"), "difference": 0}
    assert report.bank_balance_source == "opening balance of CMB Basic 2026-03-20 – 2026-03-25 plus its lines"


def test_a_line_cleared_by_the_bank_after_the_date_is_outstanding_then(books, bank, statement, accountant):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 20))
    statement_line_match(actor=accountant, line=lines_of(statement)[1], lines=[booked])  # bank: 03-21

    report = bank_reconciliation(bank, D(2026, 3, 20))

    assert [(item.journal_line, item.amount) for item in report.books_not_in_bank] == [(booked.pk, Decimal("-15.00"))]


def test_an_entry_and_its_reversal_that_never_reached_the_bank_cancel_out(books, bank, statement, accountant):
    mistake = post_bank_entry(books, bank.journal, "-42.00", D(2026, 3, 22))
    entry_reverse(actor=accountant, entry=mistake.entry, date=D(2026, 3, 23))

    report = bank_reconciliation(bank, D(2026, 3, 31))

    assert report.books_not_in_bank == []


def test_ignored_lines_show_as_a_difference_and_a_note(reconciled_books, statement, accountant):
    statement_line_ignore(actor=accountant, line=lines_of(statement)[1])

    report = bank_reconciliation(reconciled_books, D(2026, 3, 31))
    table = bank_reconciliation_table(report)

    assert (report.difference, report.ignored_total) == (Decimal("15.00"), Decimal("-15.00"))
    assert table.totals == {"item": "Difference", "amount": Decimal("15.00")}
    assert "Ignored statement lines up to this date add up to -15.00." in table.notes


def test_the_table_lists_both_sides_and_exports(reconciled_books):
    table = bank_reconciliation_table(bank_reconciliation(reconciled_books, D(2026, 3, 31)))

    assert [(row["item"], row.get("amount")) for row in table.rows] == [
        ("Balance per books (bank journal)", Decimal("9726.00")),
        ("Add: received by the bank, not yet in the books", None), ("Subtotal", 0),
        ("Less: paid by the bank, not yet in the books", None),
        ("手续费", Decimal("15.00")), ("支付货款 · Dongfang Paper", Decimal("1130.00")),
        ("Subtotal", Decimal("1145.00")),
        ("Adjusted balance per books", Decimal("8581.00")),
        ("Balance per bank statement", Decimal("9081.00")),
        ("Add: received in the books, not yet by the bank", None), ("Subtotal", 0),
        ("Less: paid in the books, not yet by the bank", None), ("Rent", Decimal("500.00")),
        ("Subtotal", Decimal("500.00")),
        ("Adjusted balance per bank", Decimal("8581.00")),
    ]
    assert table.filename == f"bank-reconciliation-ACME-{reconciled_books.pk}-20260331"
    csv_text = render(table, "csv").decode("utf-8-sig")
    assert "Adjusted balance per bank,,,8581.00" in csv_text
    assert render(table, "xlsx")[:2] == b"PK"


def test_the_pdf_holds_both_sides_in_chinese_too(reconciled_books):
    content = render(bank_reconciliation_table(bank_reconciliation(reconciled_books, D(2026, 3, 31))), "pdf")

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    if text is None:
        pytest.skip("neither pypdf nor pdftotext is installed to read the PDF's text")
    assert "Bank reconciliation statement" in text and "手续费" in text and "8,581.00" in text

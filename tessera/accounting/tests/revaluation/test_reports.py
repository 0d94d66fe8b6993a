"""Reports around a revaluation: the balance sheet shows receivables at the closing rate on its date and
at the invoices' rates after; aged balances age the difference as the invoice it revalues (the reversal
never settles another, older, invoice); the partner statement shows both entries and ties to the ledger."""

from decimal import Decimal

import pytest

from tessera.accounting.reports import balance_sheet
from tessera.accounting.reports_partners import aged_payables, aged_receivables, partner_statement
from tessera.accounting.services.revaluation import revaluation_cancel, revaluation_post
from tessera.accounting.tests.documents.conftest import D

from .conftest import CLOSING, usd_invoice

pytestmark = pytest.mark.django_db
R = Decimal
ZERO = R("0.00")


@pytest.fixture
def revaluation(books, fx):
    """C001 owes a CNY invoice of 113.00 (2026-01-02, due 01-05) and USD 1,000.00 (7,100.00, 2026-01-15,
    due 02-14), revalued on 01-31 at 7.2000 (+100.00); S001 is owed USD 500.00 (3,550.00, due 01-15)."""
    books.invoice(date=D(2026, 1, 2), due_on=D(2026, 1, 5))
    usd_invoice(books)
    usd_invoice(books, "500.00", kind="supplier_invoice", due_on=D(2026, 1, 15))
    return revaluation_post(actor=books.actor, company=books.company, date=CLOSING)


def buckets(report, code) -> dict:
    row = next(row for row in report.rows if row["partner_code"] == code)
    return {key: value for key, value in row.items() if key.startswith(("not_due", "days", "total")) and value}


def test_the_balance_sheet_shows_receivables_at_the_closing_rate_on_the_revaluation_date(books, revaluation):
    assert balance_sheet(books.company, CLOSING).amount("receivables") == R("7313.00")  # 113 + 1000 x 7.20
    assert balance_sheet(books.company, D(2026, 2, 1)).amount("receivables") == R("7213.00")  # 113 + 7100


def test_aged_receivables_on_the_date_age_the_difference_with_its_invoice(books, revaluation):
    report = aged_receivables(books.company, CLOSING)

    assert buckets(report, "C001") == {"not_due": R("7200.00"), "days_0_30": R("113.00"), "total": R("7313.00")}
    assert report.totals["total"] == report.balance == R("7313.00")


def test_after_the_reversal_the_older_invoice_keeps_its_age(books, revaluation):
    report = aged_receivables(books.company, D(2026, 2, 10))

    assert buckets(report, "C001") == {"not_due": R("7100.00"), "days_31_60": R("113.00"), "total": R("7213.00")}
    assert report.totals["total"] == report.balance


def test_aged_payables_show_the_revalued_bill(books, revaluation):
    assert buckets(aged_payables(books.company, CLOSING), "S001") == {"days_0_30": R("3600.00"),
                                                                       "total": R("3600.00")}
    assert buckets(aged_payables(books.company, D(2026, 2, 1)), "S001") == {"days_0_30": R("3550.00"),
                                                                             "total": R("3550.00")}


def test_a_cancelled_revaluation_leaves_the_aging_as_before(books, revaluation):
    revaluation_cancel(actor=books.actor, revaluation=revaluation)

    report = aged_receivables(books.company, CLOSING)

    assert buckets(report, "C001") == {"not_due": R("7100.00"), "days_0_30": R("113.00"), "total": R("7213.00")}
    assert report.totals["total"] == report.balance


def test_the_partner_statement_shows_the_revaluation_and_its_reversal(books, revaluation):
    statement = partner_statement(books.company, books.customer, D(2026, 1, 1), D(2026, 2, 28))

    assert [(line["date"], line["debit"], line["credit"], line["balance"]) for line in statement.lines] == [
        (D(2026, 1, 2), R("113.00"), ZERO, R("113.00")),
        (D(2026, 1, 15), R("7100.00"), ZERO, R("7213.00")),
        (CLOSING, R("100.00"), ZERO, R("7313.00")),
        (D(2026, 2, 1), ZERO, R("100.00"), R("7213.00")),
    ]
    assert partner_statement(books.company, books.customer, D(2026, 1, 1), CLOSING).closing == R("7313.00")

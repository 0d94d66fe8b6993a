"""General ledger: opening, lines with a running balance, closing."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.reports import general_ledger
from tessera.core.errors import ValidationFailed

D = datetime.date


def test_running_balance_from_the_opening(books):
    report = general_ledger(books.ledger.company, books.ledger.bank, D(2026, 1, 1), D(2026, 2, 28))

    assert report.opening == Decimal("10000.00")
    assert [(line["date"], str(line["debit"]), str(line["credit"]), str(line["balance"])) for line in report.lines] == [
        (D(2026, 1, 5), "0.00", "500.00", "9500.00"),
        (D(2026, 2, 10), "1130.00", "0.00", "10630.00"),
    ]
    assert (report.total_debit, report.total_credit, report.closing) == (Decimal("1130.00"), Decimal("500.00"),
                                                                         Decimal("10630.00"))


def test_lines_name_their_entry_for_drill_down(books):
    report = general_ledger(books.ledger.company, books.ledger.bank, D(2026, 2, 1), D(2026, 2, 28))
    receipt = books.entries["receipt"]

    assert [(line["entry"], line["number"], line["journal"]) for line in report.lines] == [
        (receipt.pk, receipt.number, "GEN")]


def test_a_credit_account_counts_its_balance_on_the_credit_side(books):
    report = general_ledger(books.ledger.company, books.ledger.revenue, D(2026, 1, 1), D(2026, 2, 28))

    assert (report.side, report.opening, report.closing) == ("credit", Decimal("0.00"), Decimal("2000.00"))


def test_another_company_account_is_refused(books, other_company):
    from tessera.accounting.tests.factories import AccountFactory

    foreign = AccountFactory(company=other_company, code="1001", name="Cash", type="asset")

    with pytest.raises(ValidationFailed) as caught:
        general_ledger(books.ledger.company, foreign, D(2026, 1, 1), D(2026, 2, 28))

    assert list(caught.value.fields) == ["account"]

"""A small set of posted books for the report tests (figures worked out in test_trial_balance.py).

2025-11-10  bank 10000 / capital 10000
2025-12-20  receivable 1130 / revenue 1000, output VAT 130      (2025's profit: 1000, not closed)
2026-01-05  cash 500 / bank 500
2026-01-20  expense 200 / cash 200
2026-02-10  bank 1130 / receivable 1130
2026-02-15  receivable 2260 / revenue 2000, output VAT 260
2026-03-01  expense 100 / payable 100
"""

import datetime
from dataclasses import dataclass

import pytest

from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.tests.factories import AccountFactory
from tessera.partners.tests.factories import PartnerFactory

D = datetime.date


@dataclass
class Books:
    ledger: object
    capital: object
    entries: dict


def post(ledger, actor, day, *amounts, description="", partner=None):
    """post(ledger, user, date, (account, "debit", "credit"), ...) -> the posted entry."""
    lines = [{"account": account, "debit": debit, "credit": credit} for account, debit, credit in amounts]
    for line in lines:
        if line["account"].role in ("receivable", "payable"):
            line["partner"] = partner or PartnerFactory(company=ledger.company, code="C001", name="华北贸易")
    return entry_post_new(actor=actor, company=ledger.company, journal=ledger.journal, date=day, lines=lines,
                          description=description)


@pytest.fixture
def books(ledger, accountant):
    capital = AccountFactory(company=ledger.company, code="4001", name="实收资本", type="equity")
    book = ledger
    entries = {
        "capital": post(book, accountant, D(2025, 11, 10), (book.bank, "10000", "0"), (capital, "0", "10000")),
        "sale_2025": post(book, accountant, D(2025, 12, 20), (book.receivable, "1130", "0"),
                          (book.revenue, "0", "1000"), (book.output_vat, "0", "130"), description="Sale 2025"),
        "withdraw": post(book, accountant, D(2026, 1, 5), (book.cash, "500", "0"), (book.bank, "0", "500")),
        "expense_jan": post(book, accountant, D(2026, 1, 20), (book.expense, "200", "0"), (book.cash, "0", "200")),
        "receipt": post(book, accountant, D(2026, 2, 10), (book.bank, "1130", "0"), (book.receivable, "0", "1130")),
        "sale_feb": post(book, accountant, D(2026, 2, 15), (book.receivable, "2260", "0"),
                         (book.revenue, "0", "2000"), (book.output_vat, "0", "260")),
        "expense_mar": post(book, accountant, D(2026, 3, 1), (book.expense, "100", "0"), (book.payable, "0", "100")),
    }
    return Books(ledger=ledger, capital=capital, entries=entries)

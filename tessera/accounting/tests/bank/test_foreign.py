"""A US-dollar bank account: its leaf and journal in USD, statement amounts compared with the ledger's
amounts in currency, entries written at the day's rate, the reconciliation statement in dollars."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Account, JournalEntry
from tessera.accounting.reports_bank import bank_reconciliation
from tessera.accounting.services.bank import bank_account_create
from tessera.accounting.services.bank_import import statement_import
from tessera.accounting.services.bank_matching import statement_line_suggestions
from tessera.accounting.services.bank_reconcile import statement_line_create_entry, statement_line_match
from tessera.accounting.services.ledger import entry_post_new
from tessera.core.services.currency import exchange_rate_set
from tessera.core.tests.factories import currency

from ..documents.conftest import legs
from .conftest import D, lines_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def usd_bank(books, accountant):
    exchange_rate_set(currency=currency("USD"), quote=currency("CNY"), on=D(2026, 3, 1), rate=Decimal("7.1000"))
    return bank_account_create(actor=accountant, company=books.company, data={
        "name": "CMB USD", "bank_name": "招商银行", "account_number": "USD-8801", "currency": currency("USD")})


@pytest.fixture
def usd_statement(usd_bank, accountant):
    content = (b"Date,Amount,Description,Reference\n2026-03-10,1000.00,Customer USD,R1\n"
               b"2026-03-12,-10.00,Wire fee,F1\n")
    return statement_import(actor=accountant, bank_account=usd_bank, content=content)


def test_a_fee_is_written_at_the_days_rate_and_matched_in_dollars(books, usd_bank, usd_statement, accountant):
    fee = lines_of(usd_statement)[1]
    charges = Account.objects.get(company=books.company, code="660303")

    statement_line_create_entry(actor=accountant, line=fee, data={"account": charges})

    entry = JournalEntry.objects.get(source=f"accounting.bankstatementline:{fee.pk}")
    assert legs(entry) == [("100201", 0, Decimal("71.00")), ("660303", Decimal("71.00"), 0)]
    bank_leg = entry.lines.get(account__code="100201")
    assert (bank_leg.currency.code, bank_leg.amount_currency) == ("USD", Decimal("-10.00"))


def test_ledger_lines_are_compared_by_their_amount_in_dollars(books, usd_bank, usd_statement, accountant):
    receipt = entry_post_new(actor=accountant, company=books.company, journal=usd_bank.journal,
                             date=D(2026, 3, 10), lines=[
        {"account": usd_bank.journal.default_account, "debit": Decimal("7100.00"), "currency": currency("USD"),
         "amount_currency": Decimal("1000.00")},
        {"account": books.revenue, "credit": Decimal("7100.00")}])
    bank_leg = receipt.lines.get(account=usd_bank.journal.default_account)
    first = lines_of(usd_statement)[0]

    assert [s.lines for s in statement_line_suggestions(first)] == [[bank_leg]]
    statement_line_match(actor=accountant, line=first, lines=[bank_leg])

    report = bank_reconciliation(usd_bank, D(2026, 3, 31))
    assert (report.currency, report.ledger_balance, report.bank_balance) == ("USD", Decimal("1000.00"),
                                                                            Decimal("990.00"))
    assert [item.amount for item in report.bank_not_in_books] == [Decimal("-10.00")]
    assert report.difference == 0

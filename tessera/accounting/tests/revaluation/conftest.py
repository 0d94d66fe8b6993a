"""Fixtures of the exchange revaluation tests: the invoice and payment tests' books (ACME on the
cn_enterprise chart, 2026 and 2027 open; check-books runs after each test), USD rates, a USD bank
account with its journal, and helpers.

Rates USD->CNY: 2026-01-01 7.1000, 2026-01-31 7.2000 (the closing rate), 2026-03-01 7.2500.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tessera.accounting.models import Journal, JournalEntryLine
from tessera.accounting.tests.documents.conftest import D, books, legs, partner_balance  # noqa: F401
from tessera.accounting.tests.factories import AccountFactory
from tessera.core.services.currency import exchange_rate_set
from tessera.core.tests.factories import currency

CLOSING = D(2026, 1, 31)
INVOICE_DAY = D(2026, 1, 15)


@dataclass
class Fx:
    usd: object
    cny: object
    usd_bank: object  # account 1003, kept in USD
    usd_journal: Journal  # bank journal BUSD on it


@pytest.fixture
def fx(books):  # noqa: F811
    usd, cny = currency("USD"), books.company.base_currency
    for day, rate in ((D(2026, 1, 1), "7.1000"), (CLOSING, "7.2000"), (D(2026, 3, 1), "7.2500")):
        exchange_rate_set(currency=usd, quote=cny, on=day, rate=Decimal(rate))
    usd_bank = AccountFactory(company=books.company, code="1003", name="USD bank", type="asset", role="bank",
                              currency=usd)
    journal = Journal.objects.create(company=books.company, code="BUSD", name="USD bank", kind="bank",
                                     default_account=usd_bank, sequence_code="journal_entry")
    return Fx(usd=usd, cny=cny, usd_bank=usd_bank, usd_journal=journal)


def usd_invoice(books, amount="1000.00", kind="customer_invoice", day=INVOICE_DAY, **data):  # noqa: F811
    """A posted USD invoice of one untaxed line."""
    return books.invoice((amount, 1, []), kind=kind, currency=currency("USD"), date=day, **data)


def balance(account, partner=None, up_to=None) -> Decimal:
    """Debit minus credit of the posted lines of `account` (and `partner`), dated on or before `up_to`."""
    lines = JournalEntryLine.objects.filter(account=account, is_posted=True)
    if partner is not None:
        lines = lines.filter(partner=partner)
    if up_to is not None:
        lines = lines.filter(date__lte=up_to)
    return sum((line.debit - line.credit for line in lines), Decimal("0"))


def rows(revaluation_or_preview) -> list[tuple]:
    """The lines as (account code, partner code, invoice number, currency, amount, carrying, rate, revalued,
    difference)."""
    lines = revaluation_or_preview.lines
    lines = lines.order_by("pk") if hasattr(lines, "order_by") else lines
    return [(line.account.code, line.partner.code if line.partner else None,
             line.invoice.number if line.invoice else None, line.currency.code, line.amount_currency,
             line.carrying_amount, line.rate.normalize(), line.revalued_amount, line.difference)
            for line in lines]

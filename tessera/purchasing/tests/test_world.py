"""The shared fixture builds a consistent purchasing world."""

import datetime
from decimal import Decimal


def test_the_world_has_books_stock_and_suppliers(p):
    assert p.account("grir").code == "220202"
    assert p.vat13.rate == Decimal("13")
    assert p.balance("1405") == 0
    assert p.widget.purchase_uom == p.box and p.s2.currency == p.usd


def test_a_balance_by_code_includes_the_sub_accounts_and_one_by_role_its_account(p):
    from tessera.accounting.services.ledger import entry_post_new

    entry_lines = [{"account": p.account("grir"), "debit": Decimal("10"), "credit": Decimal("0")},
                   {"account": p.account("payable"), "partner": p.s1, "debit": Decimal("0"), "credit": Decimal("10")}]
    entry_post_new(actor=p.accountant, company=p.company, journal=p.purchase_journal, date=datetime.date(2026, 3, 2),
                   lines=entry_lines, reference="t", description="t", source="")

    assert (p.balance("2202"), p.balance("220202"), p.balance("grir"), p.balance("payable")) == (
        Decimal("0"), Decimal("10"), Decimal("10"), Decimal("-10"))

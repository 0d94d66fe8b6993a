"""The shared fixture builds a consistent purchasing world."""

from decimal import Decimal


def test_the_world_has_books_stock_and_suppliers(p):
    assert p.account("grir").code == "220202"
    assert p.vat13.rate == Decimal("13")
    assert p.balance("1405") == 0
    assert p.widget.purchase_uom == p.box and p.s2.currency == p.usd

"""The VAT return: output less input VAT, per account and tax, with taxable bases from invoices."""

import datetime
from decimal import Decimal

from tessera.accounting.reports_partners import vat_return

from .conftest import post

D = datetime.date


def test_vat_payable_is_output_less_input(books):
    report = vat_return(books.ledger.company, D(2026, 4, 1), D(2026, 6, 30))

    # Output 260 + 65 + 260; input 130.
    assert (report.output_vat, report.input_vat, report.net) == (
        Decimal("585.00"), Decimal("130.00"), Decimal("455.00"))
    assert (report.payable, report.carried_forward) == (Decimal("455.00"), Decimal("0.00"))


def test_rows_split_each_account_by_tax_with_its_base(books):
    report = vat_return(books.ledger.company, D(2026, 4, 1), D(2026, 6, 30))

    assert [(row["section"], row["kind"], row["code"], row["name"], row["rate"], row["base"], row["amount"])
            for row in report.rows] == [
        ("output", "account", "222101", "应交增值税-销项税额", None, None, Decimal("585.00")),
        ("output", "tax", "222101", "销项税 13%", Decimal("13.00"), Decimal("2000.00"), Decimal("260.00")),
        ("output", "other", "222101", "Other entries", None, None, Decimal("325.00")),
        ("input", "account", "222109", "应交增值税-进项税额", None, None, Decimal("130.00")),
        ("input", "tax", "222109", "进项税 13%", Decimal("13.00"), Decimal("1000.00"), Decimal("130.00")),
    ]


def test_more_input_than_output_is_a_credit_carried_forward(books):
    report = vat_return(books.ledger.company, D(2026, 5, 1), D(2026, 5, 31))

    assert (report.output_vat, report.input_vat, report.net) == (Decimal("0.00"), Decimal("130.00"),
                                                                 Decimal("-130.00"))
    assert (report.payable, report.carried_forward) == (Decimal("0.00"), Decimal("130.00"))


def test_a_reversal_reduces_the_output_vat(books, accountant):
    ledger = books.ledger
    post(ledger, accountant, D(2026, 6, 30), (ledger.revenue, "500", "0"), (ledger.output_vat, "65", "0"),
         (ledger.receivable, "0", "565"), partner=books.customers["c1"])

    report = vat_return(ledger.company, D(2026, 6, 1), D(2026, 6, 30))

    assert report.output_vat == Decimal("260.00")  # 65 + 260 − 65


def test_the_dates_bound_the_movements(books):
    report = vat_return(books.ledger.company, D(2026, 1, 1), D(2026, 1, 31))

    assert (report.output_vat, report.input_vat) == (Decimal("130.00"), Decimal("0.00"))
    assert [row["kind"] for row in report.rows] == ["account", "account"]

"""Partner statements: opening balance, lines with a running balance, closing balance."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import Invoice
from tessera.accounting.reports_partners import partner_statement
from tessera.core.errors import ValidationFailed
from tessera.partners.tests.factories import PartnerFactory

D = datetime.date


def test_statement_runs_from_the_opening_to_the_closing_balance(books):
    report = partner_statement(books.ledger.company, books.customers["c1"], D(2026, 2, 1), D(2026, 6, 30))

    entries = books.entries
    assert report.opening == Decimal("1130.00")
    assert [(line["entry"], line["debit"], line["credit"], line["balance"]) for line in report.lines] == [
        (entries["c1_apr"].pk, Decimal("2260.00"), Decimal("0.00"), Decimal("3390.00")),
        (entries["c1_receipt"].pk, Decimal("0.00"), Decimal("1500.00"), Decimal("1890.00")),
        (entries["c1_jun"].pk, Decimal("565.00"), Decimal("0.00"), Decimal("2455.00")),
    ]
    assert (report.total_debit, report.total_credit, report.closing) == (
        Decimal("2825.00"), Decimal("1500.00"), Decimal("2455.00"))


def test_statement_lines_carry_number_reference_and_description(books):
    report = partner_statement(books.ledger.company, books.customers["c1"], D(2026, 4, 1), D(2026, 5, 31))

    april, receipt = report.lines
    assert (april["number"], april["reference"], april["date"]) == (books.entries["c1_apr"].number, "SO-0415",
                                                                     D(2026, 4, 15))
    assert receipt["description"] == "Receipt"


def test_an_invoice_line_shows_its_due_date_and_number(books):
    report = partner_statement(books.ledger.company, books.customers["c2"], D(2026, 6, 1), D(2026, 6, 30))

    invoice = Invoice.objects.get(entry=books.entries["c2_jun"])
    assert [(line["due_on"], line["reference"]) for line in report.lines] == [(D(2026, 7, 31), invoice.number)]


def test_a_supplier_statement_counts_on_the_credit_side(books):
    report = partner_statement(books.ledger.company, books.suppliers["s1"], D(2026, 1, 1), D(2026, 6, 30))

    assert report.side == "payable"
    assert [line["balance"] for line in report.lines] == [Decimal("1130.00"), Decimal("630.00")]


def test_a_customer_who_is_also_a_supplier_can_be_shown_on_the_payable_side(books):
    report = partner_statement(books.ledger.company, books.customers["c1"], D(2026, 1, 1), D(2026, 6, 30),
                               "payable")

    assert (report.opening, report.lines, report.closing) == (Decimal("0.00"), [], Decimal("0.00"))


def test_another_company_partner_is_refused(books, other_company):
    stranger = PartnerFactory(company=other_company, code="X001")

    with pytest.raises(ValidationFailed) as error:
        partner_statement(books.ledger.company, stranger, D(2026, 1, 1), D(2026, 6, 30))

    assert error.value.fields == {"partner": ["Choose one of this company's partners."]}

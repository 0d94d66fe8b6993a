"""The receivables, payables and VAT report files: rows, totals, and the PDF's text."""

import csv
import datetime
import io

import pytest

from tessera.accounting.report_tables_partners import aged_table, vat_return_table
from tessera.accounting.reports_partners import aged_payables, vat_return
from tessera.accounting.tests.reports.test_exports import pdf_text
from tessera.core import exports

D = datetime.date


def test_vat_return_csv_lists_sections_taxes_and_what_is_payable(books):
    table = vat_return_table(vat_return(books.ledger.company, D(2026, 4, 1), D(2026, 6, 30)))

    rows = list(csv.reader(io.StringIO(exports.render(table, "csv").decode("utf-8-sig"))))

    assert rows == [
        ["Item", "Account", "Rate %", "Taxable base", "Tax"],
        ["Output VAT", "", "", "", ""],
        ["应交增值税-销项税额", "222101", "", "", "585.00"],
        ["销项税 13%", "", "13.00", "2000.00", "260.00"],
        ["Other entries", "", "", "", "325.00"],
        ["Total output VAT", "", "", "", "585.00"],
        ["Input VAT", "", "", "", ""],
        ["应交增值税-进项税额", "222109", "", "", "130.00"],
        ["进项税 13%", "", "13.00", "1000.00", "130.00"],
        ["Total input VAT", "", "", "", "130.00"],
        ["VAT payable", "", "", "", "455.00"],
    ]


def test_a_vat_credit_is_labelled_carried_forward(books):
    table = vat_return_table(vat_return(books.ledger.company, D(2026, 5, 1), D(2026, 5, 31)))

    assert table.totals == {"label": "Credit carried forward", "amount": table.totals["amount"]}
    assert str(table.totals["amount"]) == "130.00"


def test_aged_payables_pdf_holds_the_partners_and_the_total(books):
    content = exports.render(aged_table(aged_payables(books.ledger.company, D(2026, 6, 30))), "pdf")

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    if text is None:
        pytest.skip("neither pypdf nor pdftotext is installed to read the PDF's text")
    assert "Aged payables" in text and "东方材料" in text and "330.00" in text

"""The report files: CSV rows, XLSX cells and formats, PDF text (Chinese included)."""

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tessera.accounting.report_tables import general_ledger_table, statement_table, trial_balance_table
from tessera.accounting.reports import balance_sheet, general_ledger, trial_balance
from tessera.core import exports
from tessera.core.errors import ValidationFailed

D = datetime.date


def pdf_text(content: bytes) -> str | None:
    """The PDF's text with pypdf or pdftotext, None when neither is here."""
    try:
        from pypdf import PdfReader
    except ImportError:
        if not shutil.which("pdftotext"):
            return None
        return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def tb_table(books):
    return trial_balance_table(trial_balance(books.ledger.company, D(2026, 2, 1), D(2026, 2, 28)))


def test_csv_has_a_header_the_rows_and_the_totals(tb_table):
    rows = list(csv.reader(io.StringIO(exports.render(tb_table, "csv").decode("utf-8-sig"))))

    assert rows[0] == ["Code", "Account", "Opening debit", "Opening credit", "Period debit", "Period credit",
                       "Closing debit", "Closing credit"]
    assert rows[2] == ["1002", "银行存款", "9500.00", "0.00", "1130.00", "0.00", "10630.00", "0.00"]
    assert rows[-1] == ["Total", "", "11130.00", "11130.00", "3390.00", "3390.00", "13390.00", "13390.00"]


def test_csv_starts_with_a_byte_order_mark_for_excel(tb_table):
    assert exports.render(tb_table, "csv").startswith(b"\xef\xbb\xbf")


def test_xlsx_keeps_numbers_with_a_number_format_and_bold_totals(tb_table):
    sheet = load_workbook(io.BytesIO(exports.render(tb_table, "xlsx"))).active
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value}

    assert sheet["A1"].value == "Trial balance"
    assert cells["1002"][6].value == 10630
    assert cells["1002"][6].number_format.startswith("#,##0.00")
    assert cells["Total"][7].value == 13390 and cells["Total"][7].font.bold


def test_pdf_holds_the_company_the_title_and_chinese_account_names(books, tb_table):
    content = exports.render(tb_table, "pdf")

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    if text is None:
        pytest.skip("neither pypdf nor pdftotext is installed to read the PDF's text")
    assert books.ledger.company.name in text
    assert "Trial balance" in text and "银行存款" in text and "13,390.00" in text


def test_statement_pdf_in_chinese(books):
    from django.utils import translation

    with translation.override("zh-hans"):
        table = statement_table(balance_sheet(books.ledger.company, D(2026, 2, 28), "cn"))
        content = exports.render(table, "pdf")

    text = pdf_text(content)
    if text is None:
        pytest.skip("neither pypdf nor pdftotext is installed to read the PDF's text")
    assert "货币资金" in text and "负债和所有者权益总计" in text


def test_general_ledger_table_opens_and_closes(books):
    table = general_ledger_table(general_ledger(books.ledger.company, books.ledger.bank, D(2026, 1, 1),
                                                D(2026, 2, 28)))
    rows = list(csv.reader(io.StringIO(exports.render(table, "csv").decode("utf-8-sig"))))

    assert rows[1][4:] == ["Opening balance", "", "", "", "10000.00"]
    assert rows[-1][4:] == ["Period total and closing balance", "", "1130.00", "500.00", "10630.00"]


def test_an_unknown_format_is_refused(tb_table):
    with pytest.raises(ValidationFailed) as caught:
        exports.render(tb_table, "docx")

    assert list(caught.value.fields) == ["format"]


def test_without_weasyprint_a_pdf_is_a_clear_error(tb_table, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)

    with pytest.raises(exports.PdfUnavailable) as caught:
        exports.render(tb_table, "pdf")

    assert caught.value.status == 503 and "weasyprint" in str(caught.value.message)

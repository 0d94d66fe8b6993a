"""Statement import: encodings, layouts, the mapping guessed, saved and reused, the preview, bad rows,
the same file twice, transactions imported before, balances and their warnings, size and format checks."""

from decimal import Decimal

import pytest

from tessera.accounting.models import BankAccount, BankStatement, BankStatementLine
from tessera.accounting.services.bank_import import statement_import, statement_import_preview
from tessera.core.errors import Conflict, InvalidState, PermissionDenied, ValidationFailed

from .conftest import CN_HEADER, MARCH, D, cn_csv, lines_of

pytestmark = pytest.mark.django_db

APRIL = [["2026-04-02", "", "500.00", "9,581.00", "货款", "R-0402", "Huaxin Trading", ""]]


def do_import(bank, actor, content, **kwargs):
    return statement_import(actor=actor, bank_account=bank, content=content, filename="statement.csv", **kwargs)


def as_tuples(statement):
    return [(line.sequence, line.date, line.amount, line.reference, line.description, line.partner_name,
             line.balance, line.state) for line in lines_of(statement)]


def test_a_gbk_file_with_account_details_and_separate_columns(bank, accountant, books):
    statement = do_import(bank, accountant, cn_csv(MARCH, encoding="gbk"))

    assert as_tuples(statement) == [
        (1, D(2026, 3, 20), Decimal("226.00"), "PAY-2026-A1", "货款 INV-2026-00001", "Huaxin Trading",
         Decimal("10226.00"), "unreconciled"),
        (2, D(2026, 3, 21), Decimal("-15.00"), "FEE-2026-03", "手续费", "", Decimal("10211.00"), "unreconciled"),
        (3, D(2026, 3, 25), Decimal("-1130.00"), "PAY-2026-A2", "支付货款", "Dongfang Paper", Decimal("9081.00"),
         "unreconciled"),
    ]
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("10000.00"), Decimal("9081.00"))
    assert (statement.start_on, statement.end_on, statement.date) == (D(2026, 3, 20), D(2026, 3, 25), D(2026, 3, 25))
    assert (statement.state, statement.filename, statement.imported_by) == ("open", "statement.csv", accountant)
    assert statement.name == "CMB Basic 2026-03-20 – 2026-03-25"
    assert [line.partner for line in lines_of(statement)] == [books.customer, None, books.supplier]


def test_a_utf8_file_with_a_bom_and_one_signed_amount_column(bank, accountant):
    content = ("\ufeffDate,Description,Amount,Reference\n"
               "2026-03-02,Interest,12.30,INT-1\n2026-03-03,Card fee,-8.00,FEE-1\n").encode()

    statement = do_import(bank, accountant, content)

    assert [(line.amount, line.description, line.reference) for line in lines_of(statement)] == [
        (Decimal("12.30"), "Interest", "INT-1"), (Decimal("-8.00"), "Card fee", "FEE-1")]
    assert (statement.opening_balance, statement.closing_balance) == (None, None)


def test_a_utf8_file_without_a_bom(bank, accountant):
    content = cn_csv(MARCH, encoding="utf-8")

    preview = statement_import_preview(actor=accountant, bank_account=bank, content=content)

    assert preview.parsed.encoding == "utf-8"
    assert preview.count("new") == 3


def test_a_newest_first_file_is_turned_round(bank, accountant):
    statement = do_import(bank, accountant, cn_csv(list(reversed(MARCH))))

    assert [line.date for line in lines_of(statement)] == [D(2026, 3, 20), D(2026, 3, 21), D(2026, 3, 25)]
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("10000.00"), Decimal("9081.00"))


def test_amount_with_a_direction_column_semicolons_and_chinese_dates(bank, accountant):
    content = ("交易日期;金额;借贷标志;摘要\n2026年3月2日;¥1.234,50;贷;收款\n2026年3月3日;200,00;借;付款\n"
               ).encode("gb18030")

    statement = do_import(bank, accountant, content)

    assert [(line.date, line.amount) for line in lines_of(statement)] == [
        (D(2026, 3, 2), Decimal("1234.50")), (D(2026, 3, 3), Decimal("-200.00"))]


def test_the_preview_lists_every_row_and_writes_nothing(bank, accountant):
    rows = [*MARCH, ["2026-03-26", "abc", "", "", "bad", "X", "", ""],
            ["合计", "1145.00", "226.00", "", "", "", "", ""]]

    preview = statement_import_preview(actor=accountant, bank_account=bank, content=cn_csv(rows))

    assert [(row.parsed.row, row.status, row.message) for row in preview.rows] == [
        (5, "new", ""), (6, "new", ""), (7, "new", ""), (8, "error", "“abc” is not an amount."),
        (9, "skipped", "Skipped: a total or balance line.")]
    assert preview.parsed.mapping_source == "guessed"
    assert preview.parsed.mapping["withdrawal"] == "借方发生额" and preview.parsed.mapping["deposit"] == "贷方发生额"
    assert (preview.total_in, preview.total_out) == (Decimal("226.00"), Decimal("-1145.00"))
    assert preview.can_import is False
    assert BankStatement.objects.count() == 0


def test_bad_rows_refuse_the_import_and_nothing_is_written(bank, accountant):
    rows = [*MARCH, ["2026-02-30", "1.00", "", "", "bad date", "X", "", ""], ["2026-03-27", "", "", "", "no", "", "",
                                                                                 ""]]

    with pytest.raises(ValidationFailed) as refused:
        do_import(bank, accountant, cn_csv(rows))

    assert refused.value.message == "2 rows of the file cannot be read: nothing was imported."
    assert refused.value.fields == {"rows.8": ["Row 8: “2026-02-30” is not a date like 2026-11-24."],
                                    "rows.9": ["Row 9: The amount is missing."]}
    assert BankStatement.objects.count() == BankStatementLine.objects.count() == 0
    assert BankAccount.objects.get(pk=bank.pk).statement_mapping == {}


def test_the_same_file_twice_is_refused(statement, accountant):
    with pytest.raises(Conflict) as refused:
        do_import(statement.bank_account, accountant, cn_csv(MARCH))

    assert refused.value.code == "duplicate_file"
    assert BankStatement.objects.count() == 1


def test_transactions_imported_before_are_skipped_and_counted(statement, accountant):
    overlapping = do_import(statement.bank_account, accountant, cn_csv(MARCH[1:] + APRIL))

    assert [line.reference for line in lines_of(overlapping)] == ["R-0402"]
    assert overlapping.import_duplicates == 2
    assert BankStatementLine.objects.count() == 4


def test_a_file_of_known_transactions_only_is_refused(statement, accountant):
    with pytest.raises(Conflict) as refused:
        do_import(statement.bank_account, accountant, cn_csv(MARCH[:2]))

    assert refused.value.code == "already_imported"


def test_identical_rows_of_one_file_are_two_transactions(bank, accountant):
    fee = ["2026-03-21", "5.00", "", "", "手续费", "", "", ""]

    statement = do_import(bank, accountant, cn_csv([fee, fee]))

    assert [line.amount for line in lines_of(statement)] == [Decimal("-5.00"), Decimal("-5.00")]
    assert len({line.import_key for line in lines_of(statement)}) == 2


def test_the_mapping_is_saved_and_the_next_file_needs_none(bank, accountant):
    header = ["Booked", "Out", "In", "Text", "Ref"]
    mapping = {"date": "Booked", "withdrawal": "Out", "deposit": "In", "description": "Text", "reference": "Ref",
               "date_format": "%d/%m/%Y"}
    first = cn_csv([["02/03/2026", "", "10.00", "a", "R1"]], header=header, preamble=False)
    do_import(bank, accountant, first, mapping=mapping)
    saved = BankAccount.objects.get(pk=bank.pk).statement_mapping
    second = cn_csv([["03/03/2026", "4.00", "", "b", "R2"]], header=header, preamble=False)

    preview = statement_import_preview(actor=accountant, bank_account=BankAccount.objects.get(pk=bank.pk),
                                       content=second)

    assert (saved["date"], saved["withdrawal"], saved["date_format"], saved["encoding"]) == (
        "Booked", "Out", "%d/%m/%Y", "auto")
    assert preview.parsed.mapping_source == "saved"
    assert [(row.parsed.date, row.parsed.amount) for row in preview.rows] == [(D(2026, 3, 3), Decimal("-4.00"))]


def test_a_file_the_guess_cannot_read_asks_for_the_mapping(bank, accountant):
    content = cn_csv([["02/03/2026", "", "10.00"]], header=["A", "B", "C"], preamble=False)

    preview = statement_import_preview(actor=accountant, bank_account=bank, content=content)
    with pytest.raises(ValidationFailed) as refused:
        do_import(bank, accountant, content)

    assert preview.parsed.headers == ["A", "B", "C"]
    assert preview.parsed.mapping_errors["mapping.date"] == ["Choose the column of the transaction date."]
    assert refused.value.fields["mapping.amount"] == [
        "Choose the amount column, or the money in and money out columns."]


def test_a_mapping_naming_a_missing_column_is_refused(bank, accountant):
    with pytest.raises(ValidationFailed) as refused:
        do_import(bank, accountant, cn_csv(MARCH), mapping={"date": "Datum", "amount": "余额"})

    assert refused.value.fields == {"mapping.date": ["The file has no column “Datum”."]}


def test_entered_balances_win_and_a_gap_after_the_previous_statement_warns(statement, accountant):
    preview = statement_import_preview(actor=accountant, bank_account=statement.bank_account,
                                       content=cn_csv([["2026-04-02", "", "500.00", "", "货款", "R-0402", "", ""]]),
                                       opening_balance=Decimal("9000.00"))

    assert (preview.opening_balance, preview.closing_balance) == (Decimal("9000.00"), Decimal("9500.00"))
    assert preview.warnings == ["The opening balance 9000.00 does not follow the closing balance 9081.00 of the "
                                "previous statement CMB Basic 2026-03-20 – 2026-03-25: a statement may be missing."]


def test_a_balance_column_that_does_not_follow_warns(bank, accountant):
    rows = [MARCH[0], ["2026-03-21", "15.00", "", "10,000.00", "手续费", "F", "", ""]]

    preview = statement_import_preview(actor=accountant, bank_account=bank, content=cn_csv(rows))

    assert preview.warnings == [
        "Row 6: the balance 10000.00 is not the previous balance 10226.00 plus the amount -15.00.",
        "The lines add up to 211.00: the opening balance 10000.00 plus the lines makes 10211.00, not the closing "
        "balance 10000.00."]


def test_closing_not_reached_from_opening_warns(bank, accountant):
    content = cn_csv([["2026-03-21", "15.00", "", "", "fee", "F", "", ""]])

    preview = statement_import_preview(actor=accountant, bank_account=bank, content=content,
                                       opening_balance=Decimal("100.00"), closing_balance=Decimal("90.00"))

    assert preview.warnings == ["The lines add up to -15.00: the opening balance 100.00 plus the lines makes 85.00, "
                                "not the closing balance 90.00."]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty."),
    (b"PK\x03\x04rest", "This is an Excel workbook: save the statement as CSV and import that file."),
    (b"%PDF-1.4", "This is a PDF: ask the bank for the statement as CSV."),
    (b"\x00\x01\x02binary", "This is not a text file: export the statement as CSV."),
    (b"\xff\xfe\x00\xd8", "The file is neither UTF-8 nor GBK text: export the statement as CSV."),
    (b" \n \n", "The file has no rows."),
])
def test_broken_files_are_refused_clearly(bank, accountant, content, message):
    with pytest.raises(ValidationFailed) as refused:
        statement_import_preview(actor=accountant, bank_account=bank, content=content)

    assert refused.value.fields == {"file": [message]}


def test_a_file_over_5_mb_is_refused(bank, accountant):
    with pytest.raises(ValidationFailed) as refused:
        statement_import_preview(actor=accountant, bank_account=bank, content=b"x" * (5 * 1024 * 1024 + 1))

    assert refused.value.fields == {"file": ["The file is larger than 5 MB: split the statement."]}


def test_formulas_are_text_never_evaluated(bank, accountant):
    content = b"Date,Amount,Description\n2026-03-02,=1+2,=HYPERLINK(\"x\")\n"

    preview = statement_import_preview(actor=accountant, bank_account=bank, content=content)

    assert [(row.status, row.message) for row in preview.rows] == [("error", "“=1+2” is not an amount.")]


def test_an_inactive_bank_account_takes_no_statement(bank, accountant):
    BankAccount.objects.filter(pk=bank.pk).update(is_active=False)

    with pytest.raises(InvalidState):
        do_import(bank, accountant, cn_csv(MARCH))


def test_importing_needs_the_permission(bank, make_user):
    with pytest.raises(PermissionDenied):
        do_import(bank, make_user("auditor"), cn_csv(MARCH))


def test_the_header_list_is_what_banks_print():
    assert CN_HEADER[:4] == ["交易日期", "借方发生额", "贷方发生额", "余额"]


def test_a_counterparty_is_found_by_any_of_the_partners_bank_accounts(bank, accountant, books):
    from tessera.partners.models import PartnerBankAccount

    PartnerBankAccount.objects.create(company=books.company, partner=books.supplier, bank_name="招商银行",
                                      account_number="6214 8301 2345 6789", is_default=False)
    row = ["2026-03-26", "50.00", "", "9,031.00", "运费", "PAY-2026-A3", "东方纸业(上海)", "6214830123456789"]

    statement = do_import(bank, accountant, cn_csv([*MARCH, row]))

    assert [line.partner for line in lines_of(statement)] == [books.customer, None, books.supplier, books.supplier]

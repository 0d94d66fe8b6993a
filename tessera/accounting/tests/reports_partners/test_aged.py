"""Aged receivables and payables: buckets, first-in-first-out settlement, ties to the control accounts."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.reports import trial_balance
from tessera.accounting.reports_partners import aged_payables, aged_receivables, bucket_of, due_dates
from tessera.core.errors import PermissionDenied, ValidationFailed

from .conftest import post

D = datetime.date
AS_OF = D(2026, 6, 30)
ZERO = Decimal("0.00")


def row_of(report, code):
    return next(row for row in report.rows if row["partner_code"] == code)


def test_each_customer_has_its_open_items_in_buckets(books):
    report = aged_receivables(books.ledger.company, AS_OF)

    assert [(row["partner_code"], row["not_due"], row["days_0_30"], row["days_61_90"], row["days_over_120"],
             row["total"]) for row in report.rows] == [
        ("C001", ZERO, Decimal("565.00"), Decimal("1890.00"), ZERO, Decimal("2455.00")),
        ("C002", Decimal("2260.00"), ZERO, ZERO, Decimal("1000.00"), Decimal("3260.00")),
    ]


def test_a_receipt_settles_the_oldest_invoice_first(books):
    c001 = row_of(aged_receivables(books.ledger.company, AS_OF), "C001")

    # 1500 received: January's 1130 is settled in full (nothing over 120 days), April keeps 2260 − 370.
    assert (c001["days_over_120"], c001["days_61_90"]) == (ZERO, Decimal("1890.00"))


def test_an_invoice_document_ages_by_its_due_date(books):
    c002 = row_of(aged_receivables(books.ledger.company, AS_OF), "C002")

    assert c002["not_due"] == Decimal("2260.00")  # posted 2026-06-01, due 2026-07-31


def test_totals_per_bucket_and_the_grand_total_equal_the_receivable_balance(books):
    report = aged_receivables(books.ledger.company, AS_OF)
    tb = trial_balance(books.ledger.company, D(2026, 6, 1), AS_OF)
    receivable = next(row for row in tb.rows if row["code"] == "1122")

    assert report.totals == {"not_due": Decimal("2260.00"), "days_0_30": Decimal("565.00"), "days_31_60": ZERO,
                             "days_61_90": Decimal("1890.00"), "days_91_120": ZERO,
                             "days_over_120": Decimal("1000.00"), "total": Decimal("5715.00")}
    assert report.totals["total"] == report.balance == receivable["closing_debit"]


def test_payables_age_by_the_bill_due_date_named_in_the_entry_source(books):
    s001 = row_of(aged_payables(books.ledger.company, AS_OF), "S001")

    # Due 2026-05-31: 30 days overdue on 06-30; 1130 less the 500 paid.
    assert (s001["days_0_30"], s001["days_31_60"], s001["total"]) == (Decimal("630.00"), ZERO, Decimal("630.00"))


def test_a_prepayment_shows_as_a_negative_open_amount(books):
    s002 = row_of(aged_payables(books.ledger.company, AS_OF), "S002")

    assert (s002["days_0_30"], s002["total"]) == (Decimal("-300.00"), Decimal("-300.00"))


def test_payables_total_equals_the_payable_credit_balance(books):
    report = aged_payables(books.ledger.company, AS_OF)
    tb = trial_balance(books.ledger.company, D(2026, 6, 1), AS_OF)
    payable = next(row for row in tb.rows if row["code"] == "2202")

    assert report.totals["total"] == report.balance == payable["closing_credit"] == Decimal("330.00")


def test_lines_after_the_date_are_left_out(books):
    report = aged_receivables(books.ledger.company, D(2026, 5, 31))

    assert [(row["partner_code"], row["total"]) for row in report.rows] == [
        ("C001", Decimal("1890.00")), ("C002", Decimal("1000.00"))]


def test_a_settled_partner_is_not_listed(books, accountant):
    ledger, c2 = books.ledger, books.customers["c2"]
    post(ledger, accountant, D(2026, 6, 30), (ledger.bank, "3260", "0"), (ledger.receivable, "0", "3260"),
         partner=c2)

    report = aged_receivables(ledger.company, AS_OF)

    assert [row["partner_code"] for row in report.rows] == ["C001"]


@pytest.mark.parametrize(("due_on", "bucket"), [
    (D(2026, 7, 1), "not_due"), (D(2026, 6, 30), "days_0_30"), (D(2026, 5, 31), "days_0_30"),
    (D(2026, 5, 30), "days_31_60"), (D(2026, 4, 1), "days_61_90"), (D(2026, 3, 2), "days_91_120"),
    (D(2026, 3, 1), "days_over_120"),
])
def test_bucket_limits(due_on, bucket):
    assert bucket_of(due_on, AS_OF) == bucket


def test_a_salesperson_may_not_see_the_aged_receivables(books, make_user):
    with pytest.raises(PermissionDenied):
        aged_receivables(books.ledger.company, AS_OF, actor=make_user("salesperson"))


def test_a_missing_date_is_refused(books):
    with pytest.raises(ValidationFailed) as error:
        aged_receivables(books.ledger.company, None)

    assert error.value.fields == {"as_of": ["Enter a date as YYYY-MM-DD."]}


def test_an_entry_naming_its_invoice_only_in_source_ages_by_that_invoice_due_date(books, accountant):
    from tessera.accounting.models import Invoice

    ledger, c2 = books.ledger, books.customers["c2"]
    document = Invoice.objects.create(company=ledger.company, kind="customer_invoice", partner=c2,
                                      journal=ledger.journal, date=D(2026, 6, 30), due_on=D(2026, 9, 30),
                                      currency=ledger.company.base_currency)
    entry = post(ledger, accountant, D(2026, 6, 30), (ledger.receivable, "100", "0"), (ledger.revenue, "0", "100"),
                 partner=c2, source=f"accounting.invoice:{document.pk}")

    assert due_dates(ledger.company, [entry.pk]) == {entry.pk: (D(2026, 9, 30), "")}
    assert row_of(aged_receivables(ledger.company, AS_OF), "C002")["not_due"] == Decimal("2360.00")

"""Cash position: balances per cash account (foreign ones in their currency too), and the projection
from open posted invoices by due date."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import Account, Journal, Tax
from tessera.accounting.reports_cashflow import cash_position
from tessera.accounting.services.invoices import invoice_create, invoice_post
from tessera.accounting.services.payments import payment_create, payment_post
from tessera.core.errors import PermissionDenied, ValidationFailed

D = datetime.date
AS_OF = D(2026, 3, 31)


def invoice(books, kind, day, due_on, unit_price, post=True):
    customer = kind.startswith("customer")
    tax = Tax.objects.get(company=books.company, kind="sales" if customer else "purchase",
                          name="销项税 13%" if customer else "进项税 13%")
    created = invoice_create(
        actor=books.actor, company=books.company,
        data={"kind": kind, "partner": books.customer if customer else books.supplier, "date": day,
              "due_on": due_on},
        lines=[{"description": "Goods", "account": books.account("6001" if customer else "6602"),
                "unit_price": unit_price, "quantity": "1", "taxes": [tax]}])
    return invoice_post(actor=books.actor, invoice=created) if post else created


@pytest.fixture
def position_books(cash_books):
    books = cash_books
    books.post(D(2026, 1, 5), ("1002", "10000.00", "0"), ("4001", "0", "10000.00"))
    books.post(D(2026, 1, 6), ("1001", "500.00", "0"), ("1002", "0", "500.00"))
    return books


def test_balances_of_each_cash_account_and_their_total(position_books):
    report = cash_position(position_books.company, AS_OF)

    assert [(row["code"], row["currency"], row["balance_currency"], row["balance"]) for row in report.accounts] == [
        ("1001", "CNY", None, Decimal("500.00")), ("1002", "CNY", None, Decimal("9500.00")),
        ("1003", "USD", Decimal("0.00"), Decimal("0.00")), ("1012", "CNY", None, Decimal("0.00"))]
    assert report.total == Decimal("10000.00")


def test_a_foreign_account_shows_its_own_currency(position_books):
    from tessera.core.tests.factories import currency

    books = position_books
    books.post(D(2026, 2, 1), ("1003", "7000.00", "0", {"currency": currency("USD"), "amount_currency": "1000.00"}),
               ("4001", "0", "7000.00"))
    books.post(D(2026, 3, 1), ("220201", "1420.00", "0"),
               ("1003", "0", "1420.00", {"currency": currency("USD"), "amount_currency": "200.00"}))

    row = next(row for row in cash_position(books.company, AS_OF).accounts if row["code"] == "1003")

    assert (row["balance_currency"], row["balance"]) == (Decimal("800.00"), Decimal("5580.00"))


def test_open_invoices_project_the_balance_by_due_date(position_books):
    books = position_books
    invoice(books, "customer_invoice", D(2026, 3, 1), D(2026, 3, 20), "100.00")  # overdue: 113.00
    invoice(books, "customer_invoice", D(2026, 3, 25), D(2026, 4, 5), "200.00")  # 226.00 in the first week
    invoice(books, "customer_credit", D(2026, 3, 26), D(2026, 4, 2), "50.00")  # −56.50 in the first week
    invoice(books, "supplier_invoice", D(2026, 3, 10), D(2026, 4, 20), "500.00")  # 565.00 in the third week
    invoice(books, "supplier_invoice", D(2026, 3, 10), D(2026, 3, 30), "80.00")  # overdue: 90.40
    invoice(books, "supplier_invoice", D(2026, 3, 10), D(2026, 5, 15), "900.00")  # beyond the 30 days
    invoice(books, "customer_invoice", D(2026, 4, 2), D(2026, 4, 6), "700.00")  # posted after the date
    invoice(books, "customer_invoice", D(2026, 3, 2), D(2026, 4, 6), "300.00", post=False)  # a draft

    report = cash_position(books.company, AS_OF)

    assert [(span["key"], span["receipts"], span["payments"], span["balance"]) for span in report.buckets] == [
        ("overdue", Decimal("113.00"), Decimal("90.40"), Decimal("10022.60")),
        ("days_0_7", Decimal("169.50"), Decimal("0.00"), Decimal("10192.10")),
        ("days_8_14", Decimal("0.00"), Decimal("0.00"), Decimal("10192.10")),
        ("days_15_21", Decimal("0.00"), Decimal("565.00"), Decimal("9627.10")),
        ("days_22_30", Decimal("0.00"), Decimal("0.00"), Decimal("9627.10")),
    ]
    assert (report.overdue_receipts, report.overdue_payments, report.receipts, report.payments) == (
        Decimal("113.00"), Decimal("90.40"), Decimal("169.50"), Decimal("565.00"))
    assert report.projected_balance == Decimal("9627.10")
    assert (report.buckets[1]["date_from"], report.buckets[1]["date_to"], report.horizon) == (
        D(2026, 3, 31), D(2026, 4, 7), D(2026, 4, 30))


def test_a_payment_reduces_what_is_expected(position_books):
    books = position_books
    sale = invoice(books, "customer_invoice", D(2026, 3, 1), D(2026, 4, 3), "100.00")
    payment = payment_create(
        actor=books.actor, company=books.company,
        data={"kind": "inbound", "partner": books.customer, "date": D(2026, 3, 20), "amount": "13.00",
              "journal": Journal.objects.get(company=books.company, code="BNK")},
        allocations=[{"invoice": sale, "amount": "13.00"}])
    payment_post(actor=books.actor, payment=payment)

    report = cash_position(books.company, AS_OF)

    assert report.total == Decimal("10013.00")
    assert report.buckets[1]["receipts"] == Decimal("100.00")
    assert report.projected_balance == Decimal("10113.00")


def test_an_inactive_account_without_balance_is_left_out(position_books):
    Account.objects.filter(company=position_books.company, code="1012").update(is_active=False)

    codes = [row["code"] for row in cash_position(position_books.company, AS_OF).accounts]

    assert codes == ["1001", "1002", "1003"]


def test_cash_position_checks_its_date_and_permission(position_books, make_user):
    with pytest.raises(ValidationFailed):
        cash_position(position_books.company, "2026-03-31")
    with pytest.raises(PermissionDenied):
        cash_position(position_books.company, AS_OF, actor=make_user("salesperson", username="sally"))

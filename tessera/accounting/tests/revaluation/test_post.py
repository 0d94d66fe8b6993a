"""Revaluation posting: worked examples with exact figures (customer and supplier invoices, partial
payments, prepayments, a USD bank account), the entry and its reversal, later settlement."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from tessera.accounting.models import JournalEntry, Revaluation, RevaluationLine
from tessera.accounting.services.revaluation import revaluation_post, revaluation_preview
from tessera.accounting.tests.documents.conftest import D, legs, partner_balance
from tessera.core.models import AuditEntry, DomainEvent
from tessera.core.services.currency import exchange_rate_set

from .conftest import CLOSING, balance, rows, usd_invoice

pytestmark = pytest.mark.django_db
R = Decimal


def test_a_usd_receivable_is_revalued_at_the_closing_rate(books, fx):
    invoice = usd_invoice(books)

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert rows(revaluation) == [("1122", "C001", invoice.number, "USD", R("1000.00"), R("7100.00"), R("7.2"),
                                  R("7200.00"), R("100.00"))]
    assert (revaluation.state, revaluation.total_gain, revaluation.total_loss) == ("posted", R("100.00"), 0)
    entry, reversal = revaluation.entry, revaluation.reversal_entry
    assert (entry.date, entry.state, entry.journal.code) == (CLOSING, "posted", "GEN")
    assert legs(entry) == [("1122", R("100.00"), 0), ("66030201", 0, R("100.00"))]
    assert (reversal.date, reversal.state, reversal.reversal_of_id) == (D(2026, 2, 1), "posted", entry.pk)
    assert legs(reversal) == [("1122", 0, R("100.00")), ("66030201", R("100.00"), 0)]
    assert balance(books.receivable, books.customer, up_to=CLOSING) == R("7200.00")
    assert balance(books.receivable, books.customer, up_to=D(2026, 2, 1)) == R("7100.00")
    assert balance(books.gain, up_to=CLOSING) == R("-100.00")


def test_the_entry_lines_name_partner_and_currency_with_no_amount_in_currency(books, fx):
    usd_invoice(books)

    entry = revaluation_post(actor=books.actor, company=books.company, date=CLOSING).entry

    control = entry.lines.get(account=books.receivable)
    assert (control.partner, control.currency, control.amount_currency) == (books.customer, fx.usd, 0)
    assert entry.source == f"accounting.revaluation:{Revaluation.objects.get().pk}"


def test_payment_after_the_reversal_realises_against_the_invoice_rate(books, fx):
    invoice = usd_invoice(books)
    revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    payment = books.payment("1000.00", (invoice, "1000.00"), currency=fx.usd, date=D(2026, 3, 10))

    assert [(line.account.code, line.debit, line.credit) for line in payment.entry.lines.order_by("sequence")] == [
        ("1002", R("7250.00"), 0), ("1122", 0, R("7100.00")), ("66030201", 0, R("150.00"))]
    assert partner_balance(books.receivable, books.customer) == R("0.00")
    assert balance(books.gain) == R("-150.00")  # 100.00 unrealised and reversed, 150.00 realised


def test_a_supplier_invoice_is_revalued_to_a_loss(books, fx):
    bill = usd_invoice(books, "500.00", kind="supplier_invoice")

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert rows(revaluation) == [("220201", "S001", bill.number, "USD", R("-500.00"), R("-3550.00"), R("7.2"),
                                  R("-3600.00"), R("-50.00"))]
    assert (revaluation.total_gain, revaluation.total_loss) == (0, R("50.00"))
    assert legs(revaluation.entry) == [("220201", 0, R("50.00")), ("66030202", R("50.00"), 0)]
    assert balance(books.payable, books.supplier, up_to=CLOSING) == R("-3600.00")


def test_a_partly_paid_invoice_is_revalued_on_its_residual(books, fx):
    invoice = usd_invoice(books)
    books.payment("400.00", (invoice, "400.00"), currency=fx.usd, date=D(2026, 1, 20))

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert rows(revaluation) == [("1122", "C001", invoice.number, "USD", R("600.00"), R("4260.00"), R("7.2"),
                                  R("4320.00"), R("60.00"))]
    assert balance(books.receivable, books.customer, up_to=CLOSING) == R("4320.00")


def test_a_payment_dated_after_the_revaluation_date_does_not_reduce_the_open_amount(books, fx):
    invoice = usd_invoice(books)
    books.payment("1000.00", (invoice, "1000.00"), currency=fx.usd, date=D(2026, 2, 5))

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert rows(revaluation)[0][4:] == (R("1000.00"), R("7100.00"), R("7.2"), R("7200.00"), R("100.00"))
    assert partner_balance(books.receivable, books.customer) == 0


def test_a_prepayment_is_revalued_per_partner(books, fx):
    books.payment("1000.00", currency=fx.usd, journal=fx.usd_journal, date=D(2026, 1, 20))

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert rows(revaluation) == [  # the customer's credit balance loses what the USD in the bank gains
        ("1122", "C001", None, "USD", R("-1000.00"), R("-7100.00"), R("7.2"), R("-7200.00"), R("-100.00")),
        ("1003", None, None, "USD", R("1000.00"), R("7100.00"), R("7.2"), R("7200.00"), R("100.00")),
    ]
    assert (revaluation.total_gain, revaluation.total_loss) == (R("100.00"), R("100.00"))
    assert balance(fx.usd_bank, up_to=CLOSING) == R("7200.00")
    assert balance(books.receivable, books.customer, up_to=CLOSING) == R("-7200.00")


def test_a_usd_bank_account_is_revalued(books, fx):
    books.payment("250.00", kind="outbound", currency=fx.usd, journal=fx.usd_journal, date=D(2026, 1, 20))
    books.payment("1250.00", currency=fx.usd, journal=fx.usd_journal, date=D(2026, 1, 10))

    preview = revaluation_preview(company=books.company, date=CLOSING)

    bank = next(line for line in preview.lines if line.account == fx.usd_bank)
    assert (bank.amount_currency, bank.carrying_amount, bank.revalued_amount, bank.difference) == (
        R("1000.00"), R("7100.00"), R("7200.00"), R("100.00"))


def test_invoices_dated_after_the_revaluation_date_are_left_out(books, fx):
    usd_invoice(books, day=D(2026, 2, 3))

    preview = revaluation_preview(company=books.company, date=CLOSING)

    assert preview.lines == []


def test_base_currency_invoices_are_left_out(books, fx):
    books.invoice(date=D(2026, 1, 15))
    invoice = usd_invoice(books)

    preview = revaluation_preview(company=books.company, date=CLOSING)

    assert [line.invoice for line in preview.lines] == [invoice]


def test_the_preview_writes_nothing(books, fx):
    usd_invoice(books)
    entries = JournalEntry.objects.count()

    preview = revaluation_preview(company=books.company, date=CLOSING)

    assert (preview.total_gain, preview.total_loss, preview.rates) == (R("100.00"), 0, {"USD": R("7.2000000000")})
    assert (JournalEntry.objects.count(), Revaluation.objects.count(), RevaluationLine.objects.count()) == (
        entries, 0, 0)


def test_posting_writes_an_audit_transition_and_an_event(books, fx):
    usd_invoice(books)

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    transitions = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Revaluation),
                                            object_id=str(revaluation.pk), action="transition")
    assert [entry.changes for entry in transitions] == [{"state": ["", "posted"]}]
    event = DomainEvent.objects.get(name="accounting.revaluation.posted")
    assert event.payload == {"date": "2026-01-31", "entry": revaluation.entry.number,
                             "reversal": revaluation.reversal_entry.number, "total_gain": "100.00",
                             "total_loss": "0.00"}


def test_each_month_end_starts_again_from_the_documents_rates(books, fx):
    exchange_rate_set(currency=fx.usd, quote=fx.cny, on=D(2026, 2, 28), rate=R("7.3000"))
    usd_invoice(books)
    revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    february = revaluation_post(actor=books.actor, company=books.company, date=D(2026, 2, 28))

    assert rows(february)[0][4:] == (R("1000.00"), R("7100.00"), R("7.3"), R("7300.00"), R("200.00"))
    assert balance(books.receivable, books.customer, up_to=D(2026, 2, 28)) == R("7300.00")
    assert balance(books.receivable, books.customer) == R("7100.00")
    assert balance(books.gain) == 0


def test_a_credit_note_on_or_before_the_date_reduces_the_open_amount(books, fx):
    invoice = usd_invoice(books)
    usd_invoice(books, "200.00", kind="customer_credit", credit_note_of=invoice, day=D(2026, 1, 20))

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert rows(revaluation) == [("1122", "C001", invoice.number, "USD", R("800.00"), R("5680.00"), R("7.2"),
                                  R("5760.00"), R("80.00"))]
    assert balance(books.receivable, books.customer, up_to=CLOSING) == R("5760.00")


def test_a_credit_note_after_the_date_leaves_the_invoice_open_on_the_date(books, fx):
    invoice = usd_invoice(books)
    usd_invoice(books, "200.00", kind="customer_credit", credit_note_of=invoice, day=D(2026, 2, 5))

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert [(row[2], row[4], row[8]) for row in rows(revaluation)] == [(invoice.number, R("1000.00"), R("100.00"))]


def test_an_open_credit_note_is_revalued_against_the_customer(books, fx):
    invoice = usd_invoice(books)
    books.payment("1000.00", (invoice, "1000.00"), currency=fx.usd, date=D(2026, 1, 20))
    credit = usd_invoice(books, "100.00", kind="customer_credit", credit_note_of=invoice, day=D(2026, 1, 25))

    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert rows(revaluation) == [("1122", "C001", credit.number, "USD", R("-100.00"), R("-710.00"), R("7.2"),
                                  R("-720.00"), R("-10.00"))]


def test_the_preview_of_a_date_already_revalued_shows_what_was_posted(books, fx):
    usd_invoice(books)
    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    preview = revaluation_preview(company=books.company, date=CLOSING)

    assert rows(preview) == rows(revaluation)

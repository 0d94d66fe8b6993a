"""Reconciliation actions on statement lines: match, create an entry, create a payment, ignore, unignore,
unmatch, auto-match, and deleting a statement; happy paths, forbidden states, refusals that change nothing."""

from decimal import Decimal

import pytest

from tessera.accounting.models import (
    Account,
    BankMatch,
    BankStatement,
    BankStatementLine,
    Invoice,
    JournalEntry,
    Payment,
    Period,
    Tax,
)
from tessera.accounting.services.bank import statement_delete
from tessera.accounting.services.bank_reconcile import (
    statement_auto_match,
    statement_line_create_entry,
    statement_line_create_payment,
    statement_line_ignore,
    statement_line_match,
    statement_line_unignore,
    statement_line_unmatch,
)
from tessera.accounting.services.errors import PeriodClosed
from tessera.accounting.services.ledger import entry_create
from tessera.accounting.services.periods import period_close
from tessera.core.errors import Conflict, InvalidState, PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry

from ..documents.conftest import legs
from .conftest import D, balance, lines_of, post_bank_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(books, bank):
    """The customer's payment of a 226.00 invoice on 2026-03-18, reference PAY-2026-A1: its bank line."""
    invoice = books.invoice(("100.00", 2))
    payment = books.payment("226.00", (invoice, "226.00"), date=D(2026, 3, 18), reference="PAY-2026-A1")
    return payment.entry.lines.get(account=bank.journal.default_account)


def fresh(line) -> BankStatementLine:
    return BankStatementLine.objects.get(pk=line.pk)


def unchanged(line) -> tuple:
    line = fresh(line)
    return line.state, line.version, line.matches.count(), line.statement.state


def ledger(bank):
    return bank.journal.default_account


# --- match -----------------------------------------------------------------------------------------

def test_match_reconciles_the_line(statement, receipt, accountant):
    line = lines_of(statement)[0]

    matched = statement_line_match(actor=accountant, line=line, lines=[receipt.pk], version=1)

    assert (matched.state, matched.version, matched.reconciled_by) == ("reconciled", 2, accountant)
    assert matched.reconciled_at is not None
    match = BankMatch.objects.get()
    assert (match.statement_line_id, match.journal_line_id, match.created_entry) == (line.pk, receipt.pk, False)
    assert BankStatement.objects.get(pk=statement.pk).state == "open"
    assert AuditEntry.objects.filter(object_id=str(line.pk), action="transition",
                                     changes={"state": ["unreconciled", "reconciled"]}).exists()


def test_several_ledger_lines_adding_up_clear_one_statement_line(books, bank, statement, accountant):
    parts = [post_bank_entry(books, bank.journal, amount, D(2026, 3, 20), "6001")
             for amount in ("100.00", "126.00")]

    matched = statement_line_match(actor=accountant, line=lines_of(statement)[0], lines=parts)

    assert matched.state == "reconciled"
    assert sorted(BankMatch.objects.values_list("journal_line_id", flat=True)) == sorted(p.pk for p in parts)


def test_the_statement_is_reconciled_with_its_last_line(books, bank, statement, receipt, accountant):
    first, fee, supplier = lines_of(statement)
    statement_line_match(actor=accountant, line=first, lines=[receipt])
    statement_line_ignore(actor=accountant, line=fee)

    statement_line_match(actor=accountant, line=supplier,
                         lines=[post_bank_entry(books, bank.journal, "-1130.00", D(2026, 3, 25))])

    assert BankStatement.objects.get(pk=statement.pk).state == "reconciled"


def test_lines_not_adding_up_are_refused(statement, receipt, accountant):
    fee = lines_of(statement)[1]

    with pytest.raises(Conflict) as refused:
        statement_line_match(actor=accountant, line=fee, lines=[receipt.pk])

    assert refused.value.code == "amount_mismatch"
    assert refused.value.message == "The ledger lines add up to 226.00, the statement line is -15.00."
    assert unchanged(fee) == ("unreconciled", 1, 0, "open")


def test_a_ledger_line_matched_already_is_refused(statement, receipt, accountant):
    first, fee, _ = lines_of(statement)
    statement_line_match(actor=accountant, line=first, lines=[receipt.pk])

    with pytest.raises(Conflict) as refused:
        statement_line_match(actor=accountant, line=fee, lines=[receipt.pk])

    assert refused.value.code == "already_matched"
    assert unchanged(fee) == ("unreconciled", 1, 0, "open")


def test_lines_of_another_account_or_unposted_are_refused(books, bank, statement, accountant):
    receivable_line = books.invoice(("100.00", 2)).entry.lines.get(account=books.receivable)
    draft = entry_create(actor=accountant, company=books.company,
                         data={"journal": bank.journal, "date": D(2026, 3, 20)},
                         lines=[{"account": ledger(bank), "debit": "226.00"},
                                {"account": books.revenue, "credit": "226.00"}])
    line = lines_of(statement)[0]

    with pytest.raises(ValidationFailed) as refused:
        statement_line_match(actor=accountant, line=line, lines=[receivable_line.pk, draft.lines.first().pk, 999999])

    assert refused.value.fields["lines"] == [
        f"Ledger line #{receivable_line.pk} of {receivable_line.entry} is not on the bank's account 100201.",
        f"Ledger line #{draft.lines.first().pk} is not posted.",
        "Ledger line #999999 does not exist in this company."]
    assert unchanged(line) == ("unreconciled", 1, 0, "open")


@pytest.mark.parametrize("lines", [[], "1", [1, 1]])
def test_the_lines_must_be_a_list_of_ids(statement, accountant, lines):
    with pytest.raises(ValidationFailed):
        statement_line_match(actor=accountant, line=lines_of(statement)[0], lines=lines)


def test_match_from_a_reconciled_or_ignored_line_is_refused(statement, receipt, accountant):
    first, fee, _ = lines_of(statement)
    statement_line_match(actor=accountant, line=first, lines=[receipt])
    statement_line_ignore(actor=accountant, line=fee)

    for line in (first, fee):
        with pytest.raises(InvalidState):
            statement_line_match(actor=accountant, line=line, lines=[receipt])
    assert BankMatch.objects.count() == 1


def test_a_stale_version_is_refused(statement, receipt, accountant):
    line = lines_of(statement)[0]

    with pytest.raises(InvalidState) as refused:
        statement_line_match(actor=accountant, line=line, lines=[receipt], version=7)

    assert refused.value.message == "Someone else changed this statement line meanwhile: reload it and try again."


@pytest.mark.parametrize("role", ["auditor", "salesperson"])
def test_reconciling_needs_the_permission(statement, receipt, make_user, role):
    line = lines_of(statement)[0]
    user = make_user(role)

    for action in (lambda: statement_line_match(actor=user, line=line, lines=[receipt]),
                   lambda: statement_line_ignore(actor=user, line=line),
                   lambda: statement_line_create_entry(actor=user, line=line, data={}),
                   lambda: statement_line_create_payment(actor=user, line=line, data={}),
                   lambda: statement_auto_match(actor=user, statement=statement)):
        with pytest.raises(PermissionDenied) as refused:
            action()
        assert "accounting.reconcile_bankaccount" in refused.value.message
    assert unchanged(line) == ("unreconciled", 1, 0, "open")


# --- create an entry -------------------------------------------------------------------------------

def test_create_entry_posts_the_bank_charge_and_matches_it(books, bank, statement, accountant):
    fee = lines_of(statement)[1]
    charges = Account.objects.get(company=books.company, code="660303")

    line = statement_line_create_entry(actor=accountant, line=fee, data={"account": charges.pk})

    entry = JournalEntry.objects.get(source=f"accounting.bankstatementline:{fee.pk}")
    assert (entry.journal, entry.date, entry.state, entry.reference, entry.description) == (
        bank.journal, D(2026, 3, 21), "posted", "FEE-2026-03", "手续费")
    assert legs(entry) == [("100201", 0, Decimal("15.00")), ("660303", Decimal("15.00"), 0)]
    assert (balance(ledger(bank)), balance(charges)) == (Decimal("-15.00"), Decimal("15.00"))
    assert line.state == "reconciled"
    assert BankMatch.objects.get().created_entry is True


def test_create_entry_splits_off_an_included_tax(books, bank, statement, accountant):
    supplier_line = lines_of(statement)[2]
    tax = Tax.objects.get(company=books.company, kind="purchase", name="进项税 13%")

    statement_line_create_entry(actor=accountant, line=supplier_line, data={
        "account": books.expense, "tax": tax, "description": "Office rent"})

    entry = JournalEntry.objects.get(source=f"accounting.bankstatementline:{supplier_line.pk}")
    assert legs(entry) == [("100201", 0, Decimal("1130.00")), ("6602", Decimal("1000.00"), 0),
                           ("22210101", Decimal("130.00"), 0)]
    assert entry.description == "Office rent"


def test_create_entry_in_a_closed_period_is_refused(books, statement, accountant):
    fee = lines_of(statement)[1]
    period_close(actor=accountant, period=Period.objects.get(company=books.company, start_on=D(2026, 3, 1)))

    with pytest.raises(PeriodClosed):
        statement_line_create_entry(actor=accountant, line=fee, data={"account": books.expense.pk})

    assert JournalEntry.objects.filter(source__startswith="accounting.bankstatementline").count() == 0
    assert unchanged(fee) == ("unreconciled", 1, 0, "open")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "account", "Choose the account the amount goes to (bank charges, interest, a transfer...)."),
    ({"account": "ledger"}, "account", "Choose the other account of the entry, not the bank's own."),
    ({"account": "receivable"}, "partner", "Choose the partner: account 1122 is kept per partner."),
    ({"account": "expense", "tax": "sales"}, "tax", "Money out takes a purchase tax, money in a sales tax."),
    ({"account": "expense", "nonsense": 1}, "nonsense", "This field cannot be set."),
])
def test_create_entry_refuses_bad_input(books, bank, statement, accountant, data, field, message):
    fee = lines_of(statement)[1]
    records = {"ledger": ledger(bank), "receivable": books.receivable, "expense": books.expense,
               "sales": books.vat13}
    data = {name: records.get(value, value) if isinstance(value, str) else value for name, value in data.items()}

    with pytest.raises(ValidationFailed) as refused:
        statement_line_create_entry(actor=accountant, line=fee, data=data)

    assert refused.value.fields[field] == [message]
    assert unchanged(fee) == ("unreconciled", 1, 0, "open")


# --- create a payment ------------------------------------------------------------------------------

def test_create_payment_settles_the_invoice_and_matches(books, bank, statement, accountant):
    invoice = books.invoice(("100.00", 2))
    first = lines_of(statement)[0]

    line = statement_line_create_payment(actor=accountant, line=first, data={
        "partner": books.customer.pk, "allocations": [{"invoice": invoice.pk}]})

    payment = Payment.objects.get()
    assert (payment.kind, payment.state, payment.amount, payment.date, payment.reference, payment.journal) == (
        "inbound", "posted", Decimal("226.00"), D(2026, 3, 20), "PAY-2026-A1", bank.journal)
    assert Invoice.objects.get(pk=invoice.pk).state == "paid"
    assert legs(payment.entry) == [("100201", Decimal("226.00"), 0), ("1122", 0, Decimal("226.00"))]
    assert line.state == "reconciled" and BankMatch.objects.get().created_entry is True


def test_create_payment_for_money_out_is_a_disbursement(books, statement, accountant):
    bill = books.invoice(("1000.00", 1), kind="supplier_invoice")

    statement_line_create_payment(actor=accountant, line=lines_of(statement)[2], data={
        "partner": books.supplier, "allocations": [{"invoice": bill, "amount": "1130.00"}]})

    payment = Payment.objects.get()
    assert (payment.kind, payment.amount) == ("outbound", Decimal("1130.00"))
    assert Invoice.objects.get(pk=bill.pk).state == "paid"


def test_create_payment_without_invoices_leaves_a_prepayment(books, statement, accountant):
    statement_line_create_payment(actor=accountant, line=lines_of(statement)[0], data={"partner": books.customer})

    assert legs(Payment.objects.get().entry) == [("100201", Decimal("226.00"), 0), ("1122", 0, Decimal("226.00"))]


def test_create_payment_needs_a_partner_and_fitting_invoices(books, statement, accountant):
    bill = books.invoice(("1000.00", 1), kind="supplier_invoice")
    first = lines_of(statement)[0]

    with pytest.raises(ValidationFailed) as no_partner:
        statement_line_create_payment(actor=accountant, line=first, data={})
    with pytest.raises(ValidationFailed) as wrong_invoice:
        statement_line_create_payment(actor=accountant, line=first, data={
            "partner": books.customer, "allocations": [{"invoice": bill.pk, "amount": "226.00"}]})

    assert no_partner.value.fields == {"partner": ["Choose the partner who paid or was paid."]}
    assert wrong_invoice.value.fields == {"allocations.0.invoice": [f"Invoice {bill.number} belongs to another "
                                                                    "partner."]}
    assert Payment.objects.count() == 0
    assert unchanged(first) == ("unreconciled", 1, 0, "open")


# --- ignore, unignore, unmatch -------------------------------------------------------------------

def test_ignore_and_unignore(statement, accountant):
    fee = lines_of(statement)[1]

    ignored = statement_line_ignore(actor=accountant, line=fee)
    with pytest.raises(InvalidState):
        statement_line_ignore(actor=accountant, line=fee)
    back = statement_line_unignore(actor=accountant, line=fee)

    assert (ignored.state, back.state, back.version) == ("ignored", "unreconciled", 3)
    with pytest.raises(InvalidState):
        statement_line_unignore(actor=accountant, line=fee)


def test_unmatch_reverses_an_entry_written_here(books, bank, statement, accountant):
    fee = lines_of(statement)[1]
    charges = Account.objects.get(company=books.company, code="660303")
    statement_line_create_entry(actor=accountant, line=fee, data={"account": charges})

    line = statement_line_unmatch(actor=accountant, line=fee)

    entry = JournalEntry.objects.get(source=f"accounting.bankstatementline:{fee.pk}")
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert (reversal.date, reversal.state) == (D(2026, 3, 21), "posted")
    assert (balance(ledger(bank)), balance(charges)) == (0, 0)
    assert (line.state, line.version, line.reconciled_at, line.reconciled_by) == ("unreconciled", 3, None, None)
    assert BankMatch.objects.count() == 0


def test_unmatch_cancels_a_payment_registered_here(books, statement, accountant):
    invoice = books.invoice(("100.00", 2))
    first = lines_of(statement)[0]
    statement_line_create_payment(actor=accountant, line=first, data={
        "partner": books.customer, "allocations": [{"invoice": invoice}]})

    statement_line_unmatch(actor=accountant, line=first)

    assert Payment.objects.get().state == "cancelled"
    assert Invoice.objects.get(pk=invoice.pk).state == "posted"
    assert fresh(first).state == "unreconciled"


def test_unmatch_of_a_plain_match_reverses_nothing(bank, statement, receipt, accountant):
    first = lines_of(statement)[0]
    statement_line_match(actor=accountant, line=first, lines=[receipt])
    entries = JournalEntry.objects.count()

    statement_line_unmatch(actor=accountant, line=first)

    assert JournalEntry.objects.count() == entries
    assert BankMatch.objects.count() == 0


def test_unmatch_reopens_a_reconciled_statement(books, bank, statement, receipt, accountant):
    first, fee, supplier = lines_of(statement)
    statement_line_match(actor=accountant, line=first, lines=[receipt])
    statement_line_ignore(actor=accountant, line=fee)
    statement_line_ignore(actor=accountant, line=supplier)
    assert BankStatement.objects.get(pk=statement.pk).state == "reconciled"

    statement_line_unmatch(actor=accountant, line=first)

    assert BankStatement.objects.get(pk=statement.pk).state == "open"


def test_unmatch_of_an_unreconciled_line_is_refused(statement, accountant):
    with pytest.raises(InvalidState):
        statement_line_unmatch(actor=accountant, line=lines_of(statement)[0])


def test_unmatch_into_a_closed_period_is_refused_and_a_date_can_be_given(books, bank, statement, accountant):
    fee = lines_of(statement)[1]
    statement_line_create_entry(actor=accountant, line=fee, data={"account": books.expense})
    period_close(actor=accountant, period=Period.objects.get(company=books.company, start_on=D(2026, 3, 1)))

    with pytest.raises(PeriodClosed):
        statement_line_unmatch(actor=accountant, line=fee)
    assert unchanged(fee) == ("reconciled", 2, 1, "open")

    statement_line_unmatch(actor=accountant, line=fee, date=D(2026, 4, 1))
    assert JournalEntry.objects.get(reversal_of__isnull=False).date == D(2026, 4, 1)


# --- auto-match, delete --------------------------------------------------------------------------

def test_auto_match_takes_only_convincing_single_candidates(books, bank, statement, receipt, accountant):
    post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))  # the fee, booked the same day
    post_bank_entry(books, bank.journal, "-1130.00", D(2026, 3, 24))  # two candidates for the supplier line
    post_bank_entry(books, bank.journal, "-1130.00", D(2026, 3, 26))

    matched = statement_auto_match(actor=accountant, statement=statement)

    first, fee, supplier = lines_of(statement)
    assert [line.pk for line in matched] == [first.pk, fee.pk]
    assert (fresh(first).state, fresh(fee).state, fresh(supplier).state) == ("reconciled", "reconciled",
                                                                             "unreconciled")


def test_auto_match_leaves_a_far_candidate_without_reference(books, bank, statement, accountant):
    post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 10))  # 11 days before, no reference

    assert statement_auto_match(actor=accountant, statement=statement) == []


def test_a_statement_without_reconciled_lines_can_be_deleted(statement, accountant):
    statement_line_ignore(actor=accountant, line=lines_of(statement)[1])

    statement_delete(actor=accountant, statement=statement)

    assert BankStatement.objects.count() == BankStatementLine.objects.count() == 0


def test_a_statement_with_reconciled_lines_is_not_deleted(statement, receipt, accountant):
    statement_line_match(actor=accountant, line=lines_of(statement)[0], lines=[receipt])

    with pytest.raises(InvalidState):
        statement_delete(actor=accountant, statement=statement)

    assert BankStatementLine.objects.count() == 3

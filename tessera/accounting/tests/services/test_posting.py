"""Posting journal entries: numbers, periods, totals, balances, audit, events, and every refusal."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import AccountBalance, JournalEntry, JournalEntryLine, Period
from tessera.accounting.services.errors import PeriodClosed, UnbalancedEntry
from tessera.accounting.services.ledger import entry_post, entry_post_new
from tessera.accounting.services.periods import period_close
from tessera.accounting.tests.factories import AccountFactory, JournalFactory, make_ledger
from tessera.core import context
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry, DomainEvent

from .helpers import balance, draft, ledger_state, legs, posted

D = datetime.date
MARCH_15 = D(2026, 3, 15)
pytestmark = pytest.mark.django_db


def _sale(ledger, actor, day=MARCH_15, amount="1130.00"):
    return draft(ledger, actor, day, (ledger.cash, amount, 0), (ledger.revenue, 0, "1000.00"),
                 (ledger.output_vat, 0, Decimal(amount) - Decimal("1000.00")))


def test_posting_numbers_the_entry_in_its_month_and_sets_period_and_totals(ledger, accountant):
    entry = entry_post(actor=accountant, entry=_sale(ledger, accountant))

    entry.refresh_from_db()
    assert entry.state == "posted"
    assert entry.number == "记-202603-0001"
    assert entry.period == Period.objects.get(company=ledger.company, name="2026-03")
    assert (entry.total_debit, entry.total_credit) == (Decimal("1130.00"), Decimal("1130.00"))
    assert entry.posted_by == accountant
    assert entry.chain_index == 1 and entry.previous_hash == "" and len(entry.hash) == 64


def test_numbers_count_up_within_a_month(ledger, accountant):
    first = entry_post(actor=accountant, entry=_sale(ledger, accountant))
    second = entry_post(actor=accountant, entry=_sale(ledger, accountant))

    assert (first.number, second.number) == ("记-202603-0001", "记-202603-0002")
    assert second.previous_hash == first.hash


def test_posting_adds_the_lines_to_the_account_balances_of_the_period(ledger, accountant):
    entry = entry_post(actor=accountant, entry=_sale(ledger, accountant))

    assert balance(ledger.cash, entry.period) == (Decimal("1130.00"), Decimal("0"))
    assert balance(ledger.revenue, entry.period) == (Decimal("0"), Decimal("1000.00"))
    assert balance(ledger.output_vat, entry.period) == (Decimal("0"), Decimal("130.00"))
    assert AccountBalance.objects.filter(company=ledger.company).count() == 3


def test_posting_copies_date_period_and_posted_flag_onto_the_lines(ledger, accountant):
    entry = entry_post(actor=accountant, entry=_sale(ledger, accountant))

    assert set(JournalEntryLine.objects.filter(entry=entry).values_list("date", "period", "is_posted")) == {
        (D(2026, 3, 15), entry.period_id, True)}


def test_posting_writes_an_audit_transition_and_the_posted_event(ledger, accountant):
    with context.acting(user=accountant, channel="ui"):
        entry = entry_post(actor=accountant, entry=_sale(ledger, accountant))

    transition = AuditEntry.objects.get(object_id=str(entry.pk), action="transition",
                                        content_type__model="journalentry")
    assert transition.changes == {"state": ["draft", "posted"]}
    assert (transition.actor, transition.channel) == (accountant, "ui")
    event = DomainEvent.objects.get(name="accounting.entry.posted", object_id=str(entry.pk))
    assert event.payload == {"number": "记-202603-0001", "total": "1130.00"}
    assert event.company == ledger.company


def test_an_accountant_can_post(ledger, make_user, accountant):
    bookkeeper = make_user("accountant", username="bookkeeper")

    entry = entry_post(actor=bookkeeper, entry=_sale(ledger, accountant))

    assert entry.state == "posted"


def test_a_salesperson_may_not_post(ledger, make_user, accountant):
    entry = _sale(ledger, accountant)
    seller = make_user("salesperson", username="seller")

    with pytest.raises(PermissionDenied) as error:
        entry_post(actor=seller, entry=entry)

    assert "accounting.post_journalentry" in str(error.value.message)
    entry.refresh_from_db()
    assert entry.state == "draft" and entry.number is None


def test_an_unbalanced_entry_is_refused_and_nothing_changes(ledger, accountant):
    entry = draft(ledger, accountant, D(2026, 3, 1), (ledger.cash, "100.00", 0), (ledger.revenue, 0, "99.99"))
    before = ledger_state(ledger.company)

    with pytest.raises(UnbalancedEntry) as error:
        entry_post(actor=accountant, entry=entry)

    assert error.value.code == "unbalanced_entry" and error.value.status == 409
    assert str(error.value.message) == "Total debit 100.00 does not equal total credit 99.99."
    assert ledger_state(ledger.company) == before


def test_posting_into_a_closed_period_is_refused(ledger, accountant):
    period_close(actor=accountant, period=Period.objects.get(company=ledger.company, name="2026-03"))
    entry = _sale(ledger, accountant)
    before = ledger_state(ledger.company)

    with pytest.raises(PeriodClosed) as error:
        entry_post(actor=accountant, entry=entry)

    assert error.value.code == "period_closed"
    assert str(error.value.message) == "Period 2026-03 is closed."
    assert ledger_state(ledger.company) == before


def test_posting_on_a_date_without_a_period_is_refused(ledger, accountant):
    entry = _sale(ledger, accountant, day=D(2030, 1, 1))

    with pytest.raises(PeriodClosed) as error:
        entry_post(actor=accountant, entry=entry)

    assert str(error.value.message) == "There is no accounting period for 2030-01-01: open its fiscal year first."
    assert JournalEntry.objects.get(pk=entry.pk).state == "draft"


def test_an_account_that_gained_sub_accounts_refuses_the_posting_with_a_line_error(ledger, accountant):
    entry = _sale(ledger, accountant)
    AccountFactory(company=ledger.company, code="600101", name="Goods", type="income", parent=ledger.revenue)

    with pytest.raises(ValidationFailed) as error:
        entry_post(actor=accountant, entry=entry)

    assert error.value.fields == {"lines.1.account": ["Post to a leaf account: 6001 has sub-accounts."]}
    assert not AccountBalance.objects.exists()


def test_an_account_made_inactive_refuses_the_posting(ledger, accountant):
    entry = _sale(ledger, accountant)
    ledger.cash.is_active = False
    ledger.cash.save()

    with pytest.raises(ValidationFailed) as error:
        entry_post(actor=accountant, entry=entry)

    assert error.value.fields == {"lines.0.account": ["Account 1001 is inactive."]}


def test_posting_twice_is_refused(ledger, accountant):
    entry = entry_post(actor=accountant, entry=_sale(ledger, accountant))
    before = ledger_state(ledger.company)

    with pytest.raises(InvalidState) as error:
        entry_post(actor=accountant, entry=entry)

    assert str(error.value.message) == "Entry 记-202603-0001 is already posted."
    assert ledger_state(ledger.company) == before


def test_a_failed_posting_gives_its_number_back(ledger, accountant):
    unbalanced = draft(ledger, accountant, D(2026, 3, 1), (ledger.cash, 1, 0), (ledger.revenue, 0, 2))
    with pytest.raises(UnbalancedEntry):
        entry_post(actor=accountant, entry=unbalanced)

    assert entry_post(actor=accountant, entry=_sale(ledger, accountant)).number == "记-202603-0001"


def test_entry_post_new_creates_and_posts_with_the_source_document(ledger, accountant, customer):
    entry = entry_post_new(actor=accountant, company=ledger.company, journal=ledger.journal, date=D(2026, 4, 2),
                           lines=legs((ledger.receivable, "50.00", 0, customer), (ledger.revenue, 0, "50.00")),
                           reference="INV-1", source="accounting.invoice:7")

    entry.refresh_from_db()
    assert (entry.state, entry.number, entry.source, entry.reference) == (
        "posted", "记-202604-0001", "accounting.invoice:7", "INV-1")


def test_entry_post_new_refuses_another_companys_journal(ledger, accountant, other_company):
    foreign = JournalFactory(company=other_company)

    with pytest.raises(ValidationFailed) as error:
        entry_post_new(actor=accountant, company=ledger.company, journal=foreign, date=D(2026, 4, 2),
                       lines=legs((ledger.cash, 1, 0), (ledger.revenue, 0, 1)))

    assert error.value.fields == {"journal": ["Choose one of this company's records."]}
    assert not JournalEntry.objects.exists()


def test_a_control_account_line_without_partner_is_refused_at_posting(ledger, accountant):
    with pytest.raises(ValidationFailed) as error:
        entry_post_new(actor=accountant, company=ledger.company, journal=ledger.journal, date=D(2026, 4, 2),
                       lines=legs((ledger.receivable, 10, 0), (ledger.revenue, 0, 10)))

    assert error.value.fields == {"lines.0.partner": ["Choose the partner: account 1122 is kept per partner."]}
    assert not JournalEntry.objects.exists()


def test_posted_entries_of_one_company_do_not_affect_anothers_chain(ledger, accountant, other_company):
    accountant.profile.companies.add(other_company)
    other = make_ledger(other_company, accountant)
    posted(ledger, accountant, D(2026, 1, 2), (ledger.cash, 5, 0), (ledger.revenue, 0, 5))

    entry = posted(other, accountant, D(2026, 1, 2), (other.cash, 5, 0), (other.revenue, 0, 5))

    assert (entry.number, entry.chain_index, entry.previous_hash) == ("记-202601-0001", 1, "")

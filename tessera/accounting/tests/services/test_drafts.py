"""Draft entries: field-level errors, company scoping, versions, and posted entries that never change."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import CostCenter, JournalEntry, JournalEntryLine, PostedEntryImmutable
from tessera.accounting.services.ledger import entry_create, entry_delete, entry_post, entry_update
from tessera.accounting.tests.factories import AccountFactory, make_ledger
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.tests.factories import currency
from tessera.partners.models import Partner

from .helpers import draft, ledger_state, legs, posted

D = datetime.date
DAY = D(2026, 2, 10)
pytestmark = pytest.mark.django_db


def _create(ledger, actor, lines, **data):
    return entry_create(actor=actor, company=ledger.company, data={"journal": ledger.journal, "date": DAY, **data},
                        lines=lines)


def _refused(ledger, actor, lines, **data) -> dict:
    with pytest.raises(ValidationFailed) as error:
        _create(ledger, actor, lines, **data)
    assert not JournalEntry.objects.exists() and not JournalEntryLine.objects.exists()
    return error.value.fields


def test_a_draft_keeps_its_lines_in_order_with_totals_and_no_number(ledger, accountant):
    entry = draft(ledger, accountant, DAY, (ledger.expense, "40.50", 0), (ledger.cash, 0, "40.50"),
                  description="Taxi")

    assert (entry.state, entry.number, entry.period, entry.description) == ("draft", None, None, "Taxi")
    assert (entry.total_debit, entry.total_credit) == (Decimal("40.50"), Decimal("40.50"))
    assert list(entry.lines.values_list("sequence", "account__code", "debit", "credit", "is_posted")) == [
        (1, "6602", Decimal("40.50"), Decimal("0"), False), (2, "1001", Decimal("0"), Decimal("40.50"), False)]


def test_a_draft_may_be_unbalanced(ledger, accountant):
    entry = draft(ledger, accountant, DAY, (ledger.expense, 10, 0), (ledger.cash, 0, 9))

    assert (entry.total_debit, entry.total_credit) == (Decimal("10"), Decimal("9"))


def test_float_amounts_are_refused_per_line(ledger, accountant):
    lines = [{"account": ledger.expense, "debit": 10.5}, {"account": ledger.cash, "credit": "10.50"}]

    assert _refused(ledger, accountant, lines) == {"lines.0.debit": ["Send amounts as decimal strings, not floats."]}


def test_text_that_is_not_a_number_is_refused(ledger, accountant):
    lines = [{"account": ledger.expense, "debit": "ten"}, {"account": ledger.cash, "credit": "NaN"}]

    assert _refused(ledger, accountant, lines) == {"lines.0.debit": ["Enter a number."],
                                                   "lines.1.credit": ["Enter a number."]}


def test_negative_amounts_and_extra_decimals_are_refused(ledger, accountant):
    lines = legs((ledger.expense, "-1.00", 0), (ledger.cash, 0, "1.005"))

    assert _refused(ledger, accountant, lines) == {
        "lines.0.debit": ["Ensure this value is greater than or equal to 0."],
        "lines.1.credit": ["Ensure that there are no more than 2 decimal places."],
    }


def test_a_line_needs_a_debit_or_a_credit_but_not_both(ledger, accountant):
    lines = legs((ledger.expense, 5, 5), (ledger.cash, 0, 0))

    assert _refused(ledger, accountant, lines) == {
        "lines.0.credit": ["A line has either a debit or a credit, not both."],
        "lines.1.debit": ["Enter a debit or a credit."],
    }


def test_a_line_needs_an_account(ledger, accountant):
    lines = [{"debit": "1"}, {"account": ledger.cash, "credit": "1"}]

    assert _refused(ledger, accountant, lines) == {"lines.0.account": ["This field cannot be null."]}


def test_unknown_line_fields_are_refused_not_ignored(ledger, accountant):
    lines = [{"account": ledger.expense, "debit": "1", "is_posted": True}, {"account": ledger.cash, "credit": "1"}]

    assert _refused(ledger, accountant, lines) == {"lines.0.is_posted": ["This field cannot be set."]}


def test_header_fields_outside_the_form_are_refused(ledger, accountant):
    fields = _refused(ledger, accountant, legs((ledger.expense, 1, 0), (ledger.cash, 0, 1)), number="X-1")

    assert fields == {"number": ["This field cannot be set."]}


def test_an_entry_needs_two_lines(ledger, accountant):
    assert _refused(ledger, accountant, legs((ledger.expense, 1, 0))) == {
        "lines": ["An entry needs at least two lines."]}


def test_a_non_leaf_account_is_refused_on_its_line(ledger, accountant):
    AccountFactory(company=ledger.company, code="660201", name="Office", type="expense", parent=ledger.expense)

    fields = _refused(ledger, accountant, legs((ledger.cash, 0, 3), (ledger.expense, 3, 0)))

    assert fields == {"lines.1.account": ["Post to a leaf account: 6602 has sub-accounts."]}


def test_another_companys_account_partner_and_cost_centre_are_refused(ledger, accountant, other_company):
    accountant.profile.companies.add(other_company)
    other = make_ledger(other_company, accountant)
    foreign_partner = Partner.objects.create(
        company=other_company, code="X", name="X", is_customer=True)
    foreign_centre = CostCenter.objects.create(company=other_company, code="CC", name="Other centre")
    lines = [{"account": other.cash, "debit": "1"},
             {"account": ledger.revenue, "credit": "1", "partner": foreign_partner, "cost_center": foreign_centre}]

    assert _refused(ledger, accountant, lines) == {
        "lines.0.account": ["Choose one of this company's records."],
        "lines.1.partner": ["Choose one of this company's records."],
        "lines.1.cost_center": ["Choose one of this company's records."],
    }


def test_another_companys_journal_is_refused(ledger, accountant, other_company):
    accountant.profile.companies.add(other_company)
    other = make_ledger(other_company, accountant)

    fields = _refused(ledger, accountant, legs((ledger.expense, 1, 0), (ledger.cash, 0, 1)), journal=other.journal)

    assert fields == {"journal": ["Choose one of this company's records."]}


def test_accounts_may_be_given_by_pk_and_unknown_pks_are_refused(ledger, accountant):
    fields = _refused(ledger, accountant, [{"account": ledger.expense.pk, "debit": "1"},
                                           {"account": 999999, "credit": "1"}])

    assert fields == {"lines.1.account": ["account instance with id 999999 is not a valid choice."]}


def test_currency_and_amount_in_currency_go_together(ledger, accountant):
    lines = [{"account": ledger.expense, "debit": "7.00", "currency": currency("USD")},
             {"account": ledger.cash, "credit": "7.00"}]

    assert _refused(ledger, accountant, lines) == {
        "lines.0.amount_currency": ["Give both the currency and the amount in that currency, or neither."]}


def test_a_salesperson_may_not_create_entries(ledger, make_user):
    seller = make_user("salesperson", username="seller")

    with pytest.raises(PermissionDenied):
        _create(ledger, seller, legs((ledger.expense, 1, 0), (ledger.cash, 0, 1)))

    assert not JournalEntry.objects.exists()


def test_updating_a_draft_replaces_its_lines_and_counts_the_version(ledger, accountant):
    entry = draft(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))

    entry = entry_update(actor=accountant, entry=entry, data={"description": "Fixed"}, version=1,
                         lines=legs((ledger.expense, "2.00", 0), (ledger.bank, 0, "2.00")))

    assert (entry.version, entry.description, entry.total_debit) == (2, "Fixed", Decimal("2.00"))
    assert list(entry.lines.values_list("account__code", flat=True)) == ["6602", "1002"]


def test_an_update_with_a_stale_version_is_refused(ledger, accountant):
    entry = draft(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))
    entry_update(actor=accountant, entry=entry, data={"description": "First"}, version=1)

    with pytest.raises(InvalidState) as error:
        entry_update(actor=accountant, entry=entry, data={"description": "Second"}, version=1)

    assert str(error.value.message) == "Someone else changed this entry meanwhile: reload it and try again."
    assert JournalEntry.objects.get(pk=entry.pk).description == "First"


def test_a_failed_update_leaves_the_draft_as_it_was(ledger, accountant):
    entry = draft(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))
    before = list(entry.lines.values())

    with pytest.raises(ValidationFailed):
        entry_update(actor=accountant, entry=entry, data={"description": "x"}, lines=legs((ledger.cash, 1, 0)))

    entry.refresh_from_db()
    assert (entry.description, entry.version, list(entry.lines.values())) == ("", 1, before)


def test_a_posted_entry_is_not_updated_by_the_service(ledger, accountant):
    entry = posted(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))
    before = ledger_state(ledger.company)

    with pytest.raises(InvalidState) as error:
        entry_update(actor=accountant, entry=entry, data={"description": "changed"})

    assert str(error.value.message) == "Entry 记-202602-0001 is posted: correct it with a reversing entry."
    assert ledger_state(ledger.company) == before


def test_a_posted_entry_is_not_deleted_by_the_service(ledger, accountant):
    entry = posted(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))

    with pytest.raises(InvalidState):
        entry_delete(actor=accountant, entry=entry)

    assert JournalEntry.objects.filter(pk=entry.pk, state="posted").exists()


def test_a_posted_entry_refuses_model_save_and_delete(ledger, accountant):
    entry = posted(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))
    entry = JournalEntry.objects.get(pk=entry.pk)
    entry.description = "behind the service's back"

    with pytest.raises(PostedEntryImmutable):
        entry.save()
    with pytest.raises(PostedEntryImmutable):
        entry.delete()

    assert JournalEntry.objects.get(pk=entry.pk).description == ""


def test_a_posted_line_refuses_model_save_and_delete(ledger, accountant):
    entry = posted(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))
    line = entry.lines.first()
    line.debit = Decimal("2")

    with pytest.raises(PostedEntryImmutable):
        line.save()
    with pytest.raises(PostedEntryImmutable):
        line.delete()

    assert entry.lines.first().debit == Decimal("1.00")


def test_deleting_a_draft_removes_it_and_its_lines(ledger, accountant):
    entry = draft(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))

    entry_delete(actor=accountant, entry=entry)

    assert not JournalEntry.objects.exists() and not JournalEntryLine.objects.exists()


def test_posting_a_draft_needs_post_permission_not_just_add(ledger, make_user, accountant):
    clerk = make_user("auditor", username="looker")
    entry = draft(ledger, accountant, DAY, (ledger.expense, 1, 0), (ledger.cash, 0, 1))

    with pytest.raises(PermissionDenied):
        entry_post(actor=clerk, entry=entry)

    assert JournalEntry.objects.get(pk=entry.pk).state == "draft"

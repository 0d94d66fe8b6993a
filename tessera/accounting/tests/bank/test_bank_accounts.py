"""Bank accounts: a new leaf under 1002 per bank account, the BNK journal taken or a new one made,
a parent with postings refused, explicit leaves, foreign currency, update, deactivate, delete."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Account, BankAccount, Journal
from tessera.accounting.services.bank import bank_account_create, bank_account_delete, bank_account_update
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.tests.factories import currency

from .conftest import D, post_bank_entry

pytestmark = pytest.mark.django_db


def create(books, actor, **data):
    return bank_account_create(actor=actor, company=books.company, data={
        "name": "CMB Basic", "bank_name": "招商银行", "account_number": "1109 0123 4567 801", **data})


def test_the_first_bank_account_gets_a_sub_account_of_1002_and_takes_the_bnk_journal(books, accountant):
    bank = create(books, accountant)

    account = bank.journal.default_account
    assert (account.code, account.name, account.parent.code) == ("100201", "招商银行 7801", "1002")
    assert (account.role, account.is_reconcilable, account.type, account.currency) == ("bank", True, "asset", None)
    assert bank.journal == books.bank and bank.journal.code == "BNK"
    assert bank.currency.code == "CNY"


def test_payments_through_the_bnk_journal_then_post_to_the_new_leaf(books, accountant):
    create(books, accountant)
    invoice = books.invoice()

    payment = books.payment("113.00", (invoice, "113.00"))

    assert payment.entry.lines.get(debit=Decimal("113.00")).account.code == "100201"


def test_a_second_bank_account_gets_the_next_leaf_and_a_journal_of_its_own(books, accountant):
    create(books, accountant)

    second = create(books, accountant, name="ICBC Payroll", bank_name="工商银行", account_number="6222 0000 9911")

    assert second.journal.default_account.code == "100202"
    assert (second.journal.code, second.journal.kind, second.journal.name) == ("BNK9911", "bank", "ICBC Payroll")
    assert second.journal.sequence_code == books.bank.sequence_code


def test_a_parent_with_postings_is_not_split(books, accountant):
    post_bank_entry(books, books.bank, "100.00", D(2026, 3, 1))
    accounts = Account.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        create(books, accountant)

    assert "1002 银行存款 has postings" in refused.value.fields["account"][0]
    assert Account.objects.count() == accounts
    assert BankAccount.objects.count() == 0


def test_then_the_leaf_with_postings_is_named_and_its_journal_taken(books, accountant):
    post_bank_entry(books, books.bank, "100.00", D(2026, 3, 1))

    bank = create(books, accountant, account=books.bank_account)

    assert bank.journal == books.bank
    assert bank.journal.default_account.code == "1002"


def test_a_foreign_currency_bank_account_keeps_a_foreign_leaf_and_its_own_journal(books, accountant):
    bank = create(books, accountant, name="CMB USD", account_number="USD-0099", currency=currency("USD"))

    assert bank.currency.code == "USD"
    assert bank.journal.default_account.currency.code == "USD"
    assert bank.journal != books.bank
    assert Journal.objects.get(pk=books.bank.pk).default_account.code == "1002"


def test_a_currency_other_than_the_named_accounts_is_refused(books, accountant):
    with pytest.raises(ValidationFailed) as refused:
        create(books, accountant, account=books.bank_account, currency=currency("USD"))

    assert refused.value.fields["currency"] == ["The ledger account 1002 is kept in CNY."]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("account", "6602", "A bank account is an asset account."),
    ("account", "6603", "Choose an active leaf account: 6603 has sub-accounts or is inactive."),
    ("journal", "SAL", "Choose a bank journal of this company."),
])
def test_unfit_accounts_and_journals_are_refused(books, accountant, field, value, message):
    record = (Account if field == "account" else Journal).objects.get(company=books.company, code=value)

    with pytest.raises(ValidationFailed) as refused:
        create(books, accountant, **{field: record.pk})

    assert refused.value.fields[field] == [message]


def test_an_account_of_another_bank_account_is_refused(books, accountant):
    first = create(books, accountant)

    with pytest.raises(ValidationFailed) as refused:
        create(books, accountant, account_number="999", account=first.journal.default_account)

    assert refused.value.fields["account"] == ["Account 100201 is the ledger account of another bank account already."]


def test_the_account_number_is_unique_and_required(books, accountant):
    create(books, accountant)

    with pytest.raises(ValidationFailed) as taken:
        create(books, accountant)
    with pytest.raises(ValidationFailed) as missing:
        create(books, accountant, account_number="", name="")

    assert taken.value.fields["account_number"] == ["A bank account with this number exists already."]
    assert set(missing.value.fields) == {"account_number", "name"}
    assert BankAccount.objects.count() == 1


def test_a_user_without_the_permission_is_refused(books, make_user):
    with pytest.raises(PermissionDenied):
        create(books, make_user("salesperson"))


def test_update_renames_and_deactivates_but_keeps_the_ledger(bank, accountant):
    updated = bank_account_update(actor=accountant, bank_account=bank,
                                  data={"name": " CMB Main ", "is_active": False})

    assert (updated.name, updated.is_active, updated.journal_id) == ("CMB Main", False, bank.journal_id)


def test_update_refuses_the_journal(bank, accountant):
    with pytest.raises(ValidationFailed) as refused:
        bank_account_update(actor=accountant, bank_account=bank, data={"journal": 1})

    assert refused.value.fields == {"journal": ["This field cannot be set."]}


def test_delete_without_statements(bank, accountant):
    bank_account_delete(actor=accountant, bank_account=bank)

    assert BankAccount.objects.count() == 0
    assert Account.objects.filter(code="100201").exists()


def test_delete_with_statements_is_refused(statement, accountant):
    with pytest.raises(InvalidState):
        bank_account_delete(actor=accountant, bank_account=statement.bank_account)

    assert BankAccount.objects.count() == 1

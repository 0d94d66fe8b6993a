"""Bank accounts: create, change, deactivate, delete; and what the statement and reconciliation services
share (the bank's ledger account, signed amounts of ledger lines, locks, the statement's state).

A bank account reconciles against one ledger account: its bank journal's default account. Chinese
practice keeps a sub-account of 银行存款 per bank account, so by default creating a bank account adds
a leaf under the company's bank account (1002 银行存款 -> 100201 招商银行 0123). Only leaves take
postings, so a parent that carries postings already cannot be split: then the leaf to use is named
explicitly. The bank journal is taken when one of the company's bank journals already points at that
account (or at the parent being split, which it then follows to the new leaf), else created.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tessera.core import events
from tessera.core.errors import InvalidState, NotFound, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate

from ..choices import AccountRole, AccountType, JournalKind, StatementLineState, StatementState
from ..models import Account, BankAccount, BankStatement, BankStatementLine, Journal, JournalEntryLine
from .accounts import account_create, account_has_postings

CREATE_FIELDS = {"name", "bank_name", "account_number", "currency", "account", "journal", "parent"}
UPDATE_FIELDS = {"name", "bank_name", "account_number", "is_active"}
ZERO = Decimal("0")
RECONCILE_PERMISSION = "accounting.reconcile_bankaccount"


# --- Shared helpers ------------------------------------------------------------------------------

def is_foreign(bank_account: BankAccount) -> bool:
    return bank_account.currency_id != bank_account.company.base_currency_id


def line_amount(line: JournalEntryLine, foreign: bool) -> Decimal:
    """A ledger line as the bank sees it: debit positive, in the bank account's currency."""
    if foreign:
        return line.amount_currency or ZERO
    return line.debit - line.credit


def bank_ledger_lines(bank_account: BankAccount):
    """The posted lines of the bank account's ledger account."""
    return JournalEntryLine.objects.filter(company=bank_account.company, is_posted=True,
                                           account_id=bank_account.journal.default_account_id)


def lock_line(line: BankStatementLine) -> BankStatementLine:
    """The statement line locked for update, with its bank account, journal and ledger account."""
    return (BankStatementLine.objects.select_for_update(of=("self",))
            .select_related("company__base_currency", "bank_account__journal__default_account",
                            "bank_account__currency", "statement")
            .get(pk=line.pk))


def refresh_statement_state(statement: BankStatement) -> str:
    """Lock the statement and set its state from its lines: reconciled when none is left unreconciled.
    Returns the state before (the caller records the transition when it changed)."""
    from tessera.core import audit

    statement = BankStatement.objects.select_for_update(of=("self",)).get(pk=statement.pk)
    before = statement.state
    open_lines = statement.lines.filter(state=StatementLineState.UNRECONCILED).exists()
    after = StatementState.OPEN if open_lines else StatementState.RECONCILED
    if after != before:
        statement.state = after
        statement.save(update_fields=["state"])
        audit.record_transition(statement, from_state=before, to_state=after)
    return before


def _in_company(record, company: Company | None) -> None:
    if company is not None and record.company_id != company.pk:
        raise NotFound()


# --- Bank accounts -------------------------------------------------------------------------------

def default_bank_parent(company: Company) -> Account | None:
    """The company's bank account of the chart (1002 银行存款, 1100 Bank): the top account with the bank role."""
    return (Account.objects.filter(company=company, role=AccountRole.BANK, parent__isnull=True, is_active=True)
            .order_by("code").first())


def _next_code(parent: Account) -> str:
    used = set(Account.objects.filter(company_id=parent.company_id, code__startswith=parent.code)
               .values_list("code", flat=True))
    number = 1
    while f"{parent.code}{number:02d}" in used:
        number += 1
    return f"{parent.code}{number:02d}"


def _sub_account_name(data: dict) -> str:
    number = "".join(ch for ch in str(data.get("account_number") or "") if ch.isalnum())
    bank = (data.get("bank_name") or data.get("name") or "").strip()
    return f"{bank} {number[-4:]}".strip()[:200] or _("Bank account")


def _resolve(model, company: Company, value):
    if value in (None, ""):
        return None
    record = value if isinstance(value, model) else model.objects.filter(company=company, pk=value).first() \
        if str(value).isdigit() else None
    return record if record is not None and record.company_id == company.pk else False


def _check_leaf(account: Account, errors: dict) -> None:
    if account.children.exists() or not account.is_active:
        errors["account"] = [_("Choose an active leaf account: %(code)s has sub-accounts or is inactive.")
                             % {"code": account.code}]
    elif account.type != AccountType.ASSET:
        errors["account"] = [_("A bank account is an asset account.")]
    elif BankAccount.objects.filter(journal__default_account=account).exists():
        errors["account"] = [_("Account %(code)s is the ledger account of another bank account already.")
                             % {"code": account.code}]


def _split_parent(company: Company, data: dict, errors: dict) -> Account | None:
    """The account a new leaf goes under (given, else the company's bank account), if it may take one."""
    parent = _resolve(Account, company, data.get("parent")) if data.get("parent") not in (None, "") \
        else default_bank_parent(company)
    if not parent:
        errors["account"] = [_("The company has no bank account in its chart: choose the ledger account.")]
        return None
    if account_has_postings(parent):
        errors["account"] = [_("Account %(code)s %(name)s has postings, so it cannot take a sub-account for this bank "
                               "account: choose the leaf account it is kept on (%(code)s itself, or one of its "
                               "sub-accounts).") % {"code": parent.code, "name": parent.name}]
        return None
    return parent


def _given_journal(company: Company, data: dict, errors: dict) -> Journal | None:
    journal = _resolve(Journal, company, data.get("journal"))
    if journal is False or journal is not None and journal.kind != JournalKind.BANK:
        errors["journal"] = [_("Choose a bank journal of this company.")]
        return None
    if journal is not None and BankAccount.objects.filter(journal=journal).exists():
        errors["journal"] = [_("Journal %(code)s belongs to another bank account.") % {"code": journal.code}]
        return None
    return journal


def _free_journal(company: Company, on: Account) -> Journal | None:
    """A bank journal of the company without a bank account whose default account is `on`."""
    return (Journal.objects.filter(company=company, kind=JournalKind.BANK, bank_account__isnull=True, is_active=True,
                                   default_account=on).order_by("code").first())


def _new_journal_code(company: Company, number: str) -> str:
    tail = "".join(ch for ch in number if ch.isalnum())[-4:].upper()
    base = f"BNK{tail}" if tail else "BNK"
    code, counter = base, 1
    while Journal.objects.filter(company=company, code=code).exists():
        counter += 1
        code = f"{base}-{counter}"
    return code[:20]


def bank_account_create(*, actor, company: Company, data: dict) -> BankAccount:
    """A bank account of `company` with its bank journal and ledger account (module docstring).

    `data`: name, bank_name, account_number, currency (default: the ledger account's currency, else the
    company's), account (an existing leaf to reconcile against; default: the given journal's account,
    else a new sub-account of `parent`, itself by default the company's bank account), journal (an
    existing bank journal to take). Raises PermissionDenied (accounting.add_bankaccount, and
    accounting.add_account for a new sub-account), ValidationFailed (a parent with postings, an account
    or journal taken, a currency other than the account's); nothing is written on failure.
    """
    require(actor, "accounting.add_bankaccount", company)
    errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - CREATE_FIELDS)}
    bank_account = BankAccount(company=company)
    for name in ("name", "bank_name", "account_number"):
        setattr(bank_account, name, str(data.get(name) or "").strip())
    currency = data.get("currency")
    if currency not in (None, ""):
        bank_account.currency_id = getattr(currency, "pk", currency)
    with transaction.atomic():
        journal = _given_journal(company, data, errors)
        account, parent = _resolve(Account, company, data.get("account")), None
        if account is False:
            errors["account"] = [_("Choose one of this company's accounts.")]
            account = None
        elif account is None and journal is not None and journal.default_account_id \
                and not journal.default_account.children.exists():
            account = journal.default_account
        if account is not None:
            _check_leaf(account, errors)
        elif "account" not in errors:
            parent = _split_parent(company, data, errors)
        foreign = bool(bank_account.currency_id) and bank_account.currency_id != company.base_currency_id
        if journal is None and "journal" not in errors:
            # Splitting the parent: its free bank journal follows to the new leaf, unless the leaf is foreign.
            on = account if account is not None else (parent if not foreign else None)
            journal = _free_journal(company, on) if on is not None else None
        if account is not None and bank_account.currency_id and \
                bank_account.currency_id != (account.currency_id or company.base_currency_id):
            errors["currency"] = [_("The ledger account %(code)s is kept in %(currency)s.")
                                  % {"code": account.code,
                                     "currency": (account.currency or company.base_currency).code}]
        if not bank_account.currency_id:
            bank_account.currency_id = (account.currency_id if account is not None and account.currency_id
                                        else company.base_currency_id)
        if bank_account.account_number and BankAccount.objects.filter(
                company=company, account_number=bank_account.account_number).exists():
            errors["account_number"] = [_("A bank account with this number exists already.")]
        errors.update(_field_errors(bank_account, exclude=["journal"], known=errors))
        if errors:
            raise ValidationFailed(fields=errors)
        if account is None:
            foreign = bank_account.currency_id != company.base_currency_id
            account = account_create(actor=actor, company=company, data={
                "code": _next_code(parent), "name": _sub_account_name(data), "parent": parent,
                "type": parent.type, "role": AccountRole.BANK, "is_reconcilable": True,
                "currency": bank_account.currency if foreign else None,
                "cash_flow_category": parent.cash_flow_category,
            })
        if journal is None:
            journal = Journal(company=company, code=_new_journal_code(company, bank_account.account_number),
                              name=bank_account.name[:100], kind=JournalKind.BANK, default_account=account,
                              sequence_code=_sequence_code(company))
            validate(journal)
            journal.save()
        elif journal.default_account_id != account.pk:
            journal.default_account = account  # the journal follows its account to the new leaf
            validate(journal)
            journal.save()
        bank_account.journal = journal
        validate(bank_account)
        try:
            with transaction.atomic():
                bank_account.save()
        except IntegrityError:  # a concurrent request took the number
            raise ValidationFailed(fields={"account_number": [
                _("A bank account with this number exists already.")]}) from None
        events.emit("accounting.bank_account.created", company=company, obj=bank_account,
                    payload={"name": bank_account.name, "account": account.code, "journal": journal.code})
    return bank_account


def _sequence_code(company: Company) -> str:
    # New bank journals number their vouchers like the company's first bank journal.
    first = Journal.objects.filter(company=company, kind=JournalKind.BANK).order_by("code").first()
    return first.sequence_code if first is not None else "journal_entry"


def _field_errors(instance, *, exclude, known) -> dict:
    try:
        validate(instance, exclude=exclude)
    except ValidationFailed as error:
        return {name: messages for name, messages in error.fields.items() if name not in known}
    return {}


def bank_account_update(*, actor, bank_account: BankAccount, data: dict, company: Company | None = None
                        ) -> BankAccount:
    """Change a bank account's name, bank, number or `is_active` (deactivate it: it stays on its statements
    and its ledger account). Its journal, ledger account and currency do not change. Raises NotFound,
    PermissionDenied (accounting.change_bankaccount), ValidationFailed."""
    _in_company(bank_account, company)
    require(actor, "accounting.change_bankaccount", bank_account.company)
    unknown = set(data) - UPDATE_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    with transaction.atomic():
        locked = BankAccount.objects.select_for_update().get(pk=bank_account.pk)
        for name, value in data.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if BankAccount.objects.filter(company=locked.company, account_number=locked.account_number).exclude(
                pk=locked.pk).exists():
            raise ValidationFailed(fields={"account_number": [_("A bank account with this number exists already.")]})
        validate(locked)
        locked.save()
    return locked


def bank_account_delete(*, actor, bank_account: BankAccount, company: Company | None = None) -> None:
    """Delete a bank account that has no statements (its journal and ledger account stay). Raises NotFound,
    PermissionDenied (accounting.delete_bankaccount), InvalidState (it has statements: deactivate it)."""
    _in_company(bank_account, company)
    require(actor, "accounting.delete_bankaccount", bank_account.company)
    with transaction.atomic():
        locked = BankAccount.objects.select_for_update().get(pk=bank_account.pk)
        if locked.statements.exists():
            raise InvalidState(_("Bank account %(name)s has statements: deactivate it instead.")
                               % {"name": locked.name})
        locked.delete()


def bank_account_save_mapping(bank_account: BankAccount, mapping: dict) -> None:
    """Remember how this bank's statements are read (called by the import, inside its transaction)."""
    if bank_account.statement_mapping != mapping:
        bank_account.statement_mapping = mapping
        bank_account.save(update_fields=["statement_mapping"])


# --- Statements ----------------------------------------------------------------------------------

def statement_delete(*, actor, statement: BankStatement, company: Company | None = None) -> None:
    """Delete an imported statement and its lines while none of them is reconciled (a wrong import).
    Raises NotFound, PermissionDenied (accounting.delete_bankstatement), InvalidState."""
    _in_company(statement, company)
    require(actor, "accounting.delete_bankstatement", statement.company)
    with transaction.atomic():
        locked = BankStatement.objects.select_for_update(of=("self",)).get(pk=statement.pk)
        lines = BankStatementLine.objects.select_for_update(of=("self",)).filter(statement=locked).order_by("pk")
        if any(line.state == StatementLineState.RECONCILED for line in lines):
            raise InvalidState(_("Statement %(name)s has reconciled lines: unmatch them before deleting it.")
                               % {"name": locked.name})
        events.emit("accounting.bank_statement.deleted", company=locked.company, obj=locked,
                    payload={"name": locked.name, "lines": len(lines)})
        for line in lines:
            line.delete()
        locked.delete()


def previous_statement(bank_account: BankAccount, statement: BankStatement | None = None, *, before=None):
    """The statement before `statement` (or before the date `before`) that printed a closing balance."""
    statements = BankStatement.objects.filter(bank_account=bank_account, closing_balance__isnull=False)
    if statement is not None:
        statements = statements.exclude(pk=statement.pk)
        before = statement.start_on or statement.date
    if before is not None:
        statements = statements.filter(Q(end_on__lt=before) | Q(end_on__isnull=True, date__lt=before))
    return statements.order_by("-end_on", "-date", "-pk").first()


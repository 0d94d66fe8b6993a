"""Journal entries: create and edit drafts, post, reverse. Other modules post through `entry_post_new`.

Invariants kept here: a posted entry balances, has at least two lines on active leaf accounts of its
company, lies in an open period, carries a gapless number and its place in the company's hash chain,
and has added its lines to the AccountBalance rows. Posted entries never change (the model guards
refuse it too); a reversing entry corrects them. Every failure raises before anything is written.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.numbering import sequence_next_number

from ..choices import AccountRole, EntryState
from ..models import Account, AccountBalance, FiscalYear, Journal, JournalEntry, JournalEntryLine
from .chain import entry_digest
from .errors import UnbalancedEntry
from .periods import lock_company, period_of

ENTRY_FIELDS = {"journal", "date", "reference", "description"}
LINE_FIELDS = {"account", "partner", "description", "debit", "credit", "currency", "amount_currency", "cost_center"}
AMOUNT_FIELDS = ("debit", "credit", "amount_currency")
# Accounts kept per partner: each of their lines names one, so the sub-ledger equals the account.
PARTNER_ROLES = {AccountRole.RECEIVABLE, AccountRole.PAYABLE}
ZERO = Decimal("0")


def _assign(instance: models.Model, name: str, value) -> None:
    # Foreign keys take a record or its pk (validation then checks that the pk exists).
    field = instance._meta.get_field(name)
    if field.is_relation and value is not None and not isinstance(value, models.Model):
        setattr(instance, field.attname, value)
    else:
        setattr(instance, name, value)


def _related(instance: models.Model, name: str):
    # The related record, or None when unset or when its pk does not exist (validation reports that).
    if getattr(instance, instance._meta.get_field(name).attname) is None:
        return None
    try:
        return getattr(instance, name)
    except models.ObjectDoesNotExist:
        return None


def _amount(value, *, default):
    """A Decimal from a decimal string, int or Decimal; raises ValueError with the message for anything else."""
    if value is None or value == "":
        return default
    if isinstance(value, float):
        raise ValueError(_("Send amounts as decimal strings, not floats."))
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValueError(_("Enter a number."))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("Enter a number.")) from None
    if not amount.is_finite():
        raise ValueError(_("Enter a number."))
    return amount


def _foreign_errors(company: Company, instance: models.Model, names: tuple[str, ...], prefix: str = "") -> dict:
    errors = {}
    for name in names:
        record = _related(instance, name)
        if record is not None and getattr(record, "company_id", company.pk) != company.pk:
            errors[f"{prefix}{name}"] = [_("Choose one of this company's records.")]
    return errors


def _posting_rule_errors(company: Company, lines: list[JournalEntryLine]) -> dict:
    """Field errors (`lines.<i>.<field>`) of lines that may not be posted: another company's records,
    an inactive or non-leaf account, a control account without a partner."""
    errors: dict[str, list[str]] = {}
    accounts = {line.account_id for line in lines if line.account_id}
    with_children = set(Account.objects.filter(parent_id__in=accounts).values_list("parent_id", flat=True))
    for index, line in enumerate(lines):
        prefix = f"lines.{index}."
        foreign = _foreign_errors(company, line, ("account", "partner", "cost_center"), prefix)
        errors.update(foreign)
        account = _related(line, "account")
        if account is None or prefix + "account" in foreign:
            continue
        if account.pk in with_children:
            errors[prefix + "account"] = [_("Post to a leaf account: %(code)s has sub-accounts.")
                                          % {"code": account.code}]
        elif not account.is_active:
            errors[prefix + "account"] = [_("Account %(code)s is inactive.") % {"code": account.code}]
        elif account.role in PARTNER_ROLES and line.partner_id is None and prefix + "partner" not in errors:
            errors[prefix + "partner"] = [_("Choose the partner: account %(code)s is kept per partner.")
                                          % {"code": account.code}]
    return errors


def _line_errors(line: JournalEntryLine, data: dict) -> dict:
    """The field errors of one line built from `data` (keys without the `lines.<i>.` prefix)."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - LINE_FIELDS
    for name in sorted(unknown):
        errors[name] = [_("This field cannot be set.")]
    for name in sorted(set(data) & LINE_FIELDS - set(AMOUNT_FIELDS)):
        _assign(line, name, data[name])
    for name in AMOUNT_FIELDS:
        try:
            setattr(line, name, _amount(data.get(name), default=None if name == "amount_currency" else ZERO))
        except ValueError as error:
            errors[name] = [str(error)]
    if errors:
        return errors
    try:
        # Field checks only: the debit-xor-credit constraint gets its own, clearer, message below.
        line.clean_fields(exclude=["entry"])
    except DjangoValidationError as error:
        errors.update(ValidationFailed.from_django(error).fields)
    if "debit" not in errors and "credit" not in errors:
        if line.debit and line.credit:
            errors["credit"] = [_("A line has either a debit or a credit, not both.")]
        elif not line.debit and not line.credit:
            errors["debit"] = [_("Enter a debit or a credit.")]
    pair_ok = (line.amount_currency is None) == (line.currency_id is None)
    if not pair_ok and not errors.keys() & {"currency", "amount_currency"}:
        errors["amount_currency"] = [_("Give both the currency and the amount in that currency, or neither.")]
    return errors


def _build_lines(entry: JournalEntry, lines: list[dict]) -> tuple[list[JournalEntryLine], dict]:
    """Unsaved lines of `entry` from `lines` (dicts of LINE_FIELDS), and the field errors found."""
    if not isinstance(lines, list | tuple):
        return [], {"lines": [_("Send the lines as a list.")]}
    built, errors = [], {}
    for index, data in enumerate(lines):
        line = JournalEntryLine(company=entry.company, entry=entry, sequence=index + 1)
        line_errors = _line_errors(line, data) if isinstance(data, dict) else {"non_field_errors": [
            _("Send each line as an object.")]}
        errors.update({f"lines.{index}.{name}": messages for name, messages in line_errors.items()})
        built.append(line)
    if not errors:
        errors.update(_posting_rule_errors(entry.company, built))
    if len(built) < 2:
        errors["lines"] = [_("An entry needs at least two lines.")]
    return built, errors


def _entry_errors(entry: JournalEntry, data: dict) -> dict:
    """Set the header `data` on `entry` and return its field errors."""
    errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - ENTRY_FIELDS)}
    for name in set(data) & ENTRY_FIELDS:
        _assign(entry, name, data[name])
    errors.update(_foreign_errors(entry.company, entry, ("journal",)))
    try:
        validate(entry)
    except ValidationFailed as error:
        errors.update({name: messages for name, messages in error.fields.items() if name not in errors})
    return errors


def _save_lines(entry: JournalEntry, built: list[JournalEntryLine]) -> None:
    # One save per line (not bulk_create): the audit trail records each line of a draft.
    for line in built:
        line.entry = entry
        line.save()


def _totals(lines) -> tuple[Decimal, Decimal]:
    return sum((line.debit for line in lines), ZERO), sum((line.credit for line in lines), ZERO)


def entry_create(*, actor, company: Company, data: dict, lines: list[dict], files: list | None = None) -> JournalEntry:
    """A draft entry with its lines (`data`: journal, date, reference, description; each line:
    account, partner, description, debit, credit, currency, amount_currency, cost_center) and any
    supporting documents (`files`, attached through core attachments in the same transaction).

    Drafts may be unbalanced; posting checks the balance. Raises PermissionDenied, or ValidationFailed
    with `lines.<i>.<field>` keys for line errors; nothing is written on failure.
    """
    require(actor, "accounting.add_journalentry", company)
    entry = JournalEntry(company=company)
    errors = _entry_errors(entry, data)
    built, line_errors = _build_lines(entry, lines)
    if errors or line_errors:
        raise ValidationFailed(fields={**errors, **line_errors})
    entry.total_debit, entry.total_credit = _totals(built)
    with transaction.atomic():
        entry.save()
        _save_lines(entry, built)
        _attach(actor, entry, files)
    return entry


def _attach(actor, entry: JournalEntry, files) -> None:
    from tessera.core.services.attachments import attachment_add

    for file in files or []:
        attachment_add(actor=actor, record=entry, file=file)


def _lock_draft(entry: JournalEntry) -> JournalEntry:
    entry = JournalEntry.objects.select_for_update(of=("self",)).select_related("company").get(pk=entry.pk)
    if entry.state != EntryState.DRAFT:
        raise InvalidState(_("Entry %(number)s is posted: correct it with a reversing entry.")
                           % {"number": entry.number})
    return entry


def entry_update(*, actor, entry: JournalEntry, data: dict, lines: list[dict] | None = None,
                 version: int | None = None, files: list | None = None) -> JournalEntry:
    """Change a draft's header and (when `lines` is given) replace its lines.

    `version` (from the form or API) refuses a save over someone else's change (InvalidState).
    Raises InvalidState for a posted entry, ValidationFailed for bad input; nothing is written on failure.
    """
    require(actor, "accounting.change_journalentry", entry.company)
    with transaction.atomic():
        entry = _lock_draft(entry)
        if version is not None and version != entry.version:
            raise InvalidState(_("Someone else changed this entry meanwhile: reload it and try again."))
        errors = _entry_errors(entry, data)
        built, line_errors = _build_lines(entry, lines) if lines is not None else ([], {})
        if errors or line_errors:
            raise ValidationFailed(fields={**errors, **line_errors})
        if lines is not None:
            entry.lines.all().delete()
            entry.total_debit, entry.total_credit = _totals(built)
        entry.version += 1  # the row is locked: a plain increment is safe
        entry.save()
        _save_lines(entry, built)
        _attach(actor, entry, files)
    return entry


def entry_delete(*, actor, entry: JournalEntry) -> None:
    """Delete a draft and its lines; a posted entry is never deleted (InvalidState)."""
    require(actor, "accounting.delete_journalentry", entry.company)
    with transaction.atomic():
        entry = _lock_draft(entry)
        entry.delete()


def _apply_balances(entry: JournalEntry, lines: list[JournalEntryLine]) -> None:
    totals: dict[int, list[Decimal]] = {}
    for line in lines:
        debit_credit = totals.setdefault(line.account_id, [ZERO, ZERO])
        debit_credit[0] += line.debit
        debit_credit[1] += line.credit
    AccountBalance.objects.bulk_create(
        [AccountBalance(company=entry.company, account_id=account, period=entry.period) for account in totals],
        ignore_conflicts=True,
    )
    for account in sorted(totals):  # pk order: one order for every writer of these rows
        debit, credit = totals[account]
        AccountBalance.objects.filter(account_id=account, period=entry.period).update(
            debit=F("debit") + debit, credit=F("credit") + credit
        )


def _post_locked(entry: JournalEntry, actor) -> JournalEntry:
    """Post an entry whose company row and entry row the caller's transaction has locked."""
    if entry.state != EntryState.DRAFT:
        raise InvalidState(_("Entry %(number)s is already posted.") % {"number": entry.number})
    lines = list(entry.lines.select_related("account", "partner", "cost_center").order_by("sequence", "pk"))
    if len(lines) < 2:
        raise ValidationFailed(fields={"lines": [_("An entry needs at least two lines.")]})
    errors = _posting_rule_errors(entry.company, lines)
    errors.update(_foreign_errors(entry.company, entry, ("journal",)))
    if errors:
        raise ValidationFailed(fields=errors)
    total_debit, total_credit = _totals(lines)
    if total_debit != total_credit:
        raise UnbalancedEntry(_("Total debit %(debit)s does not equal total credit %(credit)s.")
                              % {"debit": total_debit, "credit": total_credit})
    entry.period = period_of(entry.company, entry.date, lock=True)
    entry.number = _next_number(entry)
    entry.total_debit, entry.total_credit = total_debit, total_credit
    entry.posted_at = timezone.now()
    entry.posted_by = actor if getattr(actor, "is_authenticated", False) else None
    last = JournalEntry.objects.filter(company=entry.company, chain_index__isnull=False).aggregate(
        index=Max("chain_index"))["index"] or 0
    entry.chain_index = last + 1
    entry.previous_hash = (JournalEntry.objects.filter(company=entry.company, chain_index=last)
                           .values_list("hash", flat=True).first() or "") if last else ""
    entry.hash = entry_digest(entry, entry.previous_hash, lines)
    entry.state = EntryState.POSTED
    # A queryset update: the model guard would (rightly) refuse saving a posted entry, and the audit
    # trail records the move as one transition below.
    JournalEntry.objects.filter(pk=entry.pk, state=EntryState.DRAFT).update(
        state=entry.state, number=entry.number, period=entry.period, total_debit=total_debit,
        total_credit=total_credit, posted_at=entry.posted_at, posted_by=entry.posted_by,
        chain_index=entry.chain_index, previous_hash=entry.previous_hash, hash=entry.hash,
    )
    JournalEntryLine.objects.filter(entry=entry).update(date=entry.date, period=entry.period, is_posted=True)
    _apply_balances(entry, lines)
    audit.record_transition(entry, from_state=EntryState.DRAFT, to_state=EntryState.POSTED)
    events.emit("accounting.entry.posted", company=entry.company, obj=entry,
                payload={"number": entry.number, "total": str(total_debit)})
    return entry


def _next_number(entry: JournalEntry) -> str:
    return sequence_next_number(company=entry.company, code=entry.journal.sequence_code, on=entry.date)


def _lock_entry(entry: JournalEntry) -> JournalEntry:
    return JournalEntry.objects.select_for_update(of=("self",)).select_related("company", "journal").get(pk=entry.pk)


def entry_post(*, actor, entry: JournalEntry) -> JournalEntry:
    """Post a draft: number, period, totals, balances, hash chain; audit transition and
    `accounting.entry.posted` event.

    Raises PermissionDenied (accounting.post_journalentry), InvalidState (not a draft), ValidationFailed
    (line field errors), UnbalancedEntry (409 unbalanced_entry), PeriodClosed (409 period_closed).
    """
    require(actor, "accounting.post_journalentry", entry.company)
    with transaction.atomic():
        lock_company(entry.company)  # serialises postings: numbers and the hash chain follow posting order
        return _post_locked(_lock_entry(entry), actor)


def entry_post_new(*, actor, company: Company, journal: Journal, date: datetime.date, lines: list[dict],
                   reference: str = "", description: str = "", source: str = "") -> JournalEntry:
    """Create and post an entry in one step: what invoices, payments and stock moves call, inside
    their own transaction. The caller has checked its own permission to post its document.

    `source` names the document ("app.model:pk"). Raises as entry_create and entry_post.
    """
    entry = JournalEntry(company=company, source=source)
    errors = _entry_errors(entry, {"journal": journal, "date": date, "reference": reference,
                                   "description": description})
    built, line_errors = _build_lines(entry, lines)
    if errors or line_errors:
        raise ValidationFailed(fields={**errors, **line_errors})
    entry.total_debit, entry.total_credit = _totals(built)
    with transaction.atomic():
        lock_company(company)
        entry.save()
        _save_lines(entry, built)
        return _post_locked(_lock_entry(entry), actor)


def reverse_locked(entry: JournalEntry, actor, *, date: datetime.date, description: str = "") -> JournalEntry:
    """Post the reversing entry of `entry` (locked with its company by the caller): same lines, debit
    and credit swapped, linked by `reversal_of`. The checks of who may reverse what are the caller's."""
    reversal = JournalEntry(
        company=entry.company, journal=entry.journal, date=date, reference=entry.number or "", reversal_of=entry,
        description=description or _("Reversal of %(number)s") % {"number": entry.number},
    )
    validate(reversal)
    reversal.save()
    _save_lines(reversal, [
        JournalEntryLine(
            company=entry.company, sequence=line.sequence, account_id=line.account_id, partner_id=line.partner_id,
            description=line.description, debit=line.credit, credit=line.debit, currency_id=line.currency_id,
            cost_center_id=line.cost_center_id,
            amount_currency=-line.amount_currency if line.amount_currency is not None else None,
        )
        for line in entry.lines.order_by("sequence", "pk")
    ])
    reversal = _post_locked(_lock_entry(reversal), actor)
    events.emit("accounting.entry.reversed", company=entry.company, obj=entry,
                payload={"number": entry.number, "reversal": reversal.number})
    return reversal


def entry_reverse(*, actor, entry: JournalEntry, date: datetime.date | None = None,
                  description: str = "") -> JournalEntry:
    """Post the reversing entry of a posted one, dated `date` (default: today) in an open period.

    An entry is reversed at most once; a reversing entry and a year's closing entry (reopen the year
    instead) are not reversed. Raises PermissionDenied (accounting.reverse_journalentry), InvalidState,
    PeriodClosed.
    """
    require(actor, "accounting.reverse_journalentry", entry.company)
    with transaction.atomic():
        lock_company(entry.company)
        entry = _lock_entry(entry)
        if entry.state != EntryState.POSTED:
            raise InvalidState(_("Only a posted entry can be reversed."))
        if JournalEntry.objects.filter(reversal_of=entry).exists():
            raise InvalidState(_("Entry %(number)s has been reversed already.") % {"number": entry.number})
        if entry.reversal_of_id:
            raise InvalidState(_("A reversing entry is not reversed again: post a new entry instead."))
        if FiscalYear.objects.filter(closing_entry=entry).exists():
            raise InvalidState(_("Entry %(number)s closes a fiscal year: reopen the year instead.")
                               % {"number": entry.number})
        return reverse_locked(entry, actor, date=date or timezone.localdate(), description=description)

"""Journal entries: create and edit drafts, post, reverse. Other modules post through `entry_post_new`."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.numbering import sequence_next_number

from ..choices import EntryState
from ..models import AccountBalance, Journal, JournalEntry, JournalEntryLine
from .chain import entry_digest
from .errors import UnbalancedEntry
from .periods import period_of

ENTRY_FIELDS = {"journal", "date", "reference", "description", "attachment"}
LINE_FIELDS = {"account", "partner", "description", "debit", "credit", "currency", "amount_currency", "cost_center"}


def _check_same_company(company: Company, **records) -> None:
    for name, record in records.items():
        if record is not None and getattr(record, "company_id", company.pk) != company.pk:
            raise ValidationFailed(fields={name: [_("Choose one of this company's records.")]})


def _build_lines(company: Company, entry: JournalEntry, lines: list[dict]) -> list[JournalEntryLine]:
    if not lines:
        raise ValidationFailed(fields={"lines": [_("An entry needs at least two lines.")]})
    built, errors = [], {}
    for index, data in enumerate(lines):
        unknown = set(data) - LINE_FIELDS
        if unknown:
            errors.update({f"lines.{index}.{name}": [_("This field cannot be set.")] for name in sorted(unknown)})
            continue
        for name in ("debit", "credit", "amount_currency"):
            if isinstance(data.get(name), float):
                errors[f"lines.{index}.{name}"] = [_("Send amounts as decimal strings, not floats.")]
        line = JournalEntryLine(company=company, entry=entry, sequence=index + 1,
                                **{k: v for k, v in data.items() if k not in {"debit", "credit"}},
                                debit=Decimal(data.get("debit") or 0), credit=Decimal(data.get("credit") or 0))
        try:
            _check_same_company(company, account=line.account if line.account_id else None,
                                partner=line.partner, cost_center=line.cost_center)
            validate(line, exclude=["entry"])
        except ValidationFailed as error:
            errors.update({f"lines.{index}.{name}": messages for name, messages in error.fields.items()})
            continue
        if line.account.children.exists():
            errors[f"lines.{index}.account"] = [_("Post to a leaf account: %(code)s has sub-accounts.")
                                                % {"code": line.account.code}]
        elif not line.account.is_active:
            errors[f"lines.{index}.account"] = [_("Account %(code)s is inactive.") % {"code": line.account.code}]
        built.append(line)
    if errors:
        raise ValidationFailed(fields=errors)
    if len(built) < 2:
        raise ValidationFailed(fields={"lines": [_("An entry needs at least two lines.")]})
    return built


def _replace_lines(entry: JournalEntry, lines: list[dict]) -> None:
    built = _build_lines(entry.company, entry, lines)
    entry.lines.all().delete()
    JournalEntryLine.objects.bulk_create(built)
    entry.total_debit = sum((line.debit for line in built), Decimal("0"))
    entry.total_credit = sum((line.credit for line in built), Decimal("0"))
    entry.save(update_fields=["total_debit", "total_credit"])


def entry_create(*, actor, company: Company, data: dict, lines: list[dict]) -> JournalEntry:
    """A draft entry with its lines. Drafts may be unbalanced; posting checks the balance."""
    require(actor, "accounting.add_journalentry", company)
    entry = JournalEntry(company=company)
    unknown = set(data) - ENTRY_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(entry, name, value)
    _check_same_company(company, journal=entry.journal if entry.journal_id else None)
    validate(entry)
    with transaction.atomic():
        entry.save()
        _replace_lines(entry, lines)
    return entry


def _lock_draft(entry: JournalEntry) -> JournalEntry:
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != EntryState.DRAFT:
        raise InvalidState(_("Entry %(number)s is posted: correct it with a reversing entry.")
                           % {"number": entry.number})
    return entry


def entry_update(*, actor, entry: JournalEntry, data: dict, lines: list[dict] | None = None,
                 version: int | None = None) -> JournalEntry:
    """Change a draft. `version` (from the form or API) refuses a save over someone else's change."""
    require(actor, "accounting.change_journalentry", entry.company)
    unknown = set(data) - ENTRY_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    with transaction.atomic():
        entry = _lock_draft(entry)
        if version is not None and version != entry.version:
            raise InvalidState(_("Someone else changed this entry meanwhile: reload it and try again."))
        for name, value in data.items():
            setattr(entry, name, value)
        _check_same_company(entry.company, journal=entry.journal)
        validate(entry)
        entry.version = F("version") + 1
        entry.save()
        entry.refresh_from_db()
        if lines is not None:
            _replace_lines(entry, lines)
    return entry


def entry_delete(*, actor, entry: JournalEntry) -> None:
    """Delete a draft; posted entries are never deleted."""
    require(actor, "accounting.delete_journalentry", entry.company)
    with transaction.atomic():
        entry = _lock_draft(entry)
        entry.delete()


def _apply_balances(entry: JournalEntry, lines: list[JournalEntryLine]) -> None:
    totals: dict[int, list[Decimal]] = {}
    for line in lines:
        debit_credit = totals.setdefault(line.account_id, [Decimal("0"), Decimal("0")])
        debit_credit[0] += line.debit
        debit_credit[1] += line.credit
    AccountBalance.objects.bulk_create(
        [AccountBalance(company=entry.company, account_id=account, period=entry.period) for account in totals],
        ignore_conflicts=True,
    )
    for account in sorted(totals):  # one order for every poster: no deadlock between two postings
        debit, credit = totals[account]
        AccountBalance.objects.filter(account_id=account, period=entry.period).update(
            debit=F("debit") + debit, credit=F("credit") + credit
        )


def _post_locked(entry: JournalEntry, actor) -> JournalEntry:
    """Post an entry already locked by the caller's transaction."""
    if entry.state != EntryState.DRAFT:
        raise InvalidState(_("Entry %(number)s is already posted.") % {"number": entry.number})
    lines = list(entry.lines.select_related("account"))
    total_debit = sum((line.debit for line in lines), Decimal("0"))
    total_credit = sum((line.credit for line in lines), Decimal("0"))
    if len(lines) < 2:
        raise ValidationFailed(fields={"lines": [_("An entry needs at least two lines.")]})
    if total_debit != total_credit:
        raise UnbalancedEntry(_("Total debit %(debit)s does not equal total credit %(credit)s.")
                              % {"debit": total_debit, "credit": total_credit})
    for line in lines:
        if line.account.children.exists() or not line.account.is_active:
            raise ValidationFailed(fields={"lines": [_("Account %(code)s does not take postings.")
                                                     % {"code": line.account.code}]})
    # The company row serialises postings: the hash chain and voucher numbers follow posting order.
    Company.objects.select_for_update().get(pk=entry.company_id)
    entry.period = period_of(entry.company, entry.date, lock=True)
    entry.number = sequence_next_number(company=entry.company, code=entry.journal.sequence_code, on=entry.date)
    entry.total_debit, entry.total_credit = total_debit, total_credit
    entry.state = EntryState.POSTED
    entry.posted_at = timezone.now()
    entry.posted_by = actor if getattr(actor, "is_authenticated", False) else None
    last = JournalEntry.objects.filter(company=entry.company, state=EntryState.POSTED).aggregate(
        index=Max("chain_index"))["index"] or 0
    previous = (JournalEntry.objects.filter(company=entry.company, chain_index=last).values_list("hash", flat=True)
                .first() or "") if last else ""
    entry.chain_index = last + 1
    entry.previous_hash = previous
    entry.save()
    JournalEntryLine.objects.filter(entry=entry).update(date=entry.date, period=entry.period, is_posted=True)
    _apply_balances(entry, lines)
    entry.hash = entry_digest(entry, previous)
    JournalEntry.objects.filter(pk=entry.pk).update(hash=entry.hash)
    audit.record_transition(entry, from_state=EntryState.DRAFT, to_state=EntryState.POSTED)
    events.emit("accounting.entry.posted", company=entry.company, obj=entry,
                payload={"number": entry.number, "total": str(total_debit)})
    return entry


def entry_post(*, actor, entry: JournalEntry) -> JournalEntry:
    """Post a draft: it must balance, and its date must fall in an open period (else 409)."""
    require(actor, "accounting.post_journalentry", entry.company)
    with transaction.atomic():
        entry = JournalEntry.objects.select_for_update().select_related("company", "journal").get(pk=entry.pk)
        return _post_locked(entry, actor)


def entry_post_new(*, actor, company: Company, journal: Journal, date: datetime.date, lines: list[dict],
                   reference: str = "", description: str = "", source: str = "") -> JournalEntry:
    """Create and post an entry in one step: what invoices, payments and stock moves call, inside
    their own transaction. The caller has checked its own permission to post its document."""
    entry = JournalEntry(company=company, journal=journal, date=date, reference=reference,
                         description=description, source=source)
    validate(entry)
    with transaction.atomic():
        entry.save()
        _replace_lines(entry, lines)
        return _post_locked(entry, actor)


def entry_reverse(*, actor, entry: JournalEntry, date: datetime.date | None = None,
                  description: str = "") -> JournalEntry:
    """Post the reversing entry of a posted one (debits and credits swapped), dated `date` (default: today)
    in an open period. An entry is reversed at most once."""
    require(actor, "accounting.reverse_journalentry", entry.company)
    with transaction.atomic():
        entry = JournalEntry.objects.select_for_update().select_related("company", "journal").get(pk=entry.pk)
        if entry.state != EntryState.POSTED:
            raise InvalidState(_("Only a posted entry can be reversed."))
        if JournalEntry.objects.filter(reversal_of=entry).exists():
            raise InvalidState(_("Entry %(number)s has been reversed already.") % {"number": entry.number})
        if entry.reversal_of_id:
            raise InvalidState(_("A reversing entry is not reversed again: post a new entry instead."))
        reversal = JournalEntry.objects.create(
            company=entry.company, journal=entry.journal, date=date or timezone.localdate(),
            reference=entry.number or "", reversal_of=entry,
            description=description or _("Reversal of %(number)s") % {"number": entry.number},
        )
        JournalEntryLine.objects.bulk_create([
            JournalEntryLine(
                company=entry.company, entry=reversal, sequence=line.sequence, account=line.account,
                partner=line.partner, description=line.description, debit=line.credit, credit=line.debit,
                currency=line.currency, cost_center=line.cost_center,
                amount_currency=-line.amount_currency if line.amount_currency is not None else None,
            )
            for line in entry.lines.all()
        ])
        reversal = _post_locked(reversal, actor)
        events.emit("accounting.entry.reversed", company=entry.company, obj=entry,
                    payload={"number": entry.number, "reversal": reversal.number})
        return reversal

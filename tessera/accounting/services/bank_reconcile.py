"""Reconciling bank statement lines with the ledger: one service per action, each in one transaction
with the statement line locked (and the company first when it posts), its version bumped, the move
audited and the statement's state following its lines (reconciled when none is left unreconciled).

Moves of a line (STATEMENT_LINE_TRANSITIONS):
- match, create_entry, create_payment: unreconciled -> reconciled;
- ignore: unreconciled -> ignored; unignore: ignored -> unreconciled;
- unmatch: reconciled -> unreconciled (an entry written here is reversed, a payment cancelled).
Needs accounting.reconcile_bankaccount; writing an entry also accounting.post_journalentry, a payment the
payment permissions (add, post; cancel to undo it).
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import Conflict, InvalidState, ValidationFailed
from tessera.core.permissions import require
from tessera.core.services.currency import currency_round
from tessera.partners.models import Partner

from ..choices import StatementLineState, TaxKind
from ..models import (
    Account,
    BankMatch,
    BankStatement,
    BankStatementLine,
    CostCenter,
    Invoice,
    JournalEntry,
    JournalEntryLine,
    Payment,
    Tax,
)
from .bank import RECONCILE_PERMISSION, is_foreign, line_amount, lock_line, refresh_statement_state
from .bank_matching import auto_match_plan
from .invoices import base_amount, rate_of, signed_lines
from .ledger import entry_post_new, reverse_locked
from .payments import payment_cancel, payment_create, payment_post
from .periods import lock_company

U, R, IGNORED = StatementLineState.UNRECONCILED, StatementLineState.RECONCILED, StatementLineState.IGNORED
STATEMENT_LINE_TRANSITIONS = {
    "match": ({U}, R), "create_entry": ({U}, R), "create_payment": ({U}, R), "ignore": ({U}, IGNORED),
    "unignore": ({IGNORED}, U), "unmatch": ({R}, U),
}
ENTRY_FIELDS = {"account", "description", "partner", "cost_center", "tax"}
PAYMENT_FIELDS = {"partner", "allocations", "description", "reference", "writeoff_account", "writeoff_amount"}
ZERO = Decimal("0")


def _source(line: BankStatementLine) -> str:
    return f"accounting.bankstatementline:{line.pk}"


def _locked(line: BankStatementLine, action: str, version: int | None) -> BankStatementLine:
    """The line locked, checked against the move `action` and the `version` the caller read."""
    line = lock_line(line)
    if version is not None and version != line.version:
        raise InvalidState(_("Someone else changed this statement line meanwhile: reload it and try again."))
    allowed, _target = STATEMENT_LINE_TRANSITIONS[action]
    if line.state not in allowed:
        raise InvalidState(_("The statement line of %(date)s (%(amount)s) is %(state)s.")
                           % {"date": line.date.isoformat(), "amount": line.amount,
                              "state": line.get_state_display().lower()})
    return line


def _move(actor, line: BankStatementLine, action: str, **changes) -> BankStatementLine:
    """Set the line's new state (and `changes`), bump its version, audit, refresh the statement."""
    before = line.state
    line.state = STATEMENT_LINE_TRANSITIONS[action][1]
    for name, value in changes.items():
        setattr(line, name, value)
    line.version += 1
    line.save()
    audit.record_transition(line, from_state=before, to_state=line.state)
    refresh_statement_state(line.statement)
    return line


def _reconcile(actor, line: BankStatementLine, action: str, journal_lines: list[JournalEntryLine], *,
               created: bool) -> BankStatementLine:
    for journal_line in sorted(journal_lines, key=lambda item: item.pk):
        BankMatch(company=line.company, statement_line=line, journal_line=journal_line, created_entry=created).save()
    line = _move(actor, line, action, reconciled_at=timezone.now(),
                 reconciled_by=actor if getattr(actor, "is_authenticated", False) else None)
    events.emit("accounting.bank_statement_line.reconciled", company=line.company, obj=line, payload={
        "statement": line.statement_id, "amount": str(line.amount), "how": action,
        "entries": sorted({journal_line.entry.number or "" for journal_line in journal_lines})})
    return line


def _pk(value):
    if isinstance(value, JournalEntryLine):
        return value.pk
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _journal_lines(line: BankStatementLine, values) -> list[JournalEntryLine]:
    """The ledger lines named by `values`, locked (pk order) and checked: posted, on the bank's ledger
    account, not matched yet, adding up to the statement line's amount."""
    if not isinstance(values, list | tuple) or not values:
        raise ValidationFailed(fields={"lines": [_("Choose the ledger lines this statement line clears.")]})
    pks = [_pk(value) for value in values]
    if None in pks or len(set(pks)) != len(pks):
        raise ValidationFailed(fields={"lines": [_("Send each ledger line once, by its id.")]})
    found = {item.pk: item for item in JournalEntryLine.objects.select_for_update(of=("self",))
             .select_related("entry").filter(company=line.company, pk__in=pks).order_by("pk")}
    errors = []
    account = line.bank_account.journal.default_account
    for pk in pks:
        item = found.get(pk)
        if item is None:
            errors.append(_("Ledger line #%(pk)s does not exist in this company.") % {"pk": pk})
        elif not item.is_posted:
            errors.append(_("Ledger line #%(pk)s is not posted.") % {"pk": pk})
        elif item.account_id != account.pk:
            errors.append(_("Ledger line #%(pk)s of %(entry)s is not on the bank's account %(code)s.")
                          % {"pk": pk, "entry": item.entry, "code": account.code})
    if errors:
        raise ValidationFailed(fields={"lines": errors})
    matched = BankMatch.objects.filter(journal_line_id__in=pks).select_related("journal_line__entry")
    if matched:
        raise Conflict(_("Ledger line %(line)s of %(entry)s is matched to another statement line already.")
                       % {"line": matched[0].journal_line_id, "entry": matched[0].journal_line.entry},
                       code="already_matched")
    lines = [found[pk] for pk in pks]
    total = sum((line_amount(item, is_foreign(line.bank_account)) for item in lines), ZERO)
    if total != line.amount:
        raise Conflict(_("The ledger lines add up to %(total)s, the statement line is %(amount)s.")
                       % {"total": total, "amount": line.amount}, code="amount_mismatch")
    return lines


def statement_line_match(*, actor, line: BankStatementLine, lines: list, version: int | None = None
                         ) -> BankStatementLine:
    """Clear `line` with posted ledger lines of its bank's ledger account (ids or records) whose amounts
    (debit - credit) add up to its amount.

    Raises PermissionDenied, InvalidState (not unreconciled, stale version), ValidationFailed (`lines`:
    unknown, not posted, another account), Conflict `already_matched` or `amount_mismatch`."""
    require(actor, RECONCILE_PERMISSION, line.company)
    with transaction.atomic():
        line = _locked(line, "match", version)
        journal_lines = _journal_lines(line, lines)
        try:
            with transaction.atomic():
                return _reconcile(actor, line, "match", journal_lines, created=False)
        except IntegrityError:  # a concurrent match took one of the ledger lines
            raise Conflict(_("A ledger line was matched to another statement line meanwhile."),
                           code="already_matched") from None


# --- Writing an entry ------------------------------------------------------------------------------

def _company_record(model, line, value, name, errors):
    if value in (None, ""):
        return None
    record = value if isinstance(value, model) else model.objects.filter(company=line.company, pk=value).first() \
        if str(value).isdigit() else None
    if record is None or record.company_id != line.company_id:
        errors[name] = [_("Choose one of this company's records.")]
        return None
    return record


def _entry_rows(line: BankStatementLine, account: Account, tax: Tax | None, data: dict, description: str
                ) -> list[dict]:
    """Signed base-currency rows: the bank leg, the counterpart (net of an included tax), the tax."""
    company, bank = line.company, line.bank_account
    foreign = is_foreign(bank)
    amount = base_amount(line.amount, rate_of(company, bank.currency, line.date, "date"), company) if foreign \
        else line.amount
    rows = [{"account": bank.journal.default_account, "amount": amount, "description": description,
             "currency": bank.currency if foreign else None, "amount_currency": line.amount if foreign else None}]
    tax_amount = ZERO
    if tax is not None and tax.rate and not tax.is_exempt:
        net = currency_round(amount * 100 / (100 + tax.rate), company.base_currency)
        tax_amount = amount - net
    rows.append({"account": account, "partner": data.get("partner"), "cost_center": data.get("cost_center"),
                 "amount": -(amount - tax_amount), "description": description})
    if tax_amount:
        rows.append({"account": tax.account, "amount": -tax_amount, "description": str(tax)})
    return rows


ENTRY_ERROR_FIELDS = {"lines.1.account": "account", "lines.1.partner": "partner", "lines.1.cost_center": "cost_center",
                      "lines.2.account": "tax", "date": "date"}


def _entry_error(error: ValidationFailed) -> ValidationFailed:
    fields = {}
    for key, messages in error.fields.items():
        fields.setdefault(ENTRY_ERROR_FIELDS.get(key, "non_field_errors"), []).extend(messages)
    return ValidationFailed(error.message, fields=fields)


def _entry_data(line: BankStatementLine, data: dict) -> tuple[Account, Tax | None, dict, str]:
    errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - ENTRY_FIELDS)}
    account = _company_record(Account, line, data.get("account"), "account", errors)
    partner = _company_record(Partner, line, data.get("partner"), "partner", errors)
    cost_center = _company_record(CostCenter, line, data.get("cost_center"), "cost_center", errors)
    tax = _company_record(Tax, line, data.get("tax"), "tax", errors)
    if account is None and "account" not in errors:
        errors["account"] = [_("Choose the account the amount goes to (bank charges, interest, a transfer...).")]
    elif account is not None and account.pk == line.bank_account.journal.default_account_id:
        errors["account"] = [_("Choose the other account of the entry, not the bank's own.")]
    if tax is not None and (tax.account_id is None or not tax.is_active):
        errors["tax"] = [_("Choose an active tax with a tax account.")]
    elif tax is not None and (tax.kind == TaxKind.PURCHASE) != (line.amount < 0):
        errors["tax"] = [_("Money out takes a purchase tax, money in a sales tax.")]
    description = str(data.get("description") or "").strip()[:255] or line.description or line.partner_name \
        or _("Bank statement line")
    if errors:
        raise ValidationFailed(fields=errors)
    return account, tax, {"partner": partner, "cost_center": cost_center}, description


def statement_line_create_entry(*, actor, line: BankStatementLine, data: dict, version: int | None = None
                                ) -> BankStatementLine:
    """Write and post an entry for `line` in its bank's journal, dated the line's date (bank charges,
    interest, a transfer), and match it (`created_entry`). `data`: account (the counterpart), description,
    partner, cost_center, tax (a tax included in the amount, split off to its account).

    Raises PermissionDenied (also accounting.post_journalentry), InvalidState, ValidationFailed (fields
    account, partner, cost_center, tax, date), PeriodClosed (409 period_closed)."""
    require(actor, RECONCILE_PERMISSION, line.company)
    require(actor, "accounting.post_journalentry", line.company)
    with transaction.atomic():
        lock_company(line.company)
        line = _locked(line, "create_entry", version)
        account, tax, extra, description = _entry_data(line, data)
        try:
            entry = entry_post_new(
                actor=actor, company=line.company, journal=line.bank_account.journal, date=line.date,
                lines=signed_lines(_entry_rows(line, account, tax, extra, description)),
                reference=line.reference[:100], description=description, source=_source(line))
        except ValidationFailed as error:
            raise _entry_error(error) from None
        bank_leg = entry.lines.filter(account=line.bank_account.journal.default_account).order_by("sequence").first()
        return _reconcile(actor, line, "create_entry", [bank_leg], created=True)


# --- Registering a payment -------------------------------------------------------------------------

def _allocations(line: BankStatementLine, partner, values, errors: dict) -> list[dict]:
    """[{invoice, amount}]: an amount left out takes what the invoice still owes, up to what is left."""
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple):
        errors["allocations"] = [_("Send the allocations as a list.")]
        return []
    left, result = abs(line.amount), []
    for index, item in enumerate(values):
        item = item if isinstance(item, dict) else {"invoice": item}
        invoice = item.get("invoice")
        invoice = invoice if isinstance(invoice, Invoice) else Invoice.objects.filter(
            company=line.company, pk=invoice).first() if str(invoice or "").isdigit() else None
        if invoice is None:
            errors[f"allocations.{index}.invoice"] = [_("Choose an invoice of this company.")]
            continue
        amount = item.get("amount")
        if amount in (None, ""):
            amount = min(invoice.residual, left)
        result.append({"invoice": invoice, "amount": amount})
        try:
            left -= Decimal(str(amount))
        except ArithmeticError:
            pass  # the payment service reports the amount
    return result


def statement_line_create_payment(*, actor, line: BankStatementLine, data: dict, version: int | None = None
                                  ) -> BankStatementLine:
    """Register the payment `line` shows (a receipt for money in, a disbursement for money out) in its
    bank's journal on the line's date, for `data["partner"]`, allocated to `data["allocations"]`
    ([{invoice, amount}], the amount defaulting to what the invoice owes), post it and match it.
    Also: description, reference (default the line's), writeoff_account and writeoff_amount.

    Raises PermissionDenied (also the payment's add and post), InvalidState, ValidationFailed (partner,
    `allocations.<i>.<field>`, ...), PeriodClosed."""
    require(actor, RECONCILE_PERMISSION, line.company)
    with transaction.atomic():
        lock_company(line.company)
        line = _locked(line, "create_payment", version)
        errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - PAYMENT_FIELDS)}
        partner = _company_record(Partner, line, data.get("partner"), "partner", errors)
        if partner is None and "partner" not in errors:
            errors["partner"] = [_("Choose the partner who paid or was paid.")]
        allocations = _allocations(line, partner, data.get("allocations"), errors)
        if errors:
            raise ValidationFailed(fields=errors)
        bank = line.bank_account
        payment = payment_create(actor=actor, company=line.company, data={
            "kind": "inbound" if line.amount > 0 else "outbound", "partner": partner, "journal": bank.journal,
            "date": line.date, "amount": abs(line.amount), "currency": bank.currency,
            "reference": str(data.get("reference") or line.reference or "")[:100],
            "description": str(data.get("description") or line.description or "")[:255],
            **{name: data[name] for name in ("writeoff_account", "writeoff_amount")
               if data.get(name) not in (None, "")},
        }, allocations=allocations)
        payment = payment_post(actor=actor, payment=payment)
        bank_leg = payment.entry.lines.filter(account=bank.journal.default_account).order_by("sequence").first()
        if bank_leg is None or line_amount(bank_leg, is_foreign(bank)) != line.amount:
            raise Conflict(_("The payment's bank line does not equal the statement line."), code="amount_mismatch")
        return _reconcile(actor, line, "create_payment", [bank_leg], created=True)


# --- Ignore, unignore, unmatch ---------------------------------------------------------------------

def statement_line_ignore(*, actor, line: BankStatementLine, version: int | None = None) -> BankStatementLine:
    """Leave an unreconciled line out of the reconciliation (a line the books need not show).
    Raises PermissionDenied, InvalidState."""
    require(actor, RECONCILE_PERMISSION, line.company)
    with transaction.atomic():
        line = _move(actor, _locked(line, "ignore", version), "ignore")
        events.emit("accounting.bank_statement_line.ignored", company=line.company, obj=line,
                    payload={"statement": line.statement_id, "amount": str(line.amount)})
    return line


def statement_line_unignore(*, actor, line: BankStatementLine, version: int | None = None) -> BankStatementLine:
    """Put an ignored line back among the unreconciled. Raises PermissionDenied, InvalidState."""
    require(actor, RECONCILE_PERMISSION, line.company)
    with transaction.atomic():
        return _move(actor, _locked(line, "unignore", version), "unignore")


def _undo_created(actor, line: BankStatementLine, entry: JournalEntry, date: datetime.date | None) -> None:
    """Reverse an entry written from the line, or cancel the payment registered from it."""
    if entry.source.startswith("accounting.payment:"):
        payment = Payment.objects.get(pk=int(entry.source.split(":", 1)[1]))
        if payment.state == "posted":
            payment_cancel(actor=actor, payment=payment, date=date or entry.date)
        return
    entry = JournalEntry.objects.select_for_update(of=("self",)).select_related("company", "journal").get(pk=entry.pk)
    if entry.reversal_of_id is None and not JournalEntry.objects.filter(reversal_of=entry).exists():
        reverse_locked(entry, actor, date=date or entry.date,
                       description=_("Unmatched from bank statement line of %(date)s") % {"date": line.date})


def statement_line_unmatch(*, actor, line: BankStatementLine, version: int | None = None,
                           date: datetime.date | None = None) -> BankStatementLine:
    """Undo a reconciliation: delete the line's matches; an entry written here is reversed (dated `date`,
    default its own date) and a payment registered here is cancelled. The line is unreconciled again
    and its statement open. Raises PermissionDenied (a payment's cancel permission too), InvalidState,
    PeriodClosed (the reversal's period is closed: give another `date`)."""
    require(actor, RECONCILE_PERMISSION, line.company)
    with transaction.atomic():
        lock_company(line.company)
        line = _locked(line, "unmatch", version)
        matches = list(line.matches.select_related("journal_line__entry").order_by("pk"))
        entries = {match.journal_line.entry_id: match.journal_line.entry for match in matches if match.created_entry}
        for match in matches:
            match.delete()
        for entry in entries.values():
            _undo_created(actor, line, entry, date)
        line = _move(actor, line, "unmatch", reconciled_at=None, reconciled_by=None)
        events.emit("accounting.bank_statement_line.unreconciled", company=line.company, obj=line, payload={
            "statement": line.statement_id, "amount": str(line.amount),
            "reversed": sorted(entry.number or "" for entry in entries.values())})
    return line


def statement_auto_match(*, actor, statement: BankStatement) -> list[BankStatementLine]:
    """Match every unreconciled line of `statement` that has exactly one exact ledger candidate, wanted by
    no other line, whose reference is in the line's text or whose date is close (bank_matching).
    Returns the lines matched. Raises PermissionDenied."""
    require(actor, RECONCILE_PERMISSION, statement.company)
    matched = []
    with transaction.atomic():
        lines = list(BankStatementLine.objects.select_for_update(of=("self",))
                     .select_related("company__base_currency", "bank_account__journal__default_account",
                                     "bank_account__currency", "bank_account__company", "statement", "partner")
                     .filter(statement=statement, state=U).order_by("pk"))
        for line, journal_line in auto_match_plan(lines):
            locked = JournalEntryLine.objects.select_for_update(of=("self",)).select_related("entry").get(
                pk=journal_line.pk)
            if BankMatch.objects.filter(journal_line=locked).exists():
                continue
            matched.append(_reconcile(actor, line, "match", [locked], created=False))
    return matched

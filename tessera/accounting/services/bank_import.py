"""Importing a bank statement from CSV: a preview (dry run) that lists every row read or its error before
anything is written, then the import itself, all or nothing.

- The same file twice is refused (409 `duplicate_file`, by its SHA-256); a transaction imported before
  (same import key: services.bank_csv.import_key) is skipped and counted; a file whose every
  transaction is known is refused (409 `already_imported`).
- Balances: the opening and closing balance come from the balance column (the first row's balance less
  its amount, the last row's balance) unless entered; a statement whose opening balance does not follow
  the previous statement's closing balance, or whose lines do not lead from opening to closing, gets a
  warning (the import goes on).
- The mapping that worked is saved on the bank account, so the next file of this bank needs none.
- Each line's counterparty is looked up among the company's partners (same name or bank account).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import events
from tessera.core.errors import Conflict, InvalidState, ValidationFailed
from tessera.core.permissions import require
from tessera.partners.models import Partner
from tessera.partners.selectors import partners_by_bank_account

from ..choices import StatementState
from ..models import BankAccount, BankStatement, BankStatementLine
from .bank import bank_account_save_mapping, previous_statement
from .bank_csv import ParsedFile, ParsedRow, digits, normalise_name, parse_file

IMPORT_PERMISSION = "accounting.add_bankstatement"
ZERO = Decimal("0")


@dataclass
class PreviewRow:
    """A row of the file as the import would treat it: `status` new, duplicate, skipped or error."""

    parsed: ParsedRow
    status: str
    message: str = ""
    partner: Partner | None = None


@dataclass
class ImportPreview:
    """What importing the file would do, row by row, with the statement's balances and the problems."""

    bank_account: BankAccount
    filename: str
    parsed: ParsedFile
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    start_on: datetime.date | None = None
    end_on: datetime.date | None = None
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    total_in: Decimal = ZERO
    total_out: Decimal = ZERO
    duplicate_of: BankStatement | None = None

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def count_errors(self) -> int:
        return self.count("error")

    @property
    def new_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.status == "new"]

    @property
    def can_import(self) -> bool:
        return not self.errors and not self.parsed.mapping_errors and bool(self.new_rows) and \
            not any(row.status == "error" for row in self.rows)


def _partner_finder(company):
    """A function from (counterparty name, counterparty account) to the one partner they name, or None."""
    by_name: dict[str, list[Partner]] = {}
    for partner in Partner.objects.filter(company=company, is_active=True).only("pk", "code", "name"):
        by_name.setdefault(normalise_name(partner.name), []).append(partner)
    by_account = partners_by_bank_account(company.pk)

    def find(name: str, account: str) -> Partner | None:
        for found in (by_account.get(digits(account)) if len(digits(account)) >= 6 else None,
                      by_name.get(normalise_name(name)) if normalise_name(name) else None):
            if found and len(found) == 1:
                return found[0]
        return None

    return find


def _balances(preview: ImportPreview, opening: Decimal | None, closing: Decimal | None) -> None:
    """Opening and closing balance (entered, else from the balance column) and their warnings."""
    rows = preview.parsed.transactions
    total = sum((row.amount for row in rows), ZERO)
    with_balance = [row for row in rows if row.balance is not None]
    file_opening = rows[0].balance - rows[0].amount if rows and rows[0].balance is not None else None
    file_closing = with_balance[-1].balance if with_balance and with_balance[-1] is rows[-1] else None
    for entered, from_file, label in ((opening, file_opening, _("opening")), (closing, file_closing, _("closing"))):
        if entered is not None and from_file is not None and entered != from_file:
            preview.warnings.append(_("The %(which)s balance entered, %(entered)s, differs from the file's, "
                                      "%(file)s.") % {"which": label, "entered": entered, "file": from_file})
    opening = opening if opening is not None else file_opening
    closing = closing if closing is not None else file_closing
    if opening is not None and closing is None:
        closing = opening + total
    elif closing is not None and opening is None:
        opening = closing - total
    if opening is not None and closing is not None and opening + total != closing:
        preview.warnings.append(_("The lines add up to %(total)s: the opening balance %(opening)s plus the lines makes "
                                  "%(expected)s, not the closing balance %(closing)s.")
                                % {"total": total, "opening": opening, "expected": opening + total,
                                   "closing": closing})
    preview.opening_balance, preview.closing_balance = opening, closing
    if opening is not None and preview.start_on is not None:
        previous = previous_statement(preview.bank_account, before=preview.start_on)
        if previous is not None and previous.closing_balance != opening:
            preview.warnings.append(_("The opening balance %(opening)s does not follow the closing balance "
                                      "%(closing)s of the previous statement %(name)s: a statement may be missing.")
                                    % {"opening": opening, "closing": previous.closing_balance,
                                       "name": previous.name})


def _preview(bank_account: BankAccount, content: bytes, filename: str, mapping: dict | None,
             opening_balance: Decimal | None, closing_balance: Decimal | None) -> ImportPreview:
    parsed = parse_file(content, mapping=mapping, saved=bank_account.statement_mapping or None)
    preview = ImportPreview(bank_account=bank_account, filename=filename, parsed=parsed,
                            errors=list(parsed.errors), warnings=list(parsed.warnings))
    preview.duplicate_of = BankStatement.objects.filter(bank_account=bank_account,
                                                        file_hash=parsed.file_hash).first()
    if preview.duplicate_of is not None:
        preview.errors.insert(0, _("This file was imported already, as statement %(name)s on %(date)s.")
                              % {"name": preview.duplicate_of.name,
                                 "date": timezone.localtime(preview.duplicate_of.imported_at).date().isoformat()})
    if parsed.mapping_errors:
        return preview
    keys = [row.import_key for row in parsed.transactions]
    known = set(BankStatementLine.objects.filter(bank_account=bank_account, import_key__in=keys)
                .values_list("import_key", flat=True)) if keys else set()
    find = _partner_finder(bank_account.company)
    for row in parsed.rows:
        if row.error:
            preview.rows.append(PreviewRow(row, "error", row.error))
        elif row.skipped:
            preview.rows.append(PreviewRow(row, "skipped", _("Skipped: %(reason)s.") % {"reason": row.skipped}))
        elif row.import_key in known:
            preview.rows.append(PreviewRow(row, "duplicate", _("Imported already: skipped.")))
        else:
            preview.rows.append(PreviewRow(row, "new", partner=find(row.partner_name, row.partner_account)))
    dates = [row.date for row in parsed.transactions]
    preview.start_on, preview.end_on = (min(dates), max(dates)) if dates else (None, None)
    preview.total_in = sum((row.parsed.amount for row in preview.new_rows if row.parsed.amount > 0), ZERO)
    preview.total_out = sum((row.parsed.amount for row in preview.new_rows if row.parsed.amount < 0), ZERO)
    if parsed.transactions:
        _balances(preview, opening_balance, closing_balance)
    if parsed.transactions and not preview.new_rows and not preview.errors:
        preview.errors.append(_("Every transaction of this file is imported already."))
    return preview


def statement_import_preview(*, actor, bank_account: BankAccount, content: bytes, filename: str = "",
                             mapping: dict | None = None, opening_balance: Decimal | None = None,
                             closing_balance: Decimal | None = None) -> ImportPreview:
    """Read a statement file without writing anything: every row with its status (new, duplicate,
    skipped, error and why), the balances, warnings and the mapping used (given, else the bank
    account's saved one when it fits, else guessed from the headers).

    Raises PermissionDenied (accounting.add_bankstatement), ValidationFailed (`file`: empty, too large,
    a workbook or PDF, not text, not CSV)."""
    require(actor, IMPORT_PERMISSION, bank_account.company)
    return _preview(bank_account, content, filename, mapping, opening_balance, closing_balance)


def _refusal(preview: ImportPreview) -> Exception | None:
    if preview.duplicate_of is not None:
        return Conflict(preview.errors[0], code="duplicate_file")
    if preview.parsed.mapping_errors:
        return ValidationFailed(_("Choose which columns hold what."), fields=preview.parsed.mapping_errors)
    bad = [row for row in preview.rows if row.status == "error"]
    if bad:
        return ValidationFailed(
            _("%(count)s rows of the file cannot be read: nothing was imported.") % {"count": len(bad)},
            fields={f"rows.{row.parsed.row}": [_("Row %(row)s: %(error)s") % {"row": row.parsed.row,
                                                                               "error": row.message}]
                    for row in bad})
    if preview.parsed.transactions and not preview.new_rows:
        return Conflict(_("Every transaction of this file is imported already."), code="already_imported")
    if preview.errors:
        return ValidationFailed(fields={"file": preview.errors})
    return None


def statement_import(*, actor, bank_account: BankAccount, content: bytes, filename: str = "",
                     mapping: dict | None = None, opening_balance: Decimal | None = None,
                     closing_balance: Decimal | None = None, name: str = "") -> BankStatement:
    """Import a statement file: the statement with its new lines (open, unreconciled), all or nothing.
    Transactions imported before are skipped; the mapping used is saved on the bank account.

    Raises PermissionDenied (accounting.add_bankstatement), ValidationFailed (the file, the mapping, or
    `rows.<n>` for each row that cannot be read: nothing is written), InvalidState (an inactive bank
    account), Conflict `duplicate_file` (the same file again) or `already_imported` (no new transaction).
    """
    require(actor, IMPORT_PERMISSION, bank_account.company)
    with transaction.atomic():
        # One import at a time per bank account: the duplicate checks below then see every earlier import.
        bank_account = (BankAccount.objects.select_for_update(of=("self",))
                        .select_related("company__base_currency", "journal").get(pk=bank_account.pk))
        if not bank_account.is_active:
            raise InvalidState(_("Bank account %(name)s is inactive.") % {"name": bank_account.name})
        preview = _preview(bank_account, content, filename, mapping, opening_balance, closing_balance)
        refusal = _refusal(preview)
        if refusal is not None:
            raise refusal
        statement = BankStatement(
            company=bank_account.company, bank_account=bank_account, date=preview.end_on,
            name=(name or f"{bank_account.name} {preview.start_on:%Y-%m-%d} – {preview.end_on:%Y-%m-%d}")[:100],
            start_on=preview.start_on, end_on=preview.end_on, opening_balance=preview.opening_balance,
            closing_balance=preview.closing_balance, filename=(filename or "")[:255],
            file_hash=preview.parsed.file_hash, state=StatementState.OPEN,
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        try:
            with transaction.atomic():
                statement.save()
                _save_lines(statement, preview.new_rows)
        except IntegrityError:  # the file or a line raced in with another import
            raise Conflict(_("This file was imported already."), code="duplicate_file") from None
        bank_account_save_mapping(bank_account, _mapping_to_save(preview.parsed, mapping))
        events.emit("accounting.bank_statement.imported", company=bank_account.company, obj=statement,
                    payload={"bank_account": bank_account.pk, "lines": len(preview.new_rows),
                             "duplicates": preview.count("duplicate"), "warnings": preview.warnings})
    statement.import_warnings = preview.warnings
    statement.import_duplicates = preview.count("duplicate")
    return statement


def _save_lines(statement: BankStatement, rows: list[PreviewRow]) -> None:
    # One save per line (not bulk_create): the audit trail records each line imported.
    for sequence, row in enumerate(rows, start=1):
        parsed = row.parsed
        BankStatementLine(
            company=statement.company, statement=statement, bank_account=statement.bank_account, sequence=sequence,
            date=parsed.date, amount=parsed.amount, reference=parsed.reference, description=parsed.description,
            partner_name=parsed.partner_name, partner_account=parsed.partner_account, partner=row.partner,
            balance=parsed.balance, import_key=parsed.import_key,
        ).save()


def _mapping_to_save(parsed: ParsedFile, given: dict | None) -> dict:
    """The mapping that read the file; detection stays automatic unless the user chose (encoding, ...)."""
    saved = dict(parsed.mapping)
    for key in ("encoding", "delimiter", "header_row"):
        if not given or key not in given:
            saved[key] = "auto"
    return saved

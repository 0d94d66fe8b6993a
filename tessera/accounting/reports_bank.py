"""The bank reconciliation statement (银行存款余额调节表) of a bank account as of a date, and the table
the screen and the CSV/XLSX/PDF files show.

    balance per books  + received by the bank, not in the books  - paid by the bank, not in the books
  = balance per bank   + received in the books, not by the bank  - paid in the books, not by the bank

As of the date: the books' balance is the posted lines of the bank's ledger account up to it; the bank's
is the last closing balance printed on a statement ending by then plus the later statement lines up to
it (else the first opening balance plus the lines, else the lines alone). Outstanding on the bank's side:
statement lines (not ignored) up to the date less what ledger lines dated by then cleared of them; on the
books' side: posted ledger lines up to the date not cleared by a statement line dated by then, except
unmatched lines from before the first statement (its opening balance holds them). An entry
and its reversal that never reached the bank cancel out and are left out. Amounts are in the bank
account's currency. When the two adjusted balances differ, the difference is shown (and the lines
ignored, which the bank's balance includes).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tessera.core.exports import DATE, MONEY, TEXT, ReportColumn, TabularReport

from .choices import StatementLineState
from .models import BankAccount, BankMatch, BankStatement, BankStatementLine
from .services.bank import bank_ledger_lines, is_foreign, line_amount

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass
class ReconciliationItem:
    """An outstanding item: a statement line (`statement_line`) or a ledger line (`journal_line`, `entry`)."""

    date: datetime.date
    reference: str
    description: str
    amount: Decimal
    statement_line: int | None = None
    journal_line: int | None = None
    entry: int | None = None


@dataclass
class BankReconciliation:
    bank_account: BankAccount
    date: datetime.date
    ledger_balance: Decimal = ZERO
    bank_balance: Decimal = ZERO
    bank_balance_source: str = ""
    bank_not_in_books: list[ReconciliationItem] = field(default_factory=list)
    books_not_in_bank: list[ReconciliationItem] = field(default_factory=list)
    ignored_total: Decimal = ZERO
    start: datetime.date | None = None  # the first statement's first day (reconciliation_start)

    @property
    def company(self):
        return self.bank_account.company

    @property
    def currency(self) -> str:
        return self.bank_account.currency.code

    def _sum(self, items, positive: bool) -> Decimal:
        return sum((item.amount for item in items if (item.amount > 0) == positive), ZERO)

    @property
    def received_not_booked(self) -> Decimal:
        return self._sum(self.bank_not_in_books, True)

    @property
    def paid_not_booked(self) -> Decimal:
        return -self._sum(self.bank_not_in_books, False)

    @property
    def booked_not_received(self) -> Decimal:
        return self._sum(self.books_not_in_bank, True)

    @property
    def booked_not_paid(self) -> Decimal:
        return -self._sum(self.books_not_in_bank, False)

    @property
    def adjusted_book_balance(self) -> Decimal:
        return self.ledger_balance + self.received_not_booked - self.paid_not_booked

    @property
    def adjusted_bank_balance(self) -> Decimal:
        return self.bank_balance + self.booked_not_received - self.booked_not_paid

    @property
    def difference(self) -> Decimal:
        return self.adjusted_book_balance - self.adjusted_bank_balance


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _ledger_balance(bank_account: BankAccount, date: datetime.date) -> Decimal:
    lines = bank_ledger_lines(bank_account).filter(date__lte=date)
    if is_foreign(bank_account):
        return _money(lines.aggregate(total=Sum("amount_currency"))["total"])
    totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return _money(totals["debit"]) - _money(totals["credit"])


def _lines_sum(lines) -> Decimal:
    return _money(lines.aggregate(total=Sum("amount"))["total"])


def _bank_balance(bank_account: BankAccount, date: datetime.date) -> tuple[Decimal, str]:
    lines = BankStatementLine.objects.filter(bank_account=bank_account, date__lte=date)
    statements = BankStatement.objects.filter(bank_account=bank_account)
    anchor = (statements.filter(closing_balance__isnull=False, end_on__isnull=False, end_on__lte=date)
              .order_by("-end_on", "-pk").first())
    if anchor is not None:
        later = lines.filter(date__gt=anchor.end_on)
        count = later.count()
        source = _("closing balance of %(statement)s") % {"statement": anchor.name}
        if count:
            source += _(", plus %(count)s later statement lines") % {"count": count}
        return anchor.closing_balance + _lines_sum(later), source
    first = (statements.filter(opening_balance__isnull=False, start_on__isnull=False, start_on__lte=date)
             .order_by("start_on", "pk").first())
    if first is not None:
        return (first.opening_balance + _lines_sum(lines.filter(date__gte=first.start_on)),
                _("opening balance of %(statement)s plus its lines") % {"statement": first.name})
    return _lines_sum(lines), _("sum of the statement lines (no statement printed a balance)")


def _bank_items(bank_account: BankAccount, date: datetime.date) -> list[ReconciliationItem]:
    lines = (BankStatementLine.objects.filter(bank_account=bank_account, date__lte=date)
             .exclude(state=StatementLineState.IGNORED)
             .filter(Q(state=StatementLineState.UNRECONCILED) | Q(matches__journal_line__date__gt=date))
             .distinct().order_by("date", "sequence", "pk"))
    foreign = is_foreign(bank_account)
    cleared: dict[int, Decimal] = {}
    for match in BankMatch.objects.filter(statement_line__in=lines, journal_line__date__lte=date).select_related(
            "journal_line"):
        cleared[match.statement_line_id] = cleared.get(match.statement_line_id, ZERO) + line_amount(
            match.journal_line, foreign)
    items = []
    for line in lines:
        outstanding = line.amount - cleared.get(line.pk, ZERO)
        if outstanding:
            items.append(ReconciliationItem(
                date=line.date, reference=line.reference, amount=outstanding, statement_line=line.pk,
                description=" · ".join(text for text in (line.description, line.partner_name) if text)))
    return items


def reconciliation_start(bank_account: BankAccount) -> datetime.date | None:
    """The first day of the first statement that printed an opening balance: the reconciliation starts there."""
    first = (BankStatement.objects.filter(bank_account=bank_account, opening_balance__isnull=False,
                                          start_on__isnull=False).order_by("start_on", "pk").first())
    return first.start_on if first is not None else None


def _book_items(bank_account: BankAccount, date: datetime.date, start: datetime.date | None
                ) -> list[ReconciliationItem]:
    lines = (bank_ledger_lines(bank_account).filter(date__lte=date)
             .filter(Q(bank_match__isnull=True) | Q(bank_match__statement_line__date__gt=date)))
    if start is not None:
        # Unmatched lines before the first statement are in its opening balance: cleared before it.
        lines = lines.filter(Q(date__gte=start) | Q(bank_match__isnull=False))
    lines = list(lines.select_related("entry", "partner").order_by("date", "entry__number", "pk"))
    entries = {line.entry_id: line.entry for line in lines}
    # An entry and its reversal both outstanding never reached the bank: they cancel out.
    cancelled = {pk for pk, entry in entries.items() if entry.reversal_of_id in entries}
    cancelled |= {entries[pk].reversal_of_id for pk in cancelled}
    foreign = is_foreign(bank_account)
    return [ReconciliationItem(date=line.date, reference=line.entry.number or "",
                               description=line.description or line.entry.description or
                               (line.partner.name if line.partner else ""),
                               amount=line_amount(line, foreign), journal_line=line.pk, entry=line.entry_id)
            for line in lines if line.entry_id not in cancelled and line_amount(line, foreign)]


def bank_reconciliation(bank_account: BankAccount, date: datetime.date) -> BankReconciliation:
    """The reconciliation statement of `bank_account` as of `date` (module docstring)."""
    report = BankReconciliation(bank_account=bank_account, date=date)
    report.ledger_balance = _ledger_balance(bank_account, date)
    report.bank_balance, report.bank_balance_source = _bank_balance(bank_account, date)
    report.bank_not_in_books = _bank_items(bank_account, date)
    report.start = reconciliation_start(bank_account)
    report.books_not_in_bank = _book_items(bank_account, date, report.start)
    report.ignored_total = _lines_sum(BankStatementLine.objects.filter(
        bank_account=bank_account, date__lte=date, state=StatementLineState.IGNORED))
    return report


# --- The table ---------------------------------------------------------------------------------------

def reconciliation_columns() -> list[ReportColumn]:
    return [ReportColumn("item", _("Item"), TEXT, width="46%"), ReportColumn("date", _("Date"), DATE),
            ReportColumn("reference", _("Reference")),
            ReportColumn("amount", _("Amount"), MONEY, blank_zero=False)]


def _section(rows: list, heading: str, items: list[ReconciliationItem], total: Decimal, sign: int) -> None:
    rows.append({"item": heading, "_heading": True})
    for item in items:
        rows.append({"item": item.description or "—", "date": item.date, "reference": item.reference,
                     "amount": sign * item.amount, "_level": 1, "_item": item})
    rows.append({"item": _("Subtotal"), "amount": total, "_level": 1, "_strong": True})


def book_side_rows(report: BankReconciliation) -> list[dict]:
    rows = [{"item": _("Balance per books (bank journal)"), "amount": report.ledger_balance, "_strong": True}]
    positive = [item for item in report.bank_not_in_books if item.amount > 0]
    negative = [item for item in report.bank_not_in_books if item.amount < 0]
    _section(rows, _("Add: received by the bank, not yet in the books"), positive, report.received_not_booked, 1)
    _section(rows, _("Less: paid by the bank, not yet in the books"), negative, report.paid_not_booked, -1)
    rows.append({"item": _("Adjusted balance per books"), "amount": report.adjusted_book_balance, "_strong": True})
    return rows


def bank_side_rows(report: BankReconciliation) -> list[dict]:
    rows = [{"item": _("Balance per bank statement"), "amount": report.bank_balance, "_strong": True}]
    positive = [item for item in report.books_not_in_bank if item.amount > 0]
    negative = [item for item in report.books_not_in_bank if item.amount < 0]
    _section(rows, _("Add: received in the books, not yet by the bank"), positive, report.booked_not_received, 1)
    _section(rows, _("Less: paid in the books, not yet by the bank"), negative, report.booked_not_paid, -1)
    rows.append({"item": _("Adjusted balance per bank"), "amount": report.adjusted_bank_balance, "_strong": True})
    return rows


def bank_reconciliation_table(report: BankReconciliation) -> TabularReport:
    """Both sides one under the other, then the difference (zero when they agree)."""
    bank_account = report.bank_account
    notes = [_("Bank balance: %(source)s.") % {"source": report.bank_balance_source}]
    if report.start is not None:
        notes.append(_("Ledger lines before %(date)s, the first day of the first statement, are taken as cleared by "
                       "its opening balance.") % {"date": report.start.isoformat()})
    if report.difference and report.ignored_total:
        notes.append(_("Ignored statement lines up to this date add up to %(total)s.")
                     % {"total": report.ignored_total})
    ledger = bank_account.journal.default_account
    return TabularReport(
        title=_("Bank reconciliation statement"), company=report.company.name,
        subtitle=_("As of %(date)s") % {"date": report.date.isoformat()},
        parameters=[(_("Bank account"), f"{bank_account.name} ({bank_account.account_number})"),
                    (_("Ledger account"), f"{ledger.code} {ledger.name}"), (_("Currency"), report.currency)],
        columns=reconciliation_columns(), rows=book_side_rows(report) + bank_side_rows(report),
        totals={"item": _("Difference"), "amount": report.difference}, notes=notes,
        filename=f"bank-reconciliation-{report.company.code}-{bank_account.pk}-{report.date:%Y%m%d}",
    )


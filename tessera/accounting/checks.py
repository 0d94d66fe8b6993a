"""The ledger's invariants for `tessera check-books`: each check returns the problems it finds.

- every posted entry balances and its lines add up to its totals, and the lines carry the entry's
  posting (date, period, posted flag) and belong to its company;
- AccountBalance rows equal the sums of posted lines per account and period, and debits equal credits;
- the hash chain verifies (nothing changed behind the application's back);
- no posted line is on an account with sub-accounts;
- receivable and payable control accounts: every posted line names a partner, so the per-partner
  sums equal the account's total;
- invoices: what each has settled (amount_paid) is its allocations from posted payments plus what its
  credit notes settled of it, its state follows, the residual is not negative, and its posted entry exists
  and balances; each posted payment has its posted entry.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from tessera.core.checks_registry import register_check

from .choices import AccountRole, EntryState, InvoiceState, PaymentState
from .models import (
    Account,
    AccountBalance,
    Invoice,
    JournalEntry,
    JournalEntryLine,
    Payment,
    PaymentAllocation,
    Period,
)
from .services.chain import verify_chain

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _money(value) -> str:
    # Database sums come back as 113 or 113.00 depending on the backend: show them one way.
    return f"{Decimal(value or 0).quantize(CENT):f}"


def _label(entry: dict) -> str:
    return entry["number"] or f"#{entry['pk']}"


def entries_balance(company) -> list[str]:
    """Posted entries balance, have two lines or more adding up to their totals, lines agree with them."""
    problems = []
    posted = JournalEntry.objects.filter(company=company, state=EntryState.POSTED)
    for entry in posted.exclude(total_debit=F("total_credit")).values("pk", "number", "total_debit", "total_credit"):
        problems.append(_("%(entry)s: debit %(debit)s does not equal credit %(credit)s")
                        % {"entry": _label(entry), "debit": _money(entry["total_debit"]),
                           "credit": _money(entry["total_credit"])})
    # Compared here, not in SQL: SQLite adds decimals as floats (196.35 + 0 may not equal 196.35 there).
    sums = posted.annotate(lines_debit=Sum("lines__debit"), lines_credit=Sum("lines__credit"), count=Count("lines"))
    for entry in sums.values("pk", "number", "count", "lines_debit", "lines_credit", "total_debit").order_by("pk"):
        total = _money(entry["total_debit"])
        if entry["count"] >= 2 and _money(entry["lines_debit"]) == total == _money(entry["lines_credit"]):
            continue
        problems.append(_("%(entry)s: its %(count)s lines add up to debit %(debit)s and credit %(credit)s, "
                          "its total is %(total)s")
                        % {"entry": _label(entry), "count": entry["count"], "debit": _money(entry["lines_debit"]),
                           "credit": _money(entry["lines_credit"]), "total": _money(entry["total_debit"])})
    lines = JournalEntryLine.objects.filter(company=company)
    posting_differs = Q(is_posted=False) | ~Q(period=F("entry__period")) | ~Q(date=F("entry__date"))
    mismatched = lines.filter(
        Q(entry__state=EntryState.POSTED) & posting_differs
        | Q(is_posted=True) & ~Q(entry__state=EntryState.POSTED)
        | ~Q(entry__company=company) | ~Q(account__company=company)
    )
    for line in mismatched.values("pk", "entry__number", "entry_id").order_by("pk"):
        problems.append(_("Line #%(line)s of %(entry)s does not match its entry (posting, period, date or company)")
                        % {"line": line["pk"], "entry": line["entry__number"] or f"#{line['entry_id']}"})
    return problems


def balances_match_lines(company) -> list[str]:
    """AccountBalance rows equal the posted lines' sums per account and period; debits equal credits."""
    from_lines = {
        (row["account"], row["period"]): (row["debit"], row["credit"])
        for row in JournalEntryLine.objects.filter(company=company, is_posted=True)
        .values("account", "period").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by()
    }
    from_balances = {
        (row["account"], row["period"]): (row["debit"], row["credit"])
        for row in AccountBalance.objects.filter(company=company).values("account", "period", "debit", "credit")
    }
    codes = dict(Account.objects.filter(company=company).values_list("pk", "code"))
    periods = dict(Period.objects.filter(company=company).values_list("pk", "name"))
    problems = []
    for key in sorted(set(from_lines) | set(from_balances), key=lambda key: (codes.get(key[0], ""), key[1] or 0)):
        kept = from_balances.get(key, (ZERO, ZERO))
        summed = from_lines.get(key, (ZERO, ZERO))
        if tuple(map(_money, kept)) != tuple(map(_money, summed)):  # SQLite sums decimals as floats
            problems.append(
                _("Account %(account)s, period %(period)s: balance %(kept_debit)s/%(kept_credit)s, posted lines "
                  "%(debit)s/%(credit)s")
                % {"account": codes.get(key[0], key[0]), "period": periods.get(key[1], key[1]),
                   "kept_debit": _money(kept[0]), "kept_credit": _money(kept[1]), "debit": _money(summed[0]),
                   "credit": _money(summed[1])}
            )
    totals = AccountBalance.objects.filter(company=company).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    if _money(totals["debit"]) != _money(totals["credit"]):
        problems.append(_("The ledger does not balance: debits %(debit)s, credits %(credit)s")
                        % {"debit": _money(totals["debit"]), "credit": _money(totals["credit"])})
    return problems


def hash_chain(company) -> list[str]:
    """The tamper-evidence chain of posted entries verifies."""
    return verify_chain(company)


def leaf_accounts(company) -> list[str]:
    """No posted line is on an account that has sub-accounts."""
    codes = (JournalEntryLine.objects.filter(company=company, is_posted=True, account__children__isnull=False)
             .values_list("account__code", flat=True).distinct().order_by("account__code"))
    return [_("Account %(code)s has sub-accounts but posted lines") % {"code": code} for code in codes]


def control_accounts(company) -> list[str]:
    """Receivable and payable accounts: the per-partner sums of posted lines equal the account total."""
    problems = []
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    accounts = Account.objects.filter(company=company, role__in=[AccountRole.RECEIVABLE, AccountRole.PAYABLE])
    for row in (AccountBalance.objects.filter(account__in=accounts).values("account")
                .annotate(debit=Sum("debit"), credit=Sum("credit")).order_by()):
        totals[row["account"]] = [row["debit"], row["credit"]]
    for account in accounts.order_by("code"):
        partners = JournalEntryLine.objects.filter(account=account, is_posted=True, partner__isnull=False).aggregate(
            debit=Sum("debit"), credit=Sum("credit"))
        by_partner = (partners["debit"] or ZERO) - (partners["credit"] or ZERO)
        total = totals[account.pk][0] - totals[account.pk][1]
        if _money(by_partner) != _money(total):
            problems.append(_("Control account %(code)s: partner balances add up to %(partners)s, the account to "
                              "%(total)s")
                            % {"code": account.code, "partners": _money(by_partner), "total": _money(total)})
    return problems


def _invoice_problems(invoice: dict, settled: Decimal, entries: dict) -> list[str]:
    label, paid, total = invoice["number"] or f"#{invoice['pk']}", invoice["amount_paid"], invoice["total"]
    problems = []
    if paid != settled:
        problems.append(_("Invoice %(invoice)s: paid %(paid)s, its allocations and credit notes settle %(settled)s")
                        % {"invoice": label, "paid": _money(paid), "settled": _money(settled)})
    if paid < 0 or paid > total:
        problems.append(_("Invoice %(invoice)s: paid %(paid)s of a total of %(total)s")
                        % {"invoice": label, "paid": _money(paid), "total": _money(total)})
    if invoice["state"] == InvoiceState.CANCELLED:
        expected = InvoiceState.CANCELLED if paid == total else None
    elif paid == 0:
        expected = InvoiceState.POSTED
    else:
        expected = InvoiceState.PAID if paid == total else InvoiceState.PARTIALLY_PAID
    if invoice["state"] != expected:
        problems.append(_("Invoice %(invoice)s is %(state)s with %(paid)s of %(total)s paid")
                        % {"invoice": label, "state": invoice["state"], "paid": _money(paid), "total": _money(total)})
    entry = entries.get(invoice["entry"])
    if entry is None or entry["state"] != EntryState.POSTED or entry["total_debit"] != entry["total_credit"]:
        problems.append(_("Invoice %(invoice)s: its journal entry is missing, not posted or unbalanced")
                        % {"invoice": label})
    return problems


def invoices_match_allocations(company) -> list[str]:
    """Each posted invoice's amount_paid equals its allocations from posted payments plus what its credit
    notes settled (a credit note's own settlement beyond allocations); the state follows amount_paid;
    the residual is not negative; its entry exists, is posted and balances. Posted payments have entries."""
    # Sums in Python: SQLite adds decimals as floats.
    allocated: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice_pk, amount in PaymentAllocation.objects.filter(
            company=company, payment__state=PaymentState.POSTED).values_list("invoice", "amount"):
        allocated[invoice_pk] += amount
    invoices = list(Invoice.objects.filter(company=company, entry__isnull=False).values(
        "pk", "number", "state", "total", "amount_paid", "entry", "credit_note_of"))
    # What a credit note settled beyond its allocations, it settled of the invoice it credits.
    by_credit: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice in invoices:
        if invoice["credit_note_of"]:
            by_credit[invoice["credit_note_of"]] += invoice["amount_paid"] - allocated[invoice["pk"]]
    entries = {row["pk"]: row for row in JournalEntry.objects.filter(company=company).filter(
        Q(pk__in=[invoice["entry"] for invoice in invoices]) | Q(source__startswith="accounting.payment:"))
        .values("pk", "state", "total_debit", "total_credit")}
    problems = []
    for invoice in sorted(invoices, key=lambda row: row["pk"]):
        settled = allocated[invoice["pk"]] + by_credit[invoice["pk"]]
        if invoice["credit_note_of"]:  # settled partly against its invoice: at least its allocations
            settled = max(invoice["amount_paid"], allocated[invoice["pk"]])
        problems += _invoice_problems(invoice, settled, entries)
    unposted = Invoice.objects.filter(company=company, entry__isnull=True).exclude(
        state__in=[InvoiceState.DRAFT, InvoiceState.CANCELLED]).values_list("pk", flat=True)
    problems += [_("Invoice #%(pk)s is posted without a journal entry") % {"pk": pk} for pk in unposted]
    for payment in Payment.objects.filter(company=company, state=PaymentState.POSTED).values("pk", "number", "entry"):
        entry = entries.get(payment["entry"])
        if entry is None or entry["state"] != EntryState.POSTED or entry["total_debit"] != entry["total_credit"]:
            problems.append(_("Payment %(payment)s: its journal entry is missing, not posted or unbalanced")
                            % {"payment": payment["number"]})
    return problems


for _check in (entries_balance, balances_match_lines, hash_chain, leaf_accounts, control_accounts,
               invoices_match_allocations):
    register_check(f"accounting.{_check.__name__}", _check)

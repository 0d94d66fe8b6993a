"""Receivables, payables and VAT reports: aged receivables and payables, partner statements, the VAT return.

All figures come from the posted ledger, not from invoice or payment states, so they always tie to
the trial balance:
- A partner's balance is the net of its posted lines on the control accounts (accounts with role
  `receivable` for customers, `payable` for suppliers); lines without a partner are kept together
  under "no partner" so the grand total equals the control accounts' balance.
- Aging is first in, first out: per partner, the lines on the account's normal side (debits for
  receivables, credits for payables) are the items, the lines on the other side (payments, credit
  notes) settle the oldest items first (by date, then due date). What remains open is aged by its
  due date: the invoice's due date when the entry comes from an invoice (`Invoice.entry`, or the
  entry's source "accounting.invoice:<id>"), otherwise the entry's date. When a partner's settlements
  exceed its items (a prepayment), the unused settlements are aged the same way, as negative amounts.
- Buckets by days overdue as of a date (as_of − due date): not due (due after as_of), 0–30, 31–60,
  61–90, 91–120, over 120.
- The VAT return takes output VAT as the credit − debit movement of the output VAT accounts (role
  `tax_output`) and input VAT as the debit − credit movement of the input VAT accounts (role
  `tax_input`) over the dates; payable = output − input (a negative figure is a credit carried
  forward). Journal lines do not carry their tax, so the split by tax (rate and taxable base) comes
  from the posted invoices whose entries fall in the dates; whatever else was posted on a VAT account
  (manual entries, reversals, rounding) shows as "other entries", so each account still adds up to
  its ledger movement.

Every report takes an optional `actor` who then needs `REPORT_PERMISSION` in the company. Bad input
raises ValidationFailed naming the field.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.currency import currency_round
from tessera.partners.models import Partner

from .choices import CREDIT_KINDS, AccountRole, EntryState, TaxKind
from .models import Account, Invoice, JournalEntry, JournalEntryLine, Tax
from .reports import REPORT_PERMISSION, ZERO, check_dates, money
from .services.revaluation import revaluation_aging, revaluation_entry_ids
from .services.taxes import document_taxes

INVOICE_SOURCE = "accounting.invoice:"  # JournalEntry.source of an invoice's entry
SIDES = ("receivable", "payable")
BUCKETS = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_91_120", "days_over_120")
BUCKET_LIMITS = ((30, "days_0_30"), (60, "days_31_60"), (90, "days_61_90"), (120, "days_91_120"))


def _authorize(actor, company: Company) -> None:
    if actor is not None:
        require(actor, REPORT_PERMISSION, company)


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise ValidationFailed(fields={"side": [_("Choose receivable or payable.")]})


def control_accounts(company: Company, side: str) -> list[int]:
    """The ids of the company's accounts with role receivable or payable (`side`)."""
    return list(Account.objects.filter(company=company, role=side).values_list("pk", flat=True))


def source_invoices(company: Company, entries) -> dict[int, int]:
    """Entry id -> invoice id for those of `entries` (ids or a JournalEntry queryset) that name their invoice
    only in the source "accounting.invoice:<id>" (an invoice linked by `Invoice.entry` is found directly)."""
    linked = Invoice.objects.filter(company=company, entry__in=entries).values("entry_id")
    found = {}
    for entry_pk, source in (JournalEntry.objects.filter(company=company, pk__in=entries,
                                                         source__startswith=INVOICE_SOURCE)
                             .exclude(pk__in=linked).values_list("pk", "source")):
        invoice_pk = source.removeprefix(INVOICE_SOURCE)
        if invoice_pk.isdigit():
            found[entry_pk] = int(invoice_pk)
    return found


def due_dates(company: Company, entry_ids) -> dict[int, tuple[datetime.date | None, str]]:
    """Entry id -> (due date, invoice number) for the entries that post an invoice."""
    ids, found = sorted(entry_ids), {}
    for start in range(0, len(ids), 500):  # bounded lists of query parameters, whatever the size of the books
        chunk = ids[start:start + 500]
        for row in Invoice.objects.filter(company=company, entry__in=chunk).values("entry_id", "due_on", "number"):
            found[row["entry_id"]] = (row["due_on"], row["number"] or "")
        sourced = source_invoices(company, chunk)
        invoices = {row["pk"]: (row["due_on"], row["number"] or "") for row in Invoice.objects.filter(
            company=company, pk__in=sourced.values()).values("pk", "due_on", "number")}
        found.update({entry: invoices[invoice] for entry, invoice in sourced.items() if invoice in invoices})
    return found


def bucket_of(due_on: datetime.date, as_of: datetime.date) -> str:
    """The aging bucket of an item due on `due_on`, seen on `as_of`."""
    days = (as_of - due_on).days
    if days < 0:
        return "not_due"
    for limit, bucket in BUCKET_LIMITS:
        if days <= limit:
            return bucket
    return "days_over_120"


# --- Aged receivables and payables ----------------------------------------------------------------

@dataclass
class AgedReport:
    company: Company
    side: str  # "receivable" or "payable"
    as_of: datetime.date
    rows: list[dict]  # partner (id or None), partner_code, partner_name, BUCKETS..., total
    totals: dict  # BUCKETS and total over the rows
    balance: Decimal  # the control accounts' balance on their normal side: equals totals["total"]


def _open_items(items: list[tuple], settled: Decimal) -> list[tuple]:
    """Items (date, due, pk, amount) left after `settled` is taken from the oldest ones first."""
    remaining = []
    for date, due, pk, amount in sorted(items):
        used = min(amount, settled)
        settled -= used
        if amount - used:
            remaining.append((date, due, pk, amount - used))
    return remaining


def aged_balances(company: Company, side: str, as_of: datetime.date, *, actor=None) -> AgedReport:
    """Per partner, the open balance on the receivable or payable control accounts as of a date,
    split into aging buckets (see the module's conventions). Partners with a zero balance are left out."""
    _authorize(actor, company)
    _check_side(side)
    if not isinstance(as_of, datetime.date):
        raise ValidationFailed(fields={"as_of": [_("Enter a date as YYYY-MM-DD.")]})
    sign = 1 if side == "receivable" else -1  # the normal side: debit for receivables, credit for payables
    lines = JournalEntryLine.objects.filter(company=company, account_id__in=control_accounts(company, side),
                                            is_posted=True, date__lte=as_of)
    balances = {row["partner"]: sign * ((row["debit"] or ZERO) - (row["credit"] or ZERO))
                for row in lines.values("partner").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by()}
    open_partners = [pk for pk, balance in balances.items() if balance]
    per_partner: dict = defaultdict(list)
    entry_ids = set()
    chosen = Q(partner_id__in=[pk for pk in open_partners if pk is not None])
    if None in open_partners:
        chosen |= Q(partner__isnull=True)
    # Exchange revaluations: their entries are left out and their differences aged as the invoices they
    # revalue (services/revaluation.py), so that a revaluation's reversal never settles an older invoice.
    query = lines.filter(chosen).exclude(entry_id__in=revaluation_entry_ids(company))
    revalued = revaluation_aging(company, control_accounts(company, side), as_of)
    for line in query.values("partner", "entry_id", "date", "debit", "credit", "pk").iterator(chunk_size=2000):
        per_partner[line["partner"]].append(line)
        entry_ids.add(line["entry_id"])
    dues = due_dates(company, entry_ids)
    names = {row["pk"]: row for row in Partner.objects.filter(pk__in=per_partner).values("pk", "code", "name")}
    rows = []
    for partner, partner_lines in per_partner.items():
        items, settlements = [], []
        for line in partner_lines:
            amount = sign * (line["debit"] - line["credit"])
            due = dues.get(line["entry_id"], (None, ""))[0] or line["date"]
            (items if amount > 0 else settlements).append((line["date"], due, line["pk"], abs(amount)))
        settled = sum((amount for *_rest, amount in settlements), ZERO)
        owed = sum((amount for *_rest, amount in items), ZERO)
        if owed >= settled:
            open_items = [(due, amount) for _date, due, _pk, amount in _open_items(items, settled)]
        else:  # more paid than invoiced: the unused settlements stay open, as negative amounts
            open_items = [(due, -amount) for _date, due, _pk, amount in _open_items(settlements, owed)]
        amounts = dict.fromkeys(BUCKETS, ZERO)
        for due, amount in open_items + [(due, sign * amount) for due, amount in revalued.get(partner, [])]:
            amounts[bucket_of(due, as_of)] += amount
        info = names.get(partner, {"code": "", "name": _("No partner")})
        rows.append({"partner": partner, "partner_code": info["code"], "partner_name": info["name"],
                     **{bucket: money(amount) for bucket, amount in amounts.items()},
                     "total": money(sum(amounts.values(), ZERO))})
    rows.sort(key=lambda row: (row["partner"] is None, row["partner_code"], row["partner_name"]))
    totals = {key: money(sum((row[key] for row in rows), ZERO)) for key in (*BUCKETS, "total")}
    return AgedReport(company=company, side=side, as_of=as_of, rows=rows, totals=totals,
                      balance=money(sum(balances.values(), ZERO)))


def aged_receivables(company: Company, as_of: datetime.date, *, actor=None) -> AgedReport:
    """What customers owe as of a date, by partner and aging bucket."""
    return aged_balances(company, "receivable", as_of, actor=actor)


def aged_payables(company: Company, as_of: datetime.date, *, actor=None) -> AgedReport:
    """What is owed to suppliers as of a date, by partner and aging bucket."""
    return aged_balances(company, "payable", as_of, actor=actor)


# --- Partner statement ----------------------------------------------------------------------------

@dataclass
class PartnerStatement:
    company: Company
    partner: Partner
    side: str  # receivable: balances are debit − credit (what the partner owes); payable: credit − debit
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    lines: list[dict]  # id, date, entry, number, reference, description, due_on, debit, credit, balance
    total_debit: Decimal
    total_credit: Decimal
    closing: Decimal


def default_side(partner: Partner) -> str:
    """A supplier that is not also a customer gets the payable side; everyone else the receivable one."""
    return "payable" if partner.is_supplier and not partner.is_customer else "receivable"


def partner_statement(company: Company, partner, date_from: datetime.date, date_to: datetime.date,
                      side: str | None = None, *, actor=None) -> PartnerStatement:
    """One partner's posted lines on the receivable (or payable) control accounts between two dates,
    with the opening balance, a running balance and the closing balance.

    Raises ValidationFailed (field `partner`) when the partner is not one of the company's.
    """
    _authorize(actor, company)
    check_dates(date_from, date_to)
    pk = getattr(partner, "pk", partner)
    partner = Partner.objects.filter(company=company, pk=pk).first() if isinstance(pk, int) else None
    if partner is None:
        raise ValidationFailed(fields={"partner": [_("Choose one of this company's partners.")]})
    side = side or default_side(partner)
    _check_side(side)
    sign = 1 if side == "receivable" else -1
    lines = JournalEntryLine.objects.filter(company=company, partner=partner, is_posted=True,
                                            account_id__in=control_accounts(company, side))
    before = lines.filter(date__lt=date_from).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    balance = opening = sign * ((before["debit"] or ZERO) - (before["credit"] or ZERO))
    period = list(lines.filter(date__gte=date_from, date__lte=date_to).select_related("entry")
                  .order_by("date", "entry__number", "sequence", "pk"))
    dues = due_dates(company, {line.entry_id for line in period})
    rows, total_debit, total_credit = [], ZERO, ZERO
    for line in period:
        balance += sign * (line.debit - line.credit)
        total_debit += line.debit
        total_credit += line.credit
        due_on, invoice_number = dues.get(line.entry_id, (None, ""))
        rows.append({"id": line.pk, "date": line.date, "entry": line.entry_id, "number": line.entry.number,
                     "reference": line.entry.reference or invoice_number,
                     "description": line.description or line.entry.description, "due_on": due_on,
                     "debit": money(line.debit), "credit": money(line.credit), "balance": money(balance)})
    return PartnerStatement(company=company, partner=partner, side=side, date_from=date_from, date_to=date_to,
                            opening=money(opening), lines=rows, total_debit=money(total_debit),
                            total_credit=money(total_credit), closing=money(balance))


# --- VAT return -----------------------------------------------------------------------------------

@dataclass
class VatReturn:
    company: Company
    date_from: datetime.date
    date_to: datetime.date
    rows: list[dict]  # section (output/input), kind (account/tax/other), account, code, name, tax, rate, base, amount
    output_vat: Decimal
    input_vat: Decimal
    net: Decimal  # output − input: payable when positive, a credit carried forward when negative

    @property
    def payable(self) -> Decimal:
        return max(self.net, money(ZERO))

    @property
    def carried_forward(self) -> Decimal:
        return max(-self.net, money(ZERO))


# (section, account role, kind of its taxes, sign turning debit − credit into the section's amount)
SECTIONS = (("output", AccountRole.TAX_OUTPUT, TaxKind.SALES, -1),
            ("input", AccountRole.TAX_INPUT, TaxKind.PURCHASE, 1))


def invoice_taxes(company: Company, date_from: datetime.date, date_to: datetime.date) -> dict[int, dict]:
    """Per tax id: taxable base and tax in the company's currency, over the posted invoices whose entries
    fall in the dates (credit notes count negative), computed as invoices compute them."""
    per_tax: dict[int, dict] = {}
    entries = JournalEntry.objects.filter(company=company, state=EntryState.POSTED, date__gte=date_from,
                                          date__lte=date_to)
    invoices = (Invoice.objects.filter(Q(entry__in=entries) | Q(pk__in=source_invoices(company, entries).values()),
                                       company=company)
                .select_related("currency").prefetch_related("lines__taxes"))
    base_currency = company.base_currency
    for invoice in invoices:
        sign = -1 if invoice.kind in CREDIT_KINDS else 1
        lines = [(line.quantity * line.unit_price * (1 - line.discount / 100), list(line.taxes.all()))
                 for line in invoice.lines.all()]
        for item in document_taxes(lines, invoice.currency, invoice.tax_rounding).taxes:
            figures = per_tax.setdefault(item.tax.pk, {"base": ZERO, "amount": ZERO})
            figures["base"] += sign * currency_round(item.base * invoice.exchange_rate, base_currency)
            figures["amount"] += sign * currency_round(item.amount * invoice.exchange_rate, base_currency)
    return per_tax


def vat_return(company: Company, date_from: datetime.date, date_to: datetime.date, *, actor=None) -> VatReturn:
    """Output VAT less input VAT over the dates, per VAT account and, within it, per tax with its base."""
    _authorize(actor, company)
    check_dates(date_from, date_to)
    by_tax = invoice_taxes(company, date_from, date_to)
    rows, section_totals = [], {}
    for section, role, tax_kind, sign in SECTIONS:
        accounts = list(Account.objects.filter(company=company, role=role).order_by("code"))
        moves = {row["account"]: sign * ((row["debit"] or ZERO) - (row["credit"] or ZERO))
                 for row in JournalEntryLine.objects.filter(
                     company=company, account__in=accounts, is_posted=True, date__gte=date_from, date__lte=date_to)
                 .values("account").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by()}
        taxes = list(Tax.objects.filter(company=company, kind=tax_kind).order_by("-rate", "name"))
        total = ZERO
        for account in accounts:
            amount = moves.get(account.pk, ZERO)
            total += amount
            common = {"section": section, "account": account.pk, "code": account.code}
            rows.append({**common, "kind": "account", "name": account.name, "tax": None, "rate": None,
                         "base": None, "amount": money(amount)})
            explained = ZERO
            # A tax without its own account posts to the section's first account (the role's account).
            for tax in (tax for tax in taxes if tax.pk in by_tax and (
                    tax.account_id == account.pk or (tax.account_id is None and account == accounts[0]))):
                figures = by_tax[tax.pk]
                explained += figures["amount"]
                rows.append({**common, "kind": "tax", "name": tax.name, "tax": tax.pk, "rate": tax.rate,
                             "base": money(figures["base"]), "amount": money(figures["amount"])})
            if amount - explained and explained:
                rows.append({**common, "kind": "other", "name": _("Other entries"), "tax": None, "rate": None,
                             "base": None, "amount": money(amount - explained)})
        section_totals[section] = money(total)
    return VatReturn(company=company, date_from=date_from, date_to=date_to, rows=rows,
                     output_vat=section_totals["output"], input_vat=section_totals["input"],
                     net=money(section_totals["output"] - section_totals["input"]))

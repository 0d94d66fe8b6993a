"""Period-end revaluation of open foreign-currency balances: the unrealised exchange gain or loss.

What is revalued at the closing rate of `date` (core exchange rates; the latest rate on or before it):
- receivable and payable control accounts, per account, partner and currency: what the posted ledger
  holds on `date` in the currency (`amount_currency`) and in base currency. Within such a balance each
  foreign invoice or credit note open on `date` has its own line (its residual on `date`, carried at its
  own rate: residual x exchange_rate, as its postings carry it); what the balance holds beyond the open
  invoices (unallocated payments, i.e. prepayments, and anything else) is one more line without invoice.
  The lines of a balance always add up to the ledger's balance, so the control accounts end exactly at
  the closing rate on `date`, per partner;
- every other active account kept in a foreign currency (`Account.currency`: bank and cash accounts):
  the sum of its posted lines' `amount_currency` against its base-currency balance.
Every amount is signed as the ledger signs it (debit positive); revalued = amount x rate, rounded to the
cent; difference = revalued − carrying: above zero an unrealised gain (credit the `exchange_gain`
account), below zero a loss (debit `exchange_loss`).

The residual of an invoice on `date` is its total less what payments dated on or before `date` allocate
to it and what its credit notes dated on or before `date` settled of it (a later allocation of an older
payment's remainder counts at the payment's date; the balance's last line keeps the sum right anyway).

Posting: one entry in the general journal dated `date` (control lines carry their partner, and the
currency with amount_currency 0, since only the base amount changes), and its reversal dated the next day
(`reversal_of`), so that settlements keep realising against the documents' own rates: the books are at
the closing rate on `date` and back at the documents' rates from the next day. Both entries name the
revaluation in `source` (the reversal through its link). Cancelling posts, in the same periods, the
mirror of each: the revaluation entry is undone on `date` and its reversal on the next day.

The balances read leave out the revaluations' own entries: after its date a revaluation adds up to nothing,
and on its date it is what is being computed (a preview of a date already revalued shows what was posted).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import audit, events
from tessera.core.errors import Conflict, InvalidState, NotFound, ValidationFailed
from tessera.core.models import Company, Currency
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.currency import currency_rate, currency_round
from tessera.partners.models import Partner

from ..choices import (
    AccountRole,
    InvoiceState,
    JournalKind,
    PaymentState,
    RevaluationState,
)
from ..models import (
    Account,
    Invoice,
    Journal,
    JournalEntry,
    JournalEntryLine,
    PaymentAllocation,
    Revaluation,
    RevaluationLine,
)
from .invoices import base_amount, control_account, owed_sign, signed_lines
from .ledger import entry_post_new, reverse_locked
from .periods import lock_company, period_of
from .setup import account_by_role

SOURCE = "accounting.revaluation:"  # JournalEntry.source of a revaluation's entries
CONTROL_ROLES = (AccountRole.RECEIVABLE, AccountRole.PAYABLE)
ONE_DAY = datetime.timedelta(days=1)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class RevaluationExists(Conflict):
    code = "revaluation_exists"
    default_message = gettext_lazy("There is a revaluation on this date already.")


class NothingToRevalue(Conflict):
    code = "nothing_to_revalue"
    default_message = gettext_lazy("No open foreign-currency balance differs from its value at the closing rate.")


@dataclass
class RevaluationItem:
    """One balance revalued (what a RevaluationLine records): an account, with its partner on control
    accounts, and the invoice it is when it is one."""

    account: Account
    partner: Partner | None
    invoice: Invoice | None
    currency: Currency
    amount_currency: Decimal
    carrying_amount: Decimal
    rate: Decimal
    revalued_amount: Decimal
    difference: Decimal


@dataclass
class RevaluationPreview:
    """What a revaluation on `date` posts: its lines, the closing rates used and the totals."""

    company: Company
    date: datetime.date
    lines: list[RevaluationItem]
    rates: dict[str, Decimal] = field(default_factory=dict)  # currency code -> closing rate

    @property
    def total_gain(self) -> Decimal:
        return sum((line.difference for line in self.lines if line.difference > 0), ZERO)

    @property
    def total_loss(self) -> Decimal:
        return -sum((line.difference for line in self.lines if line.difference < 0), ZERO)

    @property
    def net(self) -> Decimal:
        return self.total_gain - self.total_loss

    @property
    def total_carrying(self) -> Decimal:
        return sum((line.carrying_amount for line in self.lines), ZERO)

    @property
    def total_revalued(self) -> Decimal:
        return sum((line.revalued_amount for line in self.lines), ZERO)

    @property
    def postable(self) -> list[RevaluationItem]:
        return [line for line in self.lines if line.difference]


def _cents(value) -> Decimal:
    # Database sums: SQLite adds decimals as floats, so they are brought back to the cent.
    return Decimal(value or 0).quantize(CENT)


class _Rates:
    """Closing rates of `day`, looked up once per currency; a missing one is a 400 naming it."""

    def __init__(self, company: Company, day: datetime.date):
        self.company, self.day, self.found = company, day, {}

    def __call__(self, currency: Currency) -> Decimal:
        if currency.pk not in self.found:
            try:
                self.found[currency.pk] = (currency, currency_rate(currency=currency,
                                                                   quote=self.company.base_currency, on=self.day))
            except NotFound as error:
                message = _("No closing rate for %(currency)s on %(date)s: %(reason)s") % {
                    "currency": currency.code, "date": self.day.isoformat(), "reason": error.message}
                raise ValidationFailed(message, fields={"date": [message]}) from None
        return self.found[currency.pk][1]

    def by_code(self) -> dict[str, Decimal]:
        return {currency.code: rate for currency, rate in sorted(self.found.values(), key=lambda pair: pair[0].code)}


def _item(rates: _Rates, company: Company, *, account, partner, invoice, currency, amount, carrying) -> RevaluationItem:
    rate = rates(currency)
    revalued = currency_round(amount * rate, company.base_currency)
    return RevaluationItem(account=account, partner=partner, invoice=invoice, currency=currency,
                           amount_currency=amount, carrying_amount=carrying, rate=rate, revalued_amount=revalued,
                           difference=revalued - carrying)


# --- What is open on the date -----------------------------------------------------------------

def _candidate_invoices(company: Company, day: datetime.date) -> list[int]:
    """Ids of the foreign invoices and credit notes that may be open on `day`: posted on or before it and
    open now, or settled since by a payment or credit note dated after it."""
    settled_later = (Q(allocations__payment__state=PaymentState.POSTED, allocations__payment__date__gt=day)
                     | Q(credit_notes__entry__isnull=False, credit_notes__date__gt=day))
    return sorted(set(
        Invoice.objects.filter(company=company, entry__isnull=False, date__lte=day)
        .exclude(currency=company.base_currency_id)
        .filter(Q(state__in=[InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID]) | settled_later)
        .values_list("pk", flat=True)
    ))


def _settled_on(company: Company, invoices: list[Invoice], day: datetime.date) -> dict[int, Decimal]:
    """What of each invoice was settled on `day`: allocations of posted payments dated on or before it,
    and what credit notes dated on or before it settled (a credit note settles its invoice when posted,
    by its amount_paid beyond its own allocations)."""
    pks = [invoice.pk for invoice in invoices]
    credits = list(Invoice.objects.filter(company=company, credit_note_of__in=pks, entry__isnull=False)
                   .values("pk", "credit_note_of", "date", "amount_paid"))
    wanted = set(pks) | {credit["pk"] for credit in credits}
    allocated_by_day: dict[int, Decimal] = defaultdict(lambda: ZERO)
    allocated: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice_pk, amount, paid_on in PaymentAllocation.objects.filter(
            company=company, invoice__in=wanted, payment__state=PaymentState.POSTED).values_list(
            "invoice", "amount", "payment__date"):
        allocated[invoice_pk] += amount
        if paid_on <= day:
            allocated_by_day[invoice_pk] += amount
    settled = {pk: allocated_by_day[pk] for pk in pks}
    for credit in credits:
        if credit["date"] <= day:
            settled[credit["credit_note_of"]] += credit["amount_paid"] - allocated[credit["pk"]]
    for invoice in invoices:
        if invoice.credit_note_of_id:  # dated on or before `day`: what it settled of its invoice counts
            settled[invoice.pk] += invoice.amount_paid - allocated[invoice.pk]
    return settled


def _control_accounts_of(company: Company, invoices: list[Invoice]) -> dict[int, int]:
    """Invoice id -> the control account its entry posted to (the role's account if none is found)."""
    by_entry = {}
    for entry_pk, account_pk in (JournalEntryLine.objects.filter(
            company=company, entry__in=[invoice.entry_id for invoice in invoices], account__role__in=CONTROL_ROLES)
            .order_by("sequence", "pk").values_list("entry_id", "account_id")):
        by_entry.setdefault(entry_pk, account_pk)
    return {invoice.pk: by_entry.get(invoice.entry_id) or control_account(company, invoice.kind).pk
            for invoice in invoices}


def _ledger_lines(company: Company, day: datetime.date, excluded: set[int]):
    """Posted lines dated on or before `day`, without those of the `excluded` entries: the revaluations'.
    A revaluation and its reversal (or its cancelling entries) add up to nothing after its date, and on its
    date it is what is computed here."""
    return JournalEntryLine.objects.filter(company=company, is_posted=True, date__lte=day).exclude(
        entry_id__in=excluded)


def _control_balances(company: Company, day: datetime.date, excluded: set[int]) -> dict[tuple, list[Decimal]]:
    """(account, partner, currency) -> [amount in currency, base amount] of the posted control-account
    lines in a foreign currency dated on or before `day`."""
    rows = (_ledger_lines(company, day, excluded).filter(account__role__in=CONTROL_ROLES, currency__isnull=False,
                                               partner__isnull=False)
            .exclude(currency=company.base_currency_id)
            .values("account", "partner", "currency")
            .annotate(amount=Sum("amount_currency"), debit=Sum("debit"), credit=Sum("credit")).order_by())
    return {(row["account"], row["partner"], row["currency"]):
            [_cents(row["amount"]), _cents(row["debit"]) - _cents(row["credit"])] for row in rows}


def _control_items(company: Company, day: datetime.date, rates: _Rates, invoices: list[Invoice],
                   excluded: set[int]) -> list:
    balances = _control_balances(company, day, excluded)
    settled = _settled_on(company, invoices, day)
    accounts_of = _control_accounts_of(company, invoices)
    per_balance: dict[tuple, list[tuple[Invoice, Decimal, Decimal]]] = defaultdict(list)
    for invoice in invoices:
        residual = invoice.total - settled[invoice.pk]
        if residual <= 0:
            continue
        sign = owed_sign(invoice.kind)
        per_balance[(accounts_of[invoice.pk], invoice.partner_id, invoice.currency_id)].append(
            (invoice, sign * residual, sign * base_amount(residual, invoice.exchange_rate, company)))
    keys = set(balances) | set(per_balance)
    accounts = Account.objects.in_bulk({key[0] for key in keys})
    partners = Partner.objects.in_bulk({key[1] for key in keys})
    currencies = Currency.objects.in_bulk({key[2] for key in keys})
    items = []
    for key in sorted(keys, key=lambda key: (accounts[key[0]].code, partners[key[1]].code, partners[key[1]].pk,
                                             currencies[key[2]].code)):
        account, partner, currency = accounts[key[0]], partners[key[1]], currencies[key[2]]
        amount, carrying = balances.get(key, [ZERO, ZERO])
        for invoice, open_amount, invoice_carrying in sorted(per_balance[key],
                                                             key=lambda row: (row[0].date, row[0].pk)):
            items.append(_item(rates, company, account=account, partner=partner, invoice=invoice, currency=currency,
                               amount=open_amount, carrying=invoice_carrying))
            amount -= open_amount
            carrying -= invoice_carrying
        if amount or carrying:  # prepayments and whatever else the balance holds
            items.append(_item(rates, company, account=account, partner=partner, invoice=None, currency=currency,
                               amount=amount, carrying=carrying))
    return items


def _account_items(company: Company, day: datetime.date, rates: _Rates, excluded: set[int]) -> list:
    """Active accounts kept in a foreign currency (bank, cash...), other than the control accounts."""
    items = []
    accounts = (Account.objects.filter(company=company, is_active=True, currency__isnull=False)
                .exclude(currency=company.base_currency_id).exclude(role__in=CONTROL_ROLES)
                .select_related("currency").order_by("code"))
    for account in accounts:
        sums = _ledger_lines(company, day, excluded).filter(account=account).aggregate(
            amount=Sum("amount_currency", filter=Q(currency=account.currency_id)), debit=Sum("debit"),
            credit=Sum("credit"))
        amount, carrying = _cents(sums["amount"]), _cents(sums["debit"]) - _cents(sums["credit"])
        if amount or carrying:
            items.append(_item(rates, company, account=account, partner=None, invoice=None,
                               currency=account.currency, amount=amount, carrying=carrying))
    return items


def _preview(company: Company, day: datetime.date, invoices: list[Invoice]) -> RevaluationPreview:
    rates, excluded = _Rates(company, day), revaluation_entry_ids(company)
    lines = _control_items(company, day, rates, invoices, excluded) + _account_items(company, day, rates, excluded)
    return RevaluationPreview(company=company, date=day, lines=lines, rates=rates.by_code())


def _check_date(day) -> None:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise ValidationFailed(fields={"date": [_("Enter a date as YYYY-MM-DD.")]})


def revaluation_preview(*, company: Company, date: datetime.date, actor=None) -> RevaluationPreview:
    """The lines a revaluation on `date` would post (see the module docstring); writes nothing.

    With `actor`, checks accounting.view_revaluation. Raises ValidationFailed (field `date`) for a bad
    date or a currency without a rate on or before it.
    """
    if actor is not None:
        require(actor, "accounting.view_revaluation", company)
    _check_date(date)
    invoices = list(Invoice.objects.filter(pk__in=_candidate_invoices(company, date)).order_by("pk"))
    return _preview(company, date, invoices)


# --- Posting --------------------------------------------------------------------------------------

def _general_journal(company: Company) -> Journal:
    journal = Journal.objects.filter(company=company, kind=JournalKind.GENERAL, is_active=True).order_by("code").first()
    if journal is None:
        raise ValidationFailed(_("Company %(company)s has no active general journal for the revaluation entry.")
                               % {"company": company.code}, fields={"journal": [_("Create a general journal.")]})
    return journal


def _label(item: RevaluationItem) -> str:
    if item.invoice is not None:
        what = item.invoice.number
    elif item.partner is not None:
        what = _("%(partner)s, prepayments and other items") % {"partner": item.partner.code}
    else:
        what = item.account.code
    return (_("Revaluation of %(what)s: %(currency)s %(amount)s at %(rate)s")
            % {"what": what, "currency": item.currency.code, "amount": item.amount_currency,
               "rate": item.rate.normalize()})[:255]


def _entry_rows(company: Company, preview: RevaluationPreview) -> list[dict]:
    rows = [{"account": item.account, "partner": item.partner, "amount": item.difference, "description": _label(item),
             "currency": item.currency, "amount_currency": ZERO} for item in preview.postable]
    if preview.total_gain:
        rows.append({"account": account_by_role(company, AccountRole.EXCHANGE_GAIN), "partner": None,
                     "amount": -preview.total_gain, "description": _("Unrealised exchange gain")})
    if preview.total_loss:
        rows.append({"account": account_by_role(company, AccountRole.EXCHANGE_LOSS), "partner": None,
                     "amount": preview.total_loss, "description": _("Unrealised exchange loss")})
    return signed_lines(rows)


def _lock_entries(*entries: JournalEntry) -> list[JournalEntry]:
    locked = {entry.pk: entry for entry in JournalEntry.objects.select_for_update(of=("self",))
              .select_related("company", "journal").filter(pk__in=[entry.pk for entry in entries]).order_by("pk")}
    return [locked[entry.pk] for entry in entries]


def revaluation_post(*, actor, company: Company, date: datetime.date) -> Revaluation:
    """Revalue the open foreign-currency balances at the closing rate of `date`: post the entry dated
    `date` and its reversal dated the next day, and record the revaluation with its lines (all of them,
    also those without a difference); audit transition and `accounting.revaluation.posted` event.

    Raises PermissionDenied (accounting.post_revaluation), ValidationFailed (bad date, no closing rate,
    no exchange gain/loss account or general journal), RevaluationExists (409 `revaluation_exists`),
    PeriodClosed (409 `period_closed`, for `date` or the next day), NothingToRevalue (409
    `nothing_to_revalue`). Nothing is written on failure.
    """
    require(actor, "accounting.post_revaluation", company)
    _check_date(date)
    with transaction.atomic():
        company = lock_company(company)  # serialises postings: nothing moves the balances read below
        # A cancelled revaluation leaves its date free: the books are as if it had never been posted.
        if Revaluation.objects.filter(company=company, date=date, state=RevaluationState.POSTED).exists():
            raise RevaluationExists(_("There is a revaluation on %(date)s already.") % {"date": date.isoformat()})
        period_of(company, date)
        period_of(company, date + ONE_DAY)
        invoices = list(Invoice.objects.select_for_update(of=("self",))
                        .filter(pk__in=_candidate_invoices(company, date)).order_by("pk"))
        preview = _preview(company, date, invoices)
        if not preview.postable:
            raise NothingToRevalue(_("Nothing to revalue on %(date)s: no open foreign-currency balance differs "
                                     "from its value at the closing rate.") % {"date": date.isoformat()})
        journal = _general_journal(company)
        revaluation = Revaluation(company=company, date=date, total_gain=preview.total_gain,
                                  total_loss=preview.total_loss,
                                  created_by=actor if getattr(actor, "is_authenticated", False) else None)
        validate(revaluation)
        revaluation.save()
        entry = entry_post_new(
            actor=actor, company=company, journal=journal, date=date, lines=_entry_rows(company, preview),
            description=_("Exchange revaluation on %(date)s") % {"date": date.isoformat()},
            source=f"{SOURCE}{revaluation.pk}",
        )
        entry = _lock_entries(entry)[0]
        reversal = reverse_locked(entry, actor, date=date + ONE_DAY, description=_(
            "Reversal of the exchange revaluation on %(date)s") % {"date": date.isoformat()})
        for item in preview.lines:
            RevaluationLine.objects.create(
                company=company, revaluation=revaluation, account=item.account, partner=item.partner,
                invoice=item.invoice, currency=item.currency, amount_currency=item.amount_currency,
                carrying_amount=item.carrying_amount, rate=item.rate, revalued_amount=item.revalued_amount,
                difference=item.difference)
        revaluation.entry, revaluation.reversal_entry = entry, reversal
        revaluation.save(update_fields=["entry", "reversal_entry"])
        audit.record_transition(revaluation, from_state="", to_state=RevaluationState.POSTED)
        events.emit("accounting.revaluation.posted", company=company, obj=revaluation, payload={
            "date": date.isoformat(), "entry": entry.number, "reversal": reversal.number,
            "total_gain": str(preview.total_gain), "total_loss": str(preview.total_loss)})
    return revaluation


def _mirror_lines(entry: JournalEntry) -> list[dict]:
    return [{"account": line.account_id, "partner": line.partner_id, "description": line.description,
             "debit": line.credit, "credit": line.debit, "currency": line.currency_id,
             "amount_currency": -line.amount_currency if line.amount_currency is not None else None}
            for line in entry.lines.order_by("sequence", "pk")]


def revaluation_cancel(*, actor, revaluation: Revaluation) -> Revaluation:
    """Undo a posted revaluation while the period of its date is open: an entry dated the revaluation's
    date mirrors its entry, and the reversal dated the next day is reversed in turn, so the books are as
    if it had never been posted (posted entries are never deleted). The revaluation becomes `reversed`
    and keeps its date (unique per company).

    Raises PermissionDenied (accounting.post_revaluation), InvalidState (reversed already), PeriodClosed
    (409 `period_closed`, for the date or the next day).
    """
    require(actor, "accounting.post_revaluation", revaluation.company)
    with transaction.atomic():
        company = lock_company(revaluation.company)
        revaluation = Revaluation.objects.select_for_update(of=("self",)).get(pk=revaluation.pk)
        if revaluation.state != RevaluationState.POSTED:
            raise InvalidState(_("The revaluation on %(date)s is reversed already.")
                               % {"date": revaluation.date.isoformat()})
        period_of(company, revaluation.date)
        entry, reversal = _lock_entries(revaluation.entry, revaluation.reversal_entry)
        label = revaluation.date.isoformat()
        entry_post_new(actor=actor, company=company, journal=entry.journal, date=entry.date,
                       lines=_mirror_lines(entry), reference=entry.number or "", source=f"{SOURCE}{revaluation.pk}",
                       description=_("Cancellation of the exchange revaluation on %(date)s") % {"date": label})
        reverse_locked(reversal, actor, date=reversal.date,
                       description=_("Cancellation of the reversal of the exchange revaluation on %(date)s")
                       % {"date": label})
        revaluation.state = RevaluationState.REVERSED
        revaluation.save(update_fields=["state"])
        audit.record_transition(revaluation, from_state=RevaluationState.POSTED, to_state=RevaluationState.REVERSED)
        events.emit("accounting.revaluation.cancelled", company=company, obj=revaluation,
                    payload={"date": label, "entry": entry.number, "reversal": reversal.number})
    return revaluation


def revaluation_entry_ids(company: Company) -> set[int]:
    """Ids of every entry a revaluation posted: its entry, its reversal, and the cancelling entries."""
    reversals = set(Revaluation.objects.filter(company=company, reversal_entry__isnull=False)
                    .values_list("reversal_entry", flat=True))
    sourced = set(JournalEntry.objects.filter(company=company, source__startswith=SOURCE).values_list("pk", flat=True))
    undone = set(JournalEntry.objects.filter(company=company, reversal_of__in=reversals).values_list("pk", flat=True))
    return sourced | reversals | undone


def revaluation_aging(company: Company, accounts: list[int], as_of: datetime.date) -> dict:
    """For aged balances: partner id -> [(due date, difference)] of the revaluations standing on `as_of`
    (posted, dated on or before it, reversed after it) on `accounts`. A difference is aged as the invoice
    it revalues (its due date), other items by the revaluation's date. The aging leaves the lines of
    `revaluation_entry_ids` out and adds these instead, so the first-in-first-out matching of items and
    settlements never pairs a revaluation's reversal with an invoice."""
    standing = Revaluation.objects.filter(company=company, state=RevaluationState.POSTED, date__lte=as_of,
                                          reversal_entry__date__gt=as_of)
    found: dict = defaultdict(list)
    for partner, due_on, day, difference in (
            RevaluationLine.objects.filter(revaluation__in=standing, account__in=accounts, partner__isnull=False)
            .exclude(difference=0).values_list("partner", "invoice__due_on", "revaluation__date", "difference")):
        found[partner].append((due_on or day, difference))
    return found

"""Year-end close and reopen: carry the year's profit or loss to retained earnings (本年利润 → 利润分配).

The rule, in the Chinese practice:
- Years close in order: every earlier fiscal year of the company is closed first.
- Every period of the year but the last is closed; the last is open, because the closing entry is
  posted in it; no draft entry is dated in the year (it could never be posted afterwards).
- One closing entry, dated the year's last day, in the company's general journal, with two legs:
  1. each income and expense account's balance over the year is closed to the `current_profit`
     account (本年利润): the account is debited or credited by its balance, 本年利润 takes the total;
  2. the year's resulting balance of 本年利润 (including anything posted to it by hand during the
     year, as companies closing monthly do) is carried to the `retained_earnings` account (利润分配).
  After it every income, expense and 本年利润 account has a zero balance for the year. A year with
  nothing to carry closes without an entry.
- Then the last period and the year are closed; FiscalYear.closing_entry names the entry.
Reopening (latest closed year first) reopens the year and its last period and posts the reversal
of the closing entry on the same day; the other periods stay closed until reopened one by one.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tessera.core import events
from tessera.core.errors import InvalidState
from tessera.core.permissions import require

from ..choices import PROFIT_AND_LOSS, AccountRole, EntryState, JournalKind, PeriodState
from ..models import Account, AccountBalance, FiscalYear, Journal, JournalEntry, Period
from .ledger import entry_post_new, reverse_locked
from .periods import lock_company, transition

ZERO = Decimal("0")


def _role_account(company, role: AccountRole) -> Account:
    accounts = list(Account.objects.filter(company=company, role=role, is_active=True, children__isnull=True)[:2])
    if len(accounts) != 1:
        raise InvalidState(_("Mark exactly one active leaf account with the role “%(role)s” to close the year.")
                           % {"role": role.label})
    return accounts[0]


def _general_journal(company) -> Journal:
    journal = Journal.objects.filter(company=company, kind=JournalKind.GENERAL, is_active=True).order_by("code").first()
    if journal is None:
        raise InvalidState(_("Create an active general journal: the closing entry is written in it."))
    return journal


def _side(account: Account, credit_balance: Decimal, description: str) -> dict:
    # The line that brings an account with this credit balance to zero.
    if credit_balance > 0:
        return {"account": account.pk, "debit": credit_balance, "description": description}
    return {"account": account.pk, "credit": -credit_balance, "description": description}


def _closing_lines(company, periods: list[Period], current_profit: Account, retained: Account) -> list[dict]:
    """The lines of the closing entry (possibly none); see the module docstring."""
    sums = list(AccountBalance.objects.filter(company=company, period__in=periods)
                .values("account").annotate(debit=Sum("debit"), credit=Sum("credit")))
    pnl = Account.objects.filter(company=company, type__in=PROFIT_AND_LOSS).in_bulk()
    description = _("Year-end close: profit and loss to %(account)s") % {"account": current_profit}
    lines, profit = [], ZERO
    for row in sorted(sums, key=lambda row: pnl[row["account"]].code if row["account"] in pnl else ""):
        account = pnl.get(row["account"])
        credit_balance = row["credit"] - row["debit"]
        if account is None or not credit_balance:
            continue
        lines.append(_side(account, credit_balance, description))
        profit += credit_balance
    if profit:
        lines.append(_side(current_profit, -profit, description))
    profit_balance = profit + next(
        (row["credit"] - row["debit"] for row in sums if row["account"] == current_profit.pk), ZERO
    )
    if profit_balance:
        carry = _("Year-end close: %(from)s to %(to)s") % {"from": current_profit, "to": retained}
        lines.append(_side(current_profit, profit_balance, carry))
        lines.append(_side(retained, -profit_balance, carry))
    return lines


def _check_closable(fiscal_year: FiscalYear, periods: list[Period]) -> None:
    if fiscal_year.state != PeriodState.OPEN:
        raise InvalidState(_("Fiscal year %(name)s is closed already.") % {"name": fiscal_year.name})
    earlier = (FiscalYear.objects.filter(company=fiscal_year.company, start_on__lt=fiscal_year.start_on,
                                         state=PeriodState.OPEN).order_by("start_on").first())
    if earlier is not None:
        raise InvalidState(_("Close fiscal year %(name)s first: years close in order.") % {"name": earlier.name})
    if not periods:
        raise InvalidState(_("Fiscal year %(name)s has no periods.") % {"name": fiscal_year.name})
    still_open = [period.name for period in periods[:-1] if period.state == PeriodState.OPEN]
    if still_open:
        raise InvalidState(_("Close the periods %(names)s first: only the last period stays open, for the closing "
                             "entry.") % {"names": ", ".join(still_open)})
    if periods[-1].state != PeriodState.OPEN:
        raise InvalidState(_("Reopen period %(name)s: the closing entry is posted in it.") % {"name": periods[-1].name})
    drafts = JournalEntry.objects.filter(company=fiscal_year.company, state=EntryState.DRAFT,
                                         date__gte=fiscal_year.start_on, date__lte=fiscal_year.end_on).count()
    if drafts:
        raise InvalidState(ngettext("%(count)d draft entry is dated in this year: post or delete it first.",
                                    "%(count)d draft entries are dated in this year: post or delete them first.",
                                    drafts) % {"count": drafts})


def fiscal_year_close(*, actor, fiscal_year: FiscalYear, journal: Journal | None = None) -> FiscalYear:
    """Close a fiscal year: post the closing entry (in `journal`, default the first general journal),
    close its last period and the year, and set `closing_entry`.

    Raises PermissionDenied (accounting.close_fiscalyear), InvalidState (409) when the rule in the
    module docstring is not met; nothing is written on failure.
    """
    require(actor, "accounting.close_fiscalyear", fiscal_year.company)
    with transaction.atomic():
        company = lock_company(fiscal_year.company)
        fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
        periods = list(Period.objects.select_for_update().filter(fiscal_year=fiscal_year).order_by("start_on"))
        _check_closable(fiscal_year, periods)
        current_profit = _role_account(company, AccountRole.CURRENT_PROFIT)
        retained = _role_account(company, AccountRole.RETAINED_EARNINGS)
        lines = _closing_lines(company, periods, current_profit, retained)
        entry = None
        if lines:
            entry = entry_post_new(
                actor=actor, company=company, journal=journal or _general_journal(company), date=fiscal_year.end_on,
                lines=lines, description=_("Year-end close %(name)s") % {"name": fiscal_year.name},
                source=f"accounting.fiscalyear:{fiscal_year.pk}",
            )
        transition(periods[-1], "close")
        events.emit("accounting.period.closed", company=company, obj=periods[-1], payload={"name": periods[-1].name})
        transition(fiscal_year, "close")
        fiscal_year.closing_entry = entry
        fiscal_year.save(update_fields=["closing_entry"])
        events.emit("accounting.fiscal_year.closed", company=company, obj=fiscal_year,
                    payload={"name": fiscal_year.name, "closing_entry": entry.number if entry else None})
    return fiscal_year


def fiscal_year_reopen(*, actor, fiscal_year: FiscalYear) -> FiscalYear:
    """Reopen a closed fiscal year (the latest closed one first): reopen it and its last period, and
    post the reversal of its closing entry dated the year's last day.

    Raises PermissionDenied (accounting.reopen_fiscalyear), InvalidState (409).
    """
    require(actor, "accounting.reopen_fiscalyear", fiscal_year.company)
    with transaction.atomic():
        company = lock_company(fiscal_year.company)
        fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
        later = (FiscalYear.objects.filter(company=company, start_on__gt=fiscal_year.start_on,
                                           state=PeriodState.CLOSED).order_by("-start_on").first())
        if fiscal_year.state == PeriodState.CLOSED and later is not None:
            raise InvalidState(_("Reopen fiscal year %(name)s first: years reopen in reverse order.")
                               % {"name": later.name})
        transition(fiscal_year, "reopen")
        last = Period.objects.select_for_update().filter(fiscal_year=fiscal_year).order_by("-start_on").first()
        if last is not None and last.state == PeriodState.CLOSED:
            transition(last, "reopen")
            events.emit("accounting.period.reopened", company=company, obj=last, payload={"name": last.name})
        reversal = None
        if fiscal_year.closing_entry_id:
            closing = (JournalEntry.objects.select_for_update(of=("self",)).select_related("company", "journal")
                       .get(pk=fiscal_year.closing_entry_id))
            reversal = reverse_locked(closing, actor, date=fiscal_year.end_on,
                                      description=_("Reopening of fiscal year %(name)s") % {"name": fiscal_year.name})
            fiscal_year.closing_entry = None
            fiscal_year.save(update_fields=["closing_entry"])
        events.emit("accounting.fiscal_year.reopened", company=company, obj=fiscal_year,
                    payload={"name": fiscal_year.name, "reversal": reversal.number if reversal else None})
    return fiscal_year

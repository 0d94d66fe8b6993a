"""Fiscal years and their monthly periods: create, find the open period of a date, close, reopen.

Locking: every service that posts or moves a period or a year first locks the company row
(`lock_company`), then the year, the periods and the entries. One order everywhere, so two of
them never wait on each other; and a period cannot close between a posting's check and its commit.
"""

import calendar
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require

from ..choices import PERIOD_TRANSITIONS, PeriodState
from ..models import FiscalYear, Period
from .errors import PeriodClosed


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    return datetime.date(day.year + month_index // 12, month_index % 12 + 1, 1)


def lock_company(company: Company) -> Company:
    """Lock the company row until the transaction ends: it serialises postings and period moves."""
    return Company.objects.select_for_update().get(pk=company.pk)


def fiscal_year_create(*, actor, company: Company, year: int) -> FiscalYear:
    """Open fiscal year `year` (starting in the company's start month) with its twelve monthly periods.

    Raises ValidationFailed when that year exists already.
    """
    require(actor, "accounting.add_fiscalyear", company)
    start = datetime.date(year, company.fiscal_year_start_month, 1)
    end = _add_months(start, 12) - datetime.timedelta(days=1)
    name = str(year) if company.fiscal_year_start_month == 1 else f"{year}/{(year + 1) % 100:02d}"
    with transaction.atomic():
        lock_company(company)  # two requests creating the same year: the second sees the first
        if FiscalYear.objects.filter(company=company, start_on__lte=end, end_on__gte=start).exists():
            raise ValidationFailed(fields={"year": [_("Fiscal year %(name)s exists already.") % {"name": name}]})
        fiscal_year = FiscalYear.objects.create(company=company, name=name, start_on=start, end_on=end)
        Period.objects.bulk_create([
            Period(
                company=company, fiscal_year=fiscal_year,
                name=f"{month_start.year:04d}-{month_start.month:02d}",
                start_on=month_start,
                end_on=month_start.replace(day=calendar.monthrange(month_start.year, month_start.month)[1]),
            )
            for month_start in (_add_months(start, offset) for offset in range(12))
        ])
        events.emit("accounting.fiscal_year.created", company=company, obj=fiscal_year, payload={"name": name})
    return fiscal_year


def period_of(company: Company, day: datetime.date, *, lock: bool = False) -> Period:
    """The open period containing `day`. Raises PeriodClosed when it is closed or does not exist."""
    periods = Period.objects.filter(company=company, start_on__lte=day, end_on__gte=day).select_related("fiscal_year")
    if lock:
        periods = periods.select_for_update(of=("self",))
    period = periods.first()
    if period is None:
        raise PeriodClosed(_("There is no accounting period for %(date)s: open its fiscal year first.")
                           % {"date": day.isoformat()})
    if period.state != PeriodState.OPEN:
        raise PeriodClosed(_("Period %(name)s is closed.") % {"name": period.name})
    if period.fiscal_year.state != PeriodState.OPEN:
        raise PeriodClosed(_("Fiscal year %(name)s is closed.") % {"name": period.fiscal_year.name})
    return period


def transition(period_or_year, action: str) -> None:
    """Move a locked period or fiscal year (`close` or `reopen`), refusing a move its state forbids,
    and write the audit transition (the one history entry of the move)."""
    sources, target = PERIOD_TRANSITIONS[action]
    if period_or_year.state not in sources:
        if action == "close":
            raise InvalidState(_("%(name)s is closed already.") % {"name": period_or_year.name})
        raise InvalidState(_("%(name)s is open: only a closed one can be reopened.") % {"name": period_or_year.name})
    before = period_or_year.state
    period_or_year.state = target
    type(period_or_year).objects.filter(pk=period_or_year.pk).update(state=target)
    audit.record_transition(period_or_year, from_state=before, to_state=target)


def period_close(*, actor, period: Period) -> Period:
    """Close a period: nothing can be posted into it until it is reopened."""
    require(actor, "accounting.close_period", period.company)
    with transaction.atomic():
        lock_company(period.company)
        period = Period.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=period.pk)
        transition(period, "close")
        events.emit("accounting.period.closed", company=period.company, obj=period, payload={"name": period.name})
    return period


def period_reopen(*, actor, period: Period) -> Period:
    """Reopen a closed period of a fiscal year that is still open."""
    require(actor, "accounting.reopen_period", period.company)
    with transaction.atomic():
        lock_company(period.company)
        period = Period.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=period.pk)
        if period.fiscal_year.state != PeriodState.OPEN:
            raise InvalidState(_("Fiscal year %(name)s is closed: reopen it first.")
                               % {"name": period.fiscal_year.name})
        transition(period, "reopen")
        events.emit("accounting.period.reopened", company=period.company, obj=period, payload={"name": period.name})
    return period

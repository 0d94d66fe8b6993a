"""Fiscal years and periods: creation, close and reopen with their permissions and forbidden moves."""

import datetime

import pytest

from tessera.accounting.models import FiscalYear, Period
from tessera.accounting.services.errors import PeriodClosed
from tessera.accounting.services.periods import fiscal_year_create, period_close, period_of, period_reopen
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry, DomainEvent

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def march(ledger):
    return Period.objects.get(company=ledger.company, name="2026-03")


def test_a_fiscal_year_has_twelve_monthly_periods(ledger):
    year = FiscalYear.objects.get(company=ledger.company, name="2026")

    assert [(p.name, p.start_on, p.end_on) for p in year.periods.order_by("start_on")][1] == (
        "2026-02", D(2026, 2, 1), D(2026, 2, 28))
    assert year.periods.count() == 12 and (year.start_on, year.end_on) == (D(2026, 1, 1), D(2026, 12, 31))


def test_a_year_is_created_once(ledger, accountant):
    with pytest.raises(ValidationFailed) as error:
        fiscal_year_create(actor=accountant, company=ledger.company, year=2026)

    assert error.value.fields == {"year": ["Fiscal year 2026 exists already."]}
    assert FiscalYear.objects.filter(company=ledger.company).count() == 3


def test_closing_a_period_refuses_its_dates(ledger, accountant, march):
    period_close(actor=accountant, period=march)

    assert Period.objects.get(pk=march.pk).state == "closed"
    with pytest.raises(PeriodClosed):
        period_of(ledger.company, D(2026, 3, 31))
    assert AuditEntry.objects.get(object_id=str(march.pk), action="transition").changes == {
        "state": ["open", "closed"]}
    assert DomainEvent.objects.filter(name="accounting.period.closed", object_id=str(march.pk)).exists()


def test_a_closed_period_is_not_closed_again(ledger, accountant, march):
    period_close(actor=accountant, period=march)

    with pytest.raises(InvalidState) as error:
        period_close(actor=accountant, period=march)

    assert str(error.value.message) == "2026-03 is closed already."


def test_reopening_a_period_accepts_postings_again(ledger, accountant, march):
    period_close(actor=accountant, period=march)

    period_reopen(actor=accountant, period=march)

    assert period_of(ledger.company, D(2026, 3, 31)) == march


def test_an_open_period_is_not_reopened(ledger, accountant, march):
    with pytest.raises(InvalidState) as error:
        period_reopen(actor=accountant, period=march)

    assert str(error.value.message) == "2026-03 is open: only a closed one can be reopened."


def test_an_accountant_may_not_close_periods(ledger, make_user, march):
    with pytest.raises(PermissionDenied) as error:
        period_close(actor=make_user("accountant", username="bookkeeper"), period=march)

    assert "accounting.close_period" in str(error.value.message)
    assert Period.objects.get(pk=march.pk).state == "open"


def test_an_accountant_may_not_reopen_periods(ledger, make_user, accountant, march):
    period_close(actor=accountant, period=march)

    with pytest.raises(PermissionDenied):
        period_reopen(actor=make_user("accountant", username="bookkeeper"), period=march)

    assert Period.objects.get(pk=march.pk).state == "closed"


def test_a_user_of_another_company_may_not_close_its_periods(ledger, make_user, other_company, march):
    outsider = make_user("accounting_manager", username="outsider", companies=[other_company])

    with pytest.raises(PermissionDenied) as error:
        period_close(actor=outsider, period=march)

    assert str(error.value.message) == "You may not work in company ACME."

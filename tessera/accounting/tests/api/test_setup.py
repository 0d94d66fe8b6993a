"""Ledger set-up through the API: accounts, journals, taxes, cost centres, fiscal years and periods."""

import pytest

from tessera.accounting.models import Account, FiscalYear, Journal, JournalEntry, Period, Tax
from tessera.accounting.services.ledger import entry_create, entry_post
from tessera.accounting.services.periods import period_close
from tessera.accounting.tests.factories import AccountFactory
from tessera.partners.models import Partner
from tessera.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/accounting/accounts/"
PERIODS = "/api/v1/accounting/periods/"
YEARS = "/api/v1/accounting/fiscal-years/"


def _post_on(ledger, accountant, account, *, partner=None, post=True):
    lines = [{"account": account, "debit": "10.00", "partner": partner},
             {"account": ledger.revenue, "credit": "10.00"}]
    entry = entry_create(actor=accountant, company=ledger.company,
                         data={"journal": ledger.journal, "date": "2026-03-10"}, lines=lines)
    return entry_post(actor=accountant, entry=entry) if post else entry


# --- Accounts ----------------------------------------------------------------------------------


def test_a_sub_account_is_created_under_its_parent(api, ledger):
    body = {"code": "100201", "name": "工商银行", "parent": ledger.bank.pk, "type": "asset", "role": "bank",
            "is_reconcilable": True}

    response = api.post(ACCOUNTS, body, format="json")

    assert response.status_code == 201
    assert response.json()["is_leaf"] is True
    child = Account.objects.get(company=ledger.company, code="100201")
    assert child.parent == ledger.bank
    assert api.get(f"{ACCOUNTS}{ledger.bank.pk}/").json()["is_leaf"] is False


def test_the_account_list_filters_roots(api, ledger):
    AccountFactory(company=ledger.company, code="100201", parent=ledger.bank)

    response = api.get(ACCOUNTS, {"parent__isnull": "false"})

    assert [row["code"] for row in response.json()["results"]] == ["100201"]


def test_a_taken_account_code_is_refused(api, ledger):
    response = api.post(ACCOUNTS, {"code": "1001", "name": "Cash again", "type": "asset"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["Account code 1001 is in use already."]}
    assert Account.objects.filter(company=ledger.company, code="1001").count() == 1


def test_another_companys_parent_is_unknown(api, ledger, other_company):
    foreign = AccountFactory(company=other_company, code="1002", type="asset")

    response = api.post(ACCOUNTS, {"code": "100201", "name": "Bank", "type": "asset", "parent": foreign.pk},
                        format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"parent"}
    assert not Account.objects.filter(code="100201").exists()


def test_an_account_cannot_move_under_its_own_sub_account(api, ledger):
    child = AccountFactory(company=ledger.company, code="100201", parent=ledger.bank)

    response = api.patch(f"{ACCOUNTS}{ledger.bank.pk}/", {"parent": child.pk}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"parent"}
    ledger.bank.refresh_from_db()
    assert ledger.bank.parent is None


def test_an_account_with_postings_takes_no_sub_accounts(api, ledger, accountant):
    _post_on(ledger, accountant, ledger.cash)

    response = api.post(ACCOUNTS, {"code": "100101", "name": "Till", "type": "asset", "parent": ledger.cash.pk},
                        format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"parent": [
        "Account 1001 has postings: it cannot take sub-accounts, since only leaf accounts take postings."]}
    assert not Account.objects.filter(code="100101").exists()


def test_the_type_of_an_account_with_postings_cannot_change(api, ledger, accountant):
    _post_on(ledger, accountant, ledger.cash)

    response = api.patch(f"{ACCOUNTS}{ledger.cash.pk}/", {"type": "liability"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"type": ["Account 1001 has postings: its type cannot change."]}
    ledger.cash.refresh_from_db()
    assert ledger.cash.type == "asset"


def test_an_account_with_postings_is_not_deleted(api, ledger, accountant):
    _post_on(ledger, accountant, ledger.cash)

    response = api.delete(f"{ACCOUNTS}{ledger.cash.pk}/")

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "invalid_state", "fields": {},
        "message": "Account 1001 has postings and cannot be deleted: deactivate it instead.",
    }
    assert Account.objects.filter(pk=ledger.cash.pk).exists()


def test_an_account_with_sub_accounts_is_not_deleted(api, ledger):
    AccountFactory(company=ledger.company, code="100201", parent=ledger.bank)

    response = api.delete(f"{ACCOUNTS}{ledger.bank.pk}/")

    assert response.status_code == 400
    assert Account.objects.filter(pk=ledger.bank.pk).exists()


def test_an_unused_account_is_deleted(api, ledger):
    response = api.delete(f"{ACCOUNTS}{ledger.expense.pk}/")

    assert response.status_code == 204
    assert not Account.objects.filter(pk=ledger.expense.pk).exists()


def test_an_accountant_may_not_change_accounts_of_another_company(api, ledger, other_company):
    foreign = AccountFactory(company=other_company, code="1001")

    response = api.patch(f"{ACCOUNTS}{foreign.pk}/", {"name": "Mine"}, format="json")

    assert response.status_code == 404


# --- Journals, taxes, cost centres -------------------------------------------------------------


def test_a_bank_journal_is_created_with_its_account(api, ledger):
    body = {"code": "BNK", "name": "Bank", "kind": "bank", "default_account": ledger.bank.pk}

    response = api.post("/api/v1/accounting/journals/", body, format="json")

    assert response.status_code == 201
    assert Journal.objects.get(company=ledger.company, code="BNK").default_account == ledger.bank


def test_a_tax_rate_travels_as_a_decimal_string(api, ledger):
    body = {"name": "VAT 13%", "kind": "sales", "rate": "13.00", "account": ledger.output_vat.pk}

    response = api.post("/api/v1/accounting/taxes/", body, format="json")

    assert response.status_code == 201
    assert response.json()["rate"] == "13.00"
    assert Tax.objects.get(company=ledger.company).account == ledger.output_vat


def test_a_cost_centre_is_created(api, ledger):
    response = api.post("/api/v1/accounting/cost-centers/", {"code": "SALES", "name": "Sales dept"}, format="json")

    assert response.status_code == 201
    assert response.json()["company"] == ledger.company.pk


# --- Fiscal years and periods ------------------------------------------------------------------


def test_a_fiscal_year_is_opened_with_twelve_periods(api, ledger):
    response = api.post(YEARS, {"year": 2028}, format="json")

    assert response.status_code == 201
    assert (response.json()["name"], response.json()["start_on"], response.json()["state"]) == (
        "2028", "2028-01-01", "open")
    year = FiscalYear.objects.get(pk=response.json()["id"])
    assert year.periods.count() == 12


def test_an_existing_fiscal_year_is_refused(api, ledger):
    response = api.post(YEARS, {"year": 2026}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"year": ["Fiscal year 2026 exists already."]}
    assert FiscalYear.objects.filter(company=ledger.company).count() == 3


def test_periods_filter_by_date(api, ledger):
    response = api.get(PERIODS, {"date": "2026-03-15"})

    assert [row["name"] for row in response.json()["results"]] == ["2026-03"]


def test_a_period_is_closed_and_reopened(api, ledger):
    period = Period.objects.get(company=ledger.company, name="2026-03")

    closed = api.post(f"{PERIODS}{period.pk}/close/")
    reopened = api.post(f"{PERIODS}{period.pk}/reopen/")

    assert (closed.status_code, closed.json()["state"]) == (200, "closed")
    assert (reopened.status_code, reopened.json()["state"]) == (200, "open")


def test_closing_a_closed_period_is_an_invalid_state(api, ledger):
    period = Period.objects.get(company=ledger.company, name="2026-03")
    api.post(f"{PERIODS}{period.pk}/close/")

    response = api.post(f"{PERIODS}{period.pk}/close/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"


def test_an_accountant_may_not_close_periods(ledger, make_user, api_client_for):
    period = Period.objects.get(company=ledger.company, name="2026-03")

    response = api_client_for(make_user("accountant")).post(f"{PERIODS}{period.pk}/close/")

    assert response.status_code == 403
    assert "accounting.close_period" in response.json()["error"]["message"]
    period.refresh_from_db()
    assert period.state == "open"


def test_periods_cannot_be_written(api, ledger):
    period = Period.objects.get(company=ledger.company, name="2026-03")

    assert api.patch(f"{PERIODS}{period.pk}/", {"name": "x"}, format="json").status_code == 405
    assert api.delete(f"{PERIODS}{period.pk}/").status_code == 405


def _ready_to_close(ledger, accountant, name="2025") -> FiscalYear:
    """Fiscal year `name` with a profit of 10.00 and every period but the last closed."""
    year = FiscalYear.objects.get(company=ledger.company, name=name)
    lines = [{"account": ledger.cash, "debit": "10.00"}, {"account": ledger.revenue, "credit": "10.00"}]
    entry = entry_create(actor=accountant, company=ledger.company,
                         data={"journal": ledger.journal, "date": year.start_on}, lines=lines)
    entry_post(actor=accountant, entry=entry)
    for period in year.periods.order_by("start_on")[:11]:
        period_close(actor=accountant, period=period)
    return year


def test_a_fiscal_year_is_closed_and_reopened(api, ledger, accountant):
    year = _ready_to_close(ledger, accountant)

    closed = api.post(f"{YEARS}{year.pk}/close/")

    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    closing = JournalEntry.objects.get(pk=closed.json()["closing_entry"])
    assert (closing.state, closing.date.isoformat()) == ("posted", "2025-12-31")

    reopened = api.post(f"{YEARS}{year.pk}/reopen/")

    assert reopened.status_code == 200
    assert (reopened.json()["state"], reopened.json()["closing_entry"]) == ("open", None)
    assert JournalEntry.objects.filter(reversal_of=closing, state="posted").exists()


def test_a_fiscal_year_with_open_periods_is_not_closed(api, ledger):
    year = FiscalYear.objects.get(company=ledger.company, name="2025")

    response = api.post(f"{YEARS}{year.pk}/close/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    year.refresh_from_db()
    assert (year.state, year.closing_entry) == ("open", None)


def test_an_accountant_may_not_close_a_fiscal_year(ledger, make_user, api_client_for):
    year = FiscalYear.objects.get(company=ledger.company, name="2026")

    response = api_client_for(make_user("accountant")).post(f"{YEARS}{year.pk}/close/")

    assert response.status_code == 403
    assert "accounting.close_fiscalyear" in response.json()["error"]["message"]
    year.refresh_from_db()
    assert year.state == "open"


# --- Partners used by the ledger ---------------------------------------------------------------


def test_a_partner_with_entry_lines_is_not_deleted(api, ledger, accountant):
    partner = PartnerFactory(company=ledger.company)
    _post_on(ledger, accountant, ledger.receivable, partner=partner, post=False)

    response = api.delete(f"/api/v1/partners/{partner.pk}/")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        f"{partner} is used by other records and cannot be deleted: deactivate it instead.")
    assert Partner.objects.filter(pk=partner.pk).exists()

"""The reports API: JSON shape with decimal strings, files, bad input, access."""

import csv
import datetime
import io

import pytest

URL = "/api/v1/accounting/reports/"


@pytest.fixture
def api(api_client_for, accountant):
    return api_client_for(accountant)


def test_trial_balance_rows_and_totals_are_decimal_strings(books, api):
    response = api.get(URL + "trial-balance/", {"date_from": "2026-02-01", "date_to": "2026-02-28"})

    assert response.status_code == 200
    body = response.json()
    bank = next(row for row in body["rows"] if row["code"] == "1002")
    assert bank == {
        "account": books.ledger.bank.pk, "code": "1002", "name": "银行存款", "level": 0, "is_leaf": True,
        "opening_debit": "9500.00", "opening_credit": "0.00", "period_debit": "1130.00", "period_credit": "0.00",
        "closing_debit": "10630.00", "closing_credit": "0.00",
    }
    assert body["totals"]["closing_debit"] == body["totals"]["closing_credit"] == "13390.00"
    assert (body["company"], body["date_from"], body["date_to"]) == ("ACME", "2026-02-01", "2026-02-28")


def test_general_ledger_needs_an_account(books, api):
    response = api.get(URL + "general-ledger/", {"date_from": "2026-02-01", "date_to": "2026-02-28"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["account"]


def test_general_ledger_lines(books, api):
    response = api.get(URL + "general-ledger/", {"account": books.ledger.bank.pk, "date_from": "2026-01-01",
                                                "date_to": "2026-02-28"})

    body = response.json()
    assert (body["opening_balance"], body["closing_balance"], body["side"]) == ("10000.00", "10630.00", "debit")
    assert [(line["number"], line["balance"]) for line in body["lines"]] == [
        (books.entries["withdraw"].number, "9500.00"), (books.entries["receipt"].number, "10630.00")]


def test_balance_sheet_as_of(books, api):
    response = api.get(URL + "balance-sheet/", {"as_of": "2026-02-28"})

    lines = {line["key"]: line for line in response.json()["lines"]}
    assert lines["total_assets"]["amounts"] == {"end": "13190.00", "start": "11130.00"}
    assert lines["total_liabilities_equity"]["amounts"] == {"end": "13190.00", "start": "11130.00"}
    assert lines["cash"]["number"] == 1


def test_profit_and_loss_international_layout(books, api):
    response = api.get(URL + "profit-loss/", {"date_from": "2026-02-01", "date_to": "2026-02-28",
                                             "layout": "ifrs"})

    body = response.json()
    assert (body["layout"], body["columns"]) == ("ifrs", ["period", "year"])
    assert next(line for line in body["lines"] if line["key"] == "net_profit")["amounts"] == {
        "period": "2000.00", "year": "1800.00"}


def test_a_bad_date_is_a_validation_error_naming_the_field(books, api):
    response = api.get(URL + "trial-balance/", {"date_from": "2026-02-31", "date_to": "2026-02-28"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["fields"]) == ["date_from"]


def test_dates_in_the_wrong_order_are_refused(books, api):
    response = api.get(URL + "profit-loss/", {"date_from": "2026-03-01", "date_to": "2026-02-28"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"date_to": ["The end date must not be before the start date."]}


def test_csv_download(books, api):
    response = api.get(URL + "trial-balance/", {"date_from": "2026-02-01", "date_to": "2026-02-28", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="trial-balance-ACME-20260201-20260228.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][0] == "Total" and rows[-1][-2:] == ["13390.00", "13390.00"]


def test_pdf_download(books, api):
    response = api.get(URL + "balance-sheet/", {"date_to": "2026-02-28", "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_unknown_format_is_refused(books, api):
    response = api.get(URL + "trial-balance/", {"format": "docx"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["format"]


def test_a_salesperson_is_refused(books, api_client_for, make_user):
    response = api_client_for(make_user("salesperson")).get(URL + "trial-balance/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "accounting.view_accountbalance" in response.json()["error"]["message"]


def test_an_auditor_may_read_the_reports(books, api_client_for, make_user):
    response = api_client_for(make_user("auditor")).get(URL + "trial-balance/")

    assert response.status_code == 200


def test_another_company_data_is_not_in_the_report(books, api_client_for, make_user, other_company):
    from tessera.accounting.tests.factories import make_ledger
    from tessera.core.tests.factories import activate

    from .conftest import post

    boss = make_user("accounting_manager", companies=[other_company])
    activate(other_company, "accounting")
    other = make_ledger(other_company, boss)
    post(other, boss, datetime.date(2026, 2, 3), (other.cash, "777", "0"), (other.revenue, "0", "777"))
    client = api_client_for(boss)

    mine = client.get(URL + "trial-balance/", {"date_from": "2026-02-01", "date_to": "2026-02-28"},
                      HTTP_X_COMPANY="OTHER").json()

    assert mine["totals"]["period_debit"] == "777.00"
    assert {row["code"] for row in mine["rows"]} == {"1001", "6001"}

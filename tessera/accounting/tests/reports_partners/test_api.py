"""The receivables, payables and VAT reports through the API: JSON shapes, files, access, companies."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from tessera.accounting.tests.factories import make_ledger
from tessera.core.tests.factories import activate
from tessera.partners.tests.factories import PartnerFactory

from .conftest import post

URL = "/api/v1/accounting/reports/"
JUNE = {"date_from": "2026-06-01", "date_to": "2026-06-30"}


@pytest.fixture
def api(api_client_for, accountant):
    return api_client_for(accountant)


def test_aged_receivables_rows_are_decimal_strings(books, api):
    response = api.get(URL + "aged-receivables/", {"as_of": "2026-06-30"})

    assert response.status_code == 200
    body = response.json()
    assert body["rows"][0] == {
        "partner": books.customers["c1"].pk, "partner_code": "C001", "partner_name": "华北贸易",
        "not_due": "0.00", "days_0_30": "565.00", "days_31_60": "0.00", "days_61_90": "1890.00",
        "days_91_120": "0.00", "days_over_120": "0.00", "total": "2455.00",
    }
    assert (body["totals"]["total"], body["balance"], body["side"], body["as_of"], body["company"]) == (
        "5715.00", "5715.00", "receivable", "2026-06-30", "ACME")


def test_aged_payables(books, api):
    body = api.get(URL + "aged-payables/", {"as_of": "2026-06-30"}).json()

    assert [(row["partner_code"], row["days_0_30"]) for row in body["rows"]] == [("S001", "630.00"),
                                                                                 ("S002", "-300.00")]
    assert body["totals"]["total"] == "330.00"


def test_a_bad_as_of_date_names_the_parameter(books, api):
    response = api.get(URL + "aged-receivables/", {"as_of": "2026-02-30"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["as_of"]


def test_partner_statement(books, api):
    response = api.get(URL + "partner-statement/", {"partner": books.customers["c1"].pk, **JUNE})

    body = response.json()
    assert response.status_code == 200
    assert body["partner"] == {"id": books.customers["c1"].pk, "code": "C001", "name": "华北贸易"}
    assert (body["side"], body["opening_balance"], body["closing_balance"]) == ("receivable", "1890.00", "2455.00")
    assert body["lines"][0] | {"id": None} == {
        "id": None, "date": "2026-06-20", "entry": books.entries["c1_jun"].pk, "number": books.entries["c1_jun"].number,
        "reference": "", "description": "", "due_on": None, "debit": "565.00", "credit": "0.00",
        "balance": "2455.00"}


def test_partner_statement_needs_a_partner(books, api):
    response = api.get(URL + "partner-statement/", JUNE)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["partner"]


def test_partner_statement_of_another_company_partner_is_refused(books, api, other_company):
    stranger = PartnerFactory(company=other_company, code="X001")

    response = api.get(URL + "partner-statement/", {"partner": stranger.pk, **JUNE})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"partner": ["Choose one of this company's partners."]}


def test_vat_return(books, api):
    body = api.get(URL + "vat-return/", {"date_from": "2026-04-01", "date_to": "2026-06-30"}).json()

    assert (body["output_vat"], body["input_vat"], body["net"], body["payable"], body["carried_forward"]) == (
        "585.00", "130.00", "455.00", "455.00", "0.00")
    assert body["rows"][1] == {"section": "output", "kind": "tax", "account": books.ledger.output_vat.pk,
                               "code": "222101", "name": "销项税 13%", "tax": books.tax.pk, "rate": "13.00",
                               "base": "2000.00", "amount": "260.00"}


def test_aged_receivables_csv(books, api):
    response = api.get(URL + "aged-receivables/", {"as_of": "2026-06-30", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="aged-receivables-ACME-20260630.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Partner", "Not due", "0–30 days", "31–60 days", "61–90 days", "91–120 days",
                       "Over 120 days", "Total"]
    assert rows[1] == ["C001", "华北贸易", "0.00", "565.00", "0.00", "1890.00", "0.00", "0.00", "2455.00"]
    assert rows[-1] == ["Total", "", "2260.00", "565.00", "0.00", "1890.00", "0.00", "1000.00", "5715.00"]


def test_partner_statement_xlsx(books, api):
    response = api.get(URL + "partner-statement/", {"partner": books.customers["c1"].pk, **JUNE,
                                                    "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet["A1"].value == "Partner statement"
    assert ["Date", "Entry", "Reference", "Description", "Due date", "Debit", "Credit", "Balance"] in values
    assert values[-1][3:] == ["Period total and closing balance", None, 565, 0, 2455]


def test_vat_return_pdf(books, api):
    response = api.get(URL + "vat-return/", {**JUNE, "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_salesperson_is_refused(books, api_client_for, make_user):
    response = api_client_for(make_user("salesperson")).get(URL + "aged-receivables/")

    assert response.status_code == 403
    assert "accounting.view_accountbalance" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["aged-payables/", "vat-return/"])
def test_a_salesperson_is_refused_every_report(books, api_client_for, make_user, path):
    assert api_client_for(make_user("salesperson")).get(URL + path).status_code == 403


def test_another_company_is_not_in_the_reports(books, api_client_for, make_user, other_company):
    boss = make_user("accounting_manager", companies=[other_company])
    activate(other_company, "accounting")
    other = make_ledger(other_company, boss)
    customer = PartnerFactory(company=other_company, code="Z001", name="Zeta")
    post(other, boss, datetime.date(2026, 6, 3), (other.receivable, "777", "0"), (other.revenue, "0", "700"),
         (other.output_vat, "0", "77"), partner=customer)
    client = api_client_for(boss)

    aged = client.get(URL + "aged-receivables/", {"as_of": "2026-06-30"}, HTTP_X_COMPANY="OTHER").json()
    vat = client.get(URL + "vat-return/", JUNE, HTTP_X_COMPANY="OTHER").json()

    assert [(row["partner_code"], row["total"]) for row in aged["rows"]] == [("Z001", "777.00")]
    assert (vat["output_vat"], vat["input_vat"]) == ("77.00", "0.00")

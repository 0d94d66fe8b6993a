"""The valuation API: JSON with decimal strings, files, bad parameters (400), access (403)."""

import csv
import io

import pytest

from tessera.core.tests.factories import CompanyFactory
from tessera.products.tests.factories import ProductCategoryFactory

from .conftest import D

URL = "/api/v1/inventory/"


@pytest.fixture
def api(api_client_for, valued):
    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 3))
    valued.deliver(valued.average, 15, date=D(2026, 3, 4))
    return api_client_for(valued.actor)


def test_valuation_rows_totals_and_the_ledger_as_decimal_strings(valued, api):
    response = api.get(URL + "valuation/", {"date": "2026-03-31"})

    assert response.status_code == 200
    body = response.json()
    assert body["rows"] == [{
        "product": valued.average.pk, "sku": "AVG", "name": "Average item", "category": valued.category.pk,
        "category_name": "Goods", "warehouse": None, "warehouse_name": "", "uom": "pcs", "quantity": "5.0000",
        "unit_cost": "5.500000", "value": "27.50"}]
    assert body["totals"] == {"quantity": "5.0000", "value": "27.50"}
    assert (body["ledger_balance"], body["stock_postings"], body["difference"]) == ("27.50", "27.50", "0.00")
    assert body["accounts"] == [{"account": valued.inventory.pk, "code": "1405",
                                 "name": "Finished goods and merchandise", "balance": "27.50"}]
    assert (body["company"], body["date"], body["group"]) == ("ACME", "2026-03-31", "product")


def test_valuation_of_a_past_date(api):
    body = api.get(URL + "valuation/", {"date": "2026-03-02"}).json()

    assert (body["totals"]["value"], body["ledger_balance"]) == ("50.00", "50.00")


def test_valuation_as_csv_and_xlsx_and_pdf(api):
    response = api.get(URL + "valuation/", {"date": "2026-03-31", "format": "csv"})

    assert response.status_code == 200
    assert 'filename="inventory-valuation-ACME-20260331.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["SKU", "Product", "Category", "Quantity", "Unit", "Unit cost", "Value"]
    assert rows[1] == ["AVG", "Average item", "Goods", "5", "pcs", "5.500000", "27.50"]
    assert rows[-1][0] == "Total" and rows[-1][-1] == "27.50"
    xlsx = api.get(URL + "valuation/", {"date": "2026-03-31", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    pdf = api.get(URL + "valuation/", {"date": "2026-03-31", "format": "pdf"})
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")


def test_valuation_grouped_by_category(valued, api):
    body = api.get(URL + "valuation/", {"date": "2026-03-31", "group": "category"}).json()

    assert body["rows"] == [{"category": valued.category.pk, "category_name": "Goods", "warehouse": None,
                             "products": 1, "quantity": "5.0000", "unit_cost": None, "value": "27.50"}]
    assert body["totals"] == {"quantity": None, "value": "27.50"}


@pytest.mark.parametrize("params, field", [
    ({"date": "2026-02-30"}, "date"), ({"group": "colour"}, "group"), ({"format": "docx"}, "format"),
    ({"category": "999999"}, "category"), ({"warehouse": "abc"}, "warehouse"),
])
def test_bad_valuation_parameters_answer_400(api, params, field):
    response = api.get(URL + "valuation/", params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["fields"]) == [field]


def test_another_company_s_category_is_unknown(valued, api):
    other = ProductCategoryFactory(company=CompanyFactory(code="OTHER"), name="Theirs")

    response = api.get(URL + "valuation/", {"category": other.pk})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["category"]


def test_product_layers_drill_down(valued, api):
    response = api.get(URL + "valuation/layers/", {"product": valued.average.pk})

    assert response.status_code == 200
    body = response.json()
    assert [(row["quantity"], row["value"], row["running_value"]) for row in body["rows"]] == [
        ("10.0000", "50.00", "50.00"), ("10.0000", "60.00", "110.00"), ("-15.0000", "-82.50", "27.50")]
    assert (body["quantity"], body["value"]) == ("5.0000", "27.50")
    assert api.get(URL + "valuation/layers/").status_code == 400


def test_slow_moving_report(valued, api):
    response = api.get(URL + "reports/slow-moving/", {"date": "2026-12-31", "days": "90"})

    assert response.status_code == 200
    body = response.json()
    assert [(row["sku"], row["value"], row["days_since_delivery"], row["status"]) for row in body["rows"]] == [
        ("AVG", "27.50", 302, "dead")]
    assert body["totals"] == {"value": "27.50", "dead_value": "27.50", "products": 1}
    assert [bucket["value"] for bucket in body["buckets"]] == ["0.00", "27.50", "0.00", "0.00"]
    assert api.get(URL + "reports/slow-moving/", {"days": "0"}).status_code == 400
    csv_file = api.get(URL + "reports/slow-moving/", {"date": "2026-12-31", "format": "csv"})
    assert csv_file.status_code == 200 and b"Dead stock" in csv_file.content


@pytest.mark.parametrize("path", ["valuation/", "reports/slow-moving/"])
def test_accountants_and_clerks_may_read_others_are_refused(valued, api, api_client_for, make_user, path):
    assert api_client_for(make_user("accountant", username="acc1")).get(URL + path).status_code == 200
    assert api_client_for(make_user("warehouse_clerk", username="clerk9")).get(URL + path).status_code == 200
    response = api_client_for(make_user("hr_officer", username="hr1")).get(URL + path)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"

"""The purchasing report API: JSON with decimal strings, files, bad parameters (400), access (403)."""

import csv
import io

import pytest

from tessera.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchasing/reports/"


@pytest.fixture
def api(api_client_for, p, docs):
    return api_client_for(p.purchaser)


def test_open_orders_json(api, docs):
    body = api.get(URL + "open-orders/", {"date": "2026-03-02"}).json()
    assert body["rows"][0] == {
        "order": docs.a.pk, "number": "PO-A", "partner": docs.a.partner_id, "partner_name": "上海供应商有限公司",
        "date": "2026-01-10", "expected_on": "2026-01-20", "days_late": 41, "warehouse": "WH",
        "state": "partially_received", "currency": "CNY", "untaxed": "2400.00", "to_receive": "2040.00",
        "to_bill": "300.00", "untaxed_base": "2400.00", "to_receive_base": "2040.00", "to_bill_base": "300.00"}
    assert body["totals"] == {"orders": 3, "untaxed_base": "9600.00", "to_receive_base": "2140.00",
                              "to_bill_base": "7400.00"}
    assert (body["company"], body["currency"], body["date"], body["missing_rates"]) == ("ACME", "CNY", "2026-03-02", 0)


def test_receipts_pending_late_only(api):
    body = api.get(URL + "receipts-pending/", {"date": "2026-03-02", "late": "true"}).json()
    assert [(row["sku"], row["outstanding"], row["days_late"]) for row in body["rows"]] == [
        ("W-1", "4.0000", 41), ("TEA", "20.0000", 36)]
    assert body["totals"] == {"lines": 2, "late": 2, "value_base": "2040.00"}


def test_bills_to_match_json(api, docs):
    body = api.get(URL + "bills-to-match/").json()
    assert [(row["number"], row["to_bill"], row["amount_base"]) for row in body["rows"]] == [
        ("PO-A", "5.0000", "300.00"), ("PO-B", "5.0000", "7100.00")]
    assert [(bill["invoice"], bill["total_base"]) for bill in body["mismatches"]] == [(docs.bill.pk, "65.00")]


def test_supplier_performance_json(api):
    body = api.get(URL + "supplier-performance/", {"date_from": "2026-01-01", "date_to": "2026-03-02"}).json()
    assert [(row["partner_name"], row["on_time_rate"], row["average_delay"], row["quality_return_rate"])
            for row in body["rows"]] == [("Acme Supply Inc.", "0.00", "5.0", "0.00"),
                                         ("上海供应商有限公司", "100.00", "0.0", "16.67")]
    assert (body["totals"]["on_time_rate"], body["totals"]["quality_return_rate"]) == ("50.00", "15.58")


def test_analysis_by_month_with_its_chart(api):
    body = api.get(URL + "analysis/", {"date_from": "2026-01-01", "date_to": "2026-03-02", "group": "month"}).json()
    assert [(row["label"], row["amount"]) for row in body["rows"]] == [
        ("2026-01", "2400.00"), ("2026-02", "7200.00"), ("2026-03", "0.00")]
    assert body["chart"]["values"] == ["2400.00", "7200.00", "0"]
    assert body["totals"]["amount"] == "9600.00"


def test_analysis_as_csv_xlsx_and_pdf(api):
    params = {"date_from": "2026-01-01", "date_to": "2026-03-02", "group": "product"}
    response = api.get(URL + "analysis/", {**params, "format": "csv"})
    assert response.status_code == 200
    assert 'filename="purchase-analysis-product-ACME-20260302.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Product", "Orders", "Lines", "Quantity", "Unit", "Amount untaxed (CNY)"]
    assert rows[1] == ["[PH] Phone", "1", "1", "5", "pcs", "7100.00"]
    assert rows[-1] == ["Total", "3", "4", "", "", "9600.00"]
    xlsx = api.get(URL + "analysis/", {**params, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    pdf = api.get(URL + "supplier-performance/", {"format": "pdf"})
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")


def test_dashboard_json(api):
    body = api.get(URL + "dashboard/").json()
    assert (body["currency"], body["open_orders"], body["waiting_approval"], body["mismatched_bills"]) == (
        "CNY", 3, 1, 1)


def test_bad_parameters_answer_400(api, other_company):
    response = api.get(URL + "analysis/", {"group": "week"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "group" in response.json()["error"]["fields"]
    stranger = PartnerFactory(company=other_company)
    response = api.get(URL + "open-orders/", {"partner": stranger.pk})
    assert response.status_code == 400 and "partner" in response.json()["error"]["fields"]
    response = api.get(URL + "supplier-performance/", {"date_from": "2026-03-02", "date_to": "2026-01-01"})
    assert response.status_code == 400 and "date_to" in response.json()["error"]["fields"]


def test_without_the_permission_403(api_client_for, p):
    response = api_client_for(p.employee).get(URL + "open-orders/")
    assert response.status_code == 403

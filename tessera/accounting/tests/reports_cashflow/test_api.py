"""The cash-flow and cash-position API: JSON with decimal strings, files, bad input, access."""

import csv
import io

import pytest

URL = "/api/v1/accounting/reports/"
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def api(api_client_for, accountant):
    return api_client_for(accountant)


def _lines(body) -> dict:
    return {line["key"]: line for line in body["lines"]}


def test_cash_flow_lines_and_totals_are_decimal_strings(worked, api):
    response = api.get(URL + "cash-flow/", {**MARCH, "layout": "cn"})

    assert response.status_code == 200
    body = response.json()
    assert (body["company"], body["layout"], body["columns"]) == ("ACME", "cn", ["period", "previous"])
    assert (body["previous_from"], body["previous_to"]) == ("2025-03-01", "2025-03-31")
    assert _lines(body)["op_in_sales"] == {
        "key": "op_in_sales", "number": 1, "label": "Cash received from sales of goods and services", "kind": "item",
        "level": 1, "amounts": {"period": "12019.99", "previous": "5000.00"}}
    assert _lines(body)["h_operating"]["amounts"] == {"period": None, "previous": None}
    assert body["totals"] == {"opening_cash": {"period": "112000.00", "previous": "0.00"},
                              "net_increase": {"period": "28700.00", "previous": "5000.00"},
                              "closing_cash": {"period": "140700.00", "previous": "5000.00"}}


def test_cash_flow_in_the_international_layout(worked, api):
    response = api.get(URL + "cash-flow/", {**MARCH, "layout": "ifrs"})

    lines = _lines(response.json())
    assert lines["paid_employees"]["amounts"]["period"] == "-7000.00"
    assert lines["closing"]["amounts"]["period"] == "140700.00"
    assert lines["paid_employees"]["number"] is None


def test_cash_flow_layout_defaults_to_the_chart(worked, api):
    assert api.get(URL + "cash-flow/", MARCH).json()["layout"] == "cn"


@pytest.mark.parametrize(("file_format", "content_type", "magic"), [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("pdf", "application/pdf", b"%PDF"),
])
def test_cash_flow_as_a_file(worked, api, file_format, content_type, magic):
    response = api.get(URL + "cash-flow/", {**MARCH, "layout": "cn", "format": file_format})

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="cash-flow-ACME-20260301-20260331-cn.{file_format}"')
    assert response.content.startswith(magic)


def test_cash_flow_as_csv(worked, api):
    response = api.get(URL + "cash-flow/", {**MARCH, "layout": "cn", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Item", "Line", "This period", "Same period last year"]
    assert ["Taxes paid", "7", "1000.00", "0.00"] in rows
    assert rows[-1] == ["6. Cash and cash equivalents at the end of the period", "35", "140700.00", "5000.00"]


def test_cash_flow_entries_of_a_line(worked, api):
    response = api.get(URL + "cash-flow/entries/", {**MARCH, "line": "op_out_taxes", "layout": "cn"})

    body = response.json()
    assert response.status_code == 200
    assert [(row["entry"], row["amount"]) for row in body["rows"]] == [(worked.entries["taxes"].pk, "1000.00")]
    assert (body["total"], body["label"]) == ("1000.00", "Taxes paid")


def test_cash_flow_entries_refuse_an_unknown_line(worked, api):
    response = api.get(URL + "cash-flow/entries/", {**MARCH, "line": "h_operating"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["line"]


@pytest.mark.parametrize(("params", "field"), [
    ({"date_from": "2026-02-31", "date_to": "2026-03-31"}, "date_from"),
    ({"date_from": "2026-03-01", "date_to": "March"}, "date_to"),
    ({"date_from": "2026-04-01", "date_to": "2026-03-31"}, "date_to"),
    ({**MARCH, "layout": "gaap"}, "layout"),
    ({**MARCH, "format": "doc"}, "format"),
])
def test_cash_flow_bad_input_is_a_validation_error(worked, api, params, field):
    response = api.get(URL + "cash-flow/", params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["fields"]) == [field]


def test_cash_position_bad_date(worked, api):
    response = api.get(URL + "cash-position/", {"date": "2026-13-01"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["date"]


def test_cash_position_balances(worked, api):
    response = api.get(URL + "cash-position/", {"date": "2026-03-31"})

    body = response.json()
    assert response.status_code == 200
    assert body["date"] == "2026-03-31" and body["horizon"] == "2026-04-30"
    assert [(row["code"], row["currency"], row["balance_currency"], row["balance"]) for row in body["accounts"]] == [
        ("1001", "CNY", None, "1900.00"), ("1002", "CNY", None, "131700.00"),
        ("1003", "USD", "1000.00", "7100.00"), ("1012", "CNY", None, "0.00")]
    assert body["total"] == "140700.00"


@pytest.mark.parametrize("path", ["cash-flow/", "cash-flow/entries/?line=op_net", "cash-position/"])
def test_a_salesperson_is_refused(worked, api_client_for, make_user, path):
    response = api_client_for(make_user("salesperson", username="sally")).get(URL + path)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("path", ["cash-flow/", "cash-position/"])
def test_anonymous_is_refused(worked, client, path):
    assert client.get(URL + path).status_code == 401

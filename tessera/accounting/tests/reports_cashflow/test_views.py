"""The cash-flow and cash-position screens: tables, a link per amount, drill-down, exports, languages, access."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from tessera.accounting.report_tables_cashflow import cash_flow_table, cash_position_table
from tessera.accounting.reports_cashflow import cash_flow_statement, cash_position
from tessera.core.exports import render

D = datetime.date
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def web(accountant):
    client = Client()
    client.force_login(accountant, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _drill(line, date_from, date_to, layout="cn"):
    return reverse("accounting:report_cash_flow_entries") + "?" + urlencode(
        {"line": line, "layout": layout, "date_from": date_from, "date_to": date_to}).replace("&", "&amp;")


def test_cash_flow_page_shows_the_statement_with_a_link_per_amount(worked, web):
    response = web.get(reverse("accounting:report_cash_flow"), {**MARCH, "layout": "cn"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Cash received from sales of goods and services" in html
    assert "12,019.99" in html and "140,700.00" in html
    assert f'<a href="{_drill("op_in_sales", "2026-03-01", "2026-03-31")}">12,019.99</a>' in html
    assert f'<a href="{_drill("op_in_sales", "2025-03-01", "2025-03-31")}">5,000.00</a>' in html
    assert 'data-testid="export-pdf"' in html


def test_cash_flow_page_in_chinese(worked, web):
    response = web.get(reverse("accounting:report_cash_flow"), {**MARCH, "layout": "cn"},
                       HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = response.content.decode()
    assert response.status_code == 200
    assert "一、经营活动产生的现金流量：" in html
    assert "支付给职工以及为职工支付的现金" in html and "7,000.00" in html
    assert "六、期末现金及现金等价物余额" in html


def test_cash_flow_page_in_the_international_layout(worked, web):
    response = web.get(reverse("accounting:report_cash_flow"), {**MARCH, "layout": "ifrs"})

    html = response.content.decode()
    assert "Cash flows from operating activities" in html and "-7,000.00" in html


def test_cash_flow_export_as_xlsx(worked, web):
    response = web.get(reverse("accounting:report_cash_flow"), {**MARCH, "layout": "ifrs", "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cash-flow-ACME-20260301-20260331-ifrs.xlsx"'


def test_cash_flow_bad_dates_show_on_the_form(worked, web):
    response = web.get(reverse("accounting:report_cash_flow"), {"date_from": "2026-04-01", "date_to": "2026-03-31"})

    html = response.content.decode()
    assert "The end date must not be before the start date." in html
    assert 'data-testid="report-table"' not in html


def test_drill_down_lists_the_entries_of_a_line_linked_to_them(worked, web):
    response = web.get(reverse("accounting:report_cash_flow_entries"),
                       {**MARCH, "layout": "cn", "line": "op_in_sales"})

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("collection", "mixed"):
        assert reverse("accounting:journalentry_detail", args=[worked.entries[name].pk]) in html
    assert "11,300.00" in html and "719.99" in html and "12,019.99" in html


def test_drill_down_without_a_line_asks_for_one(worked, web):
    response = web.get(reverse("accounting:report_cash_flow_entries"))

    assert response.status_code == 200
    assert "Open a line of the cash-flow statement to see its entries." in response.content.decode()


def test_cash_position_page(worked, web):
    response = web.get(reverse("accounting:report_cash_position"), {"date": "2026-03-31"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "1003 美元户" in html and "1,000.00" in html and "7,100.00" in html and "140,700.00" in html
    ledger = reverse("accounting:report_general_ledger") + "?" + urlencode(
        {"account": worked.account("1003").pk, "date_from": "2026-01-01", "date_to": "2026-03-31"})
    assert ledger.replace("&", "&amp;") in html


def test_cash_position_page_in_chinese(worked, web):
    response = web.get(reverse("accounting:report_cash_position"), {"date": "2026-03-31"},
                       HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert "140,700.00" in response.content.decode()


@pytest.mark.parametrize("name", ["report_cash_flow", "report_cash_flow_entries", "report_cash_position"])
def test_a_salesperson_is_refused(worked, make_user, name):
    client = Client()
    client.force_login(make_user("salesperson", username="sally"),
                       backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse(f"accounting:{name}"))

    assert response.status_code == 403


def test_menu_offers_both_reports(worked, web):
    html = web.get(reverse("accounting:report_cash_flow"), MARCH).content.decode()

    assert reverse("accounting:report_cash_flow") in html and reverse("accounting:report_cash_position") in html


@pytest.mark.parametrize("layout", ["cn", "ifrs"])
def test_cash_flow_pdf_renders(worked, layout):
    table = cash_flow_table(cash_flow_statement(worked.company, D(2026, 3, 1), D(2026, 3, 31), layout))

    assert render(table, "pdf").startswith(b"%PDF")


def test_cash_position_pdf_renders(worked):
    assert render(cash_position_table(cash_position(worked.company, D(2026, 3, 31))), "pdf").startswith(b"%PDF")

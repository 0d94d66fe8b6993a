"""The purchasing report screens and dashboard: figures, drill-down links, charts, exports, bad filters,
access, the menu and the home card (English and Chinese)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tessera.core.tests.views.conftest import client_for  # noqa: F401

from .conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client_for, p, docs, monkeypatch):  # noqa: F811
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DAY)
    return client_for(p.manager)


def _chart(page: str, chart_id: str) -> dict:
    start = page.index(f'id="{chart_id}"')
    return json.loads(page[page.index(">", start) + 1:page.index("</script>", start)])


def test_open_orders_screen_links_each_order(web, docs):
    response = web.get(reverse("purchasing:report_open_orders"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "PO-A" in page and "2,040.00" in page and "9,600.00" in page
    try:
        url = reverse("purchasing:order_detail", args=[docs.a.pk])
    except Exception:  # the orders screens are not there yet
        url = None
    if url:
        assert f'<a href="{url}" data-testid="drill-down">PO-A</a>' in page


def test_receipts_pending_screen_late_only(web):
    page = web.get(reverse("purchasing:report_receipts_pending"), {"late": "on"}).content.decode()
    assert "2 of 2 lines are late." in page
    assert "2,040.00" in page


def test_bills_to_match_screen_has_both_sections(web, docs):
    page = web.get(reverse("purchasing:report_bills_to_match")).content.decode()
    assert "Received, not billed" in page and "Bills with a mismatch" in page
    assert "Price 65.00 above the order&#x27;s 60.00" in page
    assert "INV-9" in page


def test_supplier_performance_screen(web):
    page = web.get(reverse("purchasing:report_supplier_performance"),
                   {"date_from": "2026-01-01", "date_to": "2026-03-02"}).content.decode()
    assert "Acme Supply Inc." in page and "16.67" in page and "15.58" in page


def test_analysis_screen_charts_and_drills_down_to_months(web, p):
    response = web.get(reverse("purchasing:report_analysis"),
                       {"date_from": "2026-01-01", "date_to": "2026-03-02", "group": "supplier"})
    page = response.content.decode()
    assert _chart(page, "purchase-analysis-chart") == {
        "labels": ["Acme Supply Inc.", "上海供应商有限公司"], "values": ["7100.00", "2500.00"],
        "label": "Amount untaxed (CNY)", "vertical": False}
    assert "vendor/chartjs/chart.umd.min.js" in page
    drill = f"?group=month&amp;partner={p.s2.pk}&amp;date_from=2026-01-01&amp;date_to=2026-03-02"
    assert drill in page


def test_analysis_export_csv(web):
    response = web.get(reverse("purchasing:report_analysis"),
                       {"date_from": "2026-01-01", "date_to": "2026-03-02", "group": "month", "export": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Month,Orders,Lines,Quantity,Amount untaxed (CNY)"
    assert lines[1:] == ["2026-01,1,2,140,2400.00", "2026-02,2,2,29,7200.00", "2026-03,0,0,0,0",
                         "Total,3,4,,9600.00"]


def test_a_bad_filter_shows_on_the_form(web):
    response = web.get(reverse("purchasing:report_supplier_performance"),
                       {"date_from": "2026-03-02", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()


def test_dashboard_cards_and_monthly_chart(web):
    page = web.get(reverse("purchasing:dashboard")).content.decode()
    assert 'data-testid="card-open-orders-value">3<' in page
    assert 'data-testid="card-waiting-approval-value">1<' in page
    assert 'data-testid="card-late-receipts-value">2<' in page
    assert 'data-testid="card-bills-to-match-value">3<' in page
    chart = _chart(page, "monthly-purchases-chart")
    assert chart["labels"][-3:] == ["2026-01", "2026-02", "2026-03"]
    assert chart["values"][-3:] == ["2400.00", "7200.00", "0"]
    assert "Most overdue receipts" in page


def test_dashboard_in_chinese(web):
    web.cookies["django_language"] = "zh-hans"
    response = web.get(reverse("purchasing:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "上海供应商有限公司" in response.content.decode()


def test_home_card_and_menu_for_the_purchasing_manager(web):
    page = web.get("/").content.decode()
    assert "3 open orders" in page
    assert "Late receipts: 2" in page
    assert "50.00 % on time" in page and "Quality returns: 15.58 %" in page and "Average delay: 5.0 days" in page
    assert reverse("purchasing:report_supplier_performance") in page


def test_screens_need_the_permission(client_for, p, docs):  # noqa: F811
    web = client_for(p.employee)
    for name in ("dashboard", "report_open_orders", "report_analysis"):
        assert web.get(reverse(f"purchasing:{name}")).status_code == 403


def test_screens_need_login(client, docs):
    response = client.get(reverse("purchasing:report_open_orders"))
    assert response.status_code == 302 and "login" in response["Location"]

"""The report screens: tables, drill-down links, exports, access."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

D = datetime.date


@pytest.fixture
def web(accountant):
    client = Client()
    client.force_login(accountant, backend="django.contrib.auth.backends.ModelBackend")
    return client


FEB = {"date_from": "2026-02-01", "date_to": "2026-02-28"}


def test_trial_balance_page_shows_amounts_and_links_to_the_ledger(books, web):
    response = web.get(reverse("accounting:report_trial_balance"), FEB)

    html = response.content.decode()
    assert response.status_code == 200
    assert "10,630.00" in html and "13,390.00" in html
    ledger_url = reverse("accounting:report_general_ledger") + f"?account={books.ledger.bank.pk}&amp;"
    assert ledger_url in html


def test_general_ledger_lines_link_to_their_entry(books, web):
    response = web.get(reverse("accounting:report_general_ledger"), {**FEB, "account": books.ledger.bank.pk})

    html = response.content.decode()
    assert reverse("accounting:journalentry_detail", args=[books.entries["receipt"].pk]) in html
    assert "10,630.00" in html


def test_general_ledger_without_an_account_asks_for_one(books, web):
    response = web.get(reverse("accounting:report_general_ledger"))

    assert response.status_code == 200
    assert "Choose an account to see its ledger." in response.content.decode()


def test_balance_sheet_page_in_the_chinese_layout(books, web):
    response = web.get(reverse("accounting:report_balance_sheet"), {"date_to": "2026-02-28", "layout": "cn"},
                       HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = response.content.decode()
    assert "货币资金" in html and "10,930.00" in html


def test_profit_and_loss_export_as_xlsx(books, web):
    response = web.get(reverse("accounting:report_profit_loss"), {**FEB, "layout": "ifrs", "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="profit-loss-ACME-20260201-20260228-ifrs.xlsx"'


def test_bad_dates_show_on_the_form_and_no_table(books, web):
    response = web.get(reverse("accounting:report_trial_balance"), {"date_from": "2026-03-01",
                                                                    "date_to": "2026-02-28"})

    html = response.content.decode()
    assert "The end date must not be before the start date." in html
    assert 'data-testid="report-table"' not in html


def test_a_salesperson_is_refused_with_the_reason(books, make_user):
    client = Client()
    client.force_login(make_user("salesperson", username="sally"),
                       backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("accounting:report_trial_balance"))

    assert response.status_code == 403
    assert "accounting.view_accountbalance" in response.content.decode()


def test_signed_out_visitors_go_to_the_login_page(books):
    response = Client().get(reverse("accounting:report_balance_sheet"))

    assert response.status_code == 302 and "/login/" in response["Location"]

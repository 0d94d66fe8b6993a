"""The receivables, payables and VAT report screens: tables, drill-down, exports, access, menu."""

import pytest
from django.test import Client
from django.urls import reverse

AS_OF = {"as_of": "2026-06-30"}


@pytest.fixture
def web(accountant):
    client = Client()
    client.force_login(accountant, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_aged_receivables_rows_open_the_partner_statement(books, web):
    response = web.get(reverse("accounting:report_aged_receivables"), AS_OF)

    html = response.content.decode()
    assert response.status_code == 200
    assert "1,890.00" in html and "5,715.00" in html
    statement = (reverse("accounting:report_partner_statement") + f"?partner={books.customers['c1'].pk}"
                 "&amp;side=receivable&amp;date_from=2026-01-01&amp;date_to=2026-06-30")
    assert statement in html


def test_aged_payables_page_shows_the_prepayment(books, web):
    html = web.get(reverse("accounting:report_aged_payables"), AS_OF).content.decode()

    assert "-300.00" in html and "330.00" in html and "side=payable" in html


def test_partner_statement_lines_link_to_their_entry(books, web):
    response = web.get(reverse("accounting:report_partner_statement"),
                       {"partner": books.customers["c1"].pk, "date_from": "2026-02-01", "date_to": "2026-06-30"})

    html = response.content.decode()
    assert reverse("accounting:journalentry_detail", args=[books.entries["c1_receipt"].pk]) in html
    assert "Opening balance" in html and "2,455.00" in html


def test_partner_statement_without_a_partner_asks_for_one(books, web):
    response = web.get(reverse("accounting:report_partner_statement"))

    assert response.status_code == 200
    assert "Choose a partner to see its statement." in response.content.decode()


def test_vat_return_page_shows_what_is_payable(books, web):
    response = web.get(reverse("accounting:report_vat_return"), {"date_from": "2026-04-01", "date_to": "2026-06-30"})

    html = response.content.decode()
    assert "VAT payable" in html and "455.00" in html and "2,000.00" in html
    ledger = reverse("accounting:report_general_ledger") + f"?account={books.ledger.output_vat.pk}&amp;"
    assert ledger in html


def test_aged_receivables_export_as_pdf(books, web):
    response = web.get(reverse("accounting:report_aged_receivables"), {**AS_OF, "export": "pdf"})

    assert response["Content-Disposition"] == 'attachment; filename="aged-receivables-ACME-20260630.pdf"'
    assert response.content.startswith(b"%PDF")


def test_a_salesperson_is_refused_with_the_reason(books, make_user):
    client = Client()
    client.force_login(make_user("salesperson", username="sally"),
                       backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("accounting:report_vat_return"))

    assert response.status_code == 403
    assert "accounting.view_accountbalance" in response.content.decode()


def test_the_menu_lists_the_four_reports(books, web):
    html = web.get(reverse("accounting:report_aged_receivables"), AS_OF).content.decode()

    for name in ("report_aged_receivables", "report_aged_payables", "report_partner_statement",
                 "report_vat_return"):
        assert f'href="{reverse("accounting:" + name)}"' in html

"""In Chromium: the invoice form's line subtotals and totals follow the typing; the payment form reloads
the partner's open invoices (htmx) and allocates oldest first."""

import pytest

from tessera.accounting.models import Invoice
from tessera.accounting.tests.browser.test_entry_form import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_invoice_totals_follow_the_typing_and_save_and_post_posts(page, live_server, books, accountant):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server.url, accountant.username)
    page.goto(f"{live_server.url}/accounting/invoices/new/?side=customer")
    page.select_option("select[name=partner]", str(books.customer.pk))
    page.fill("input[name=date]", "2026-03-15")
    page.fill("input[name=lines-0-description]", "Paper A4")
    page.select_option("select[name=lines-0-account]", str(books.revenue.pk))
    page.fill("input[name=lines-0-quantity]", "12")
    page.fill("input[name=lines-0-unit_price]", "185.50")
    page.select_option("select[name=lines-0-taxes]", [str(books.output_vat.pk)])
    page.click("[data-testid=add-line]")
    page.fill("input[name=lines-2-description]", "Delivery")
    page.select_option("select[name=lines-2-account]", str(books.revenue.pk))
    page.fill("input[name=lines-2-unit_price]", "300")
    page.fill("input[name=lines-2-discount]", "10")
    page.select_option("select[name=lines-2-taxes]", [str(books.output_vat.pk)])

    assert page.inner_text("#total-untaxed") == "2,496.00"
    assert page.inner_text("#total-total") == "2,820.48"
    assert page.locator("select[name=lines-0-taxes] option[data-kind=purchase]").first.is_hidden()

    with page.expect_navigation():
        page.click("[data-testid=save-and-post]")

    invoice = Invoice.objects.get()
    assert (invoice.state, invoice.total) == ("posted", invoice.total_untaxed + invoice.total_tax)
    assert str(invoice.total) == "2820.48"
    assert errors == []


def test_the_payment_form_loads_open_invoices_and_allocates_oldest_first(page, live_server, books, accountant,
                                                                        posted_invoice):
    sign_in(page, live_server.url, accountant.username)
    page.goto(f"{live_server.url}/accounting/payments/new/")
    assert page.locator("[data-testid=no-open-invoices]").count() == 1

    page.select_option("select[name=partner]", str(books.customer.pk))
    page.wait_for_selector("tr[data-allocation-row]")
    page.fill("input[name=amount]", "300")
    page.click("[data-testid=allocate-oldest]")

    assert page.input_value(f"input[name=allocation-{posted_invoice.pk}]") == "226.00"
    assert page.inner_text("#allocation-remainder") == "74.00"

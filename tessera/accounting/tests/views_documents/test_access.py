"""Who reaches the invoice and payment screens: every page for an accounting manager, 403 for a
salesperson and with the module off; the menu entries and the "Receivables due" card."""

import pytest
from django.urls import reverse

from tessera.accounting.models import Invoice
from tessera.accounting.services.payments import payment_create, payment_post
from tessera.accounting.tests.factories import D
from tessera.core.models import CompanyModule

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(books, posted_invoice, accountant):
    """Every invoice and payment GET page, with a record to show (a prepayment to allocate)."""
    from decimal import Decimal

    payment = payment_post(actor=accountant, payment=payment_create(
        actor=accountant, company=books.company, allocations=[],
        data={"kind": "inbound", "partner": books.customer, "journal": books.bank_journal, "date": D(2026, 3, 20),
              "amount": Decimal("50.00")}))
    return [
        reverse("accounting:invoice_list"), reverse("accounting:invoice_list") + "?side=supplier&overdue=true",
        reverse("accounting:invoice_create"), reverse("accounting:invoice_detail", args=[posted_invoice.pk]),
        reverse("accounting:invoice_print", args=[posted_invoice.pk]),
        reverse("accounting:payment_list"), reverse("accounting:payment_create"),
        reverse("accounting:payment_create") + f"?invoice={posted_invoice.pk}",
        reverse("accounting:payment_detail", args=[payment.pk]),
        reverse("accounting:payment_allocate", args=[payment.pk]),
    ]


def test_every_page_answers_an_accounting_manager(manager_web, urls):
    assert {url: manager_web.get(url).status_code for url in urls} == {url: 200 for url in urls}


@pytest.mark.parametrize(("url_name", "permission"), [
    ("accounting:invoice_list", "accounting.view_invoice"),
    ("accounting:invoice_create", "accounting.add_invoice"),
    ("accounting:payment_list", "accounting.view_payment"),
    ("accounting:payment_create", "accounting.add_payment"),
])
def test_a_salesperson_is_refused_with_the_reason(sales_web, books, url_name, permission):
    response = sales_web.get(reverse(url_name))

    assert response.status_code == 403
    assert f"({permission})" in response.content.decode()


def test_with_the_module_off_the_pages_are_refused(manager_web, books, company):
    CompanyModule.objects.filter(company=company, module="accounting").update(is_active=False)

    response = manager_web.get(reverse("accounting:invoice_list"))

    assert response.status_code == 403
    assert response.context["message"] == "The module “Accounting” is not active for company ACME."


def test_the_menu_has_customer_and_supplier_invoices_and_payments(manager_web, books):
    response = manager_web.get(reverse("accounting:invoice_list") + "?side=supplier")

    module = next(module for module in response.context["navigation"] if module["code"] == "accounting")
    entries = {entry["label"]: (entry["url"], entry["active"]) for entry in module["entries"]}
    assert entries["Customer invoices"] == ("/accounting/invoices/?side=customer", False)
    assert entries["Supplier invoices"] == ("/accounting/invoices/?side=supplier", True)
    assert entries["Payments"] == ("/accounting/payments/", False)


def test_the_side_filter_lists_only_that_sides_invoices(manager_web, posted_invoice):
    customer = manager_web.get(reverse("accounting:invoice_list") + "?side=customer")
    supplier = manager_web.get(reverse("accounting:invoice_list") + "?side=supplier")

    assert [row[0] for row in customer.context["rows"]] == [posted_invoice]
    assert supplier.context["rows"] == []


def test_the_receivables_due_card_sums_the_overdue_residuals(manager_web, posted_invoice):
    Invoice.objects.filter(pk=posted_invoice.pk).update(due_on=D(2026, 1, 1))  # long past due

    cards = manager_web.get(reverse("home")).context["cards"]

    card = next(card for card in cards if card["title"] == "Receivables due")
    assert card["value"] == "CNY 226.00"

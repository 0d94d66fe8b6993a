"""Fixtures of the invoice and payment screens' tests: ACME's books from the cn_enterprise chart (the
API tests' `books`), signed-in clients, form bodies, and invoices made through the services."""

from decimal import Decimal

import pytest

from tessera.accounting.services.invoices import invoice_create, invoice_post
from tessera.accounting.tests.api_documents.conftest import books  # noqa: F401 (the API tests' books serve here too)
from tessera.accounting.tests.factories import D
from tessera.core import context
from tessera.core.tests.views.conftest import client_for, sales_web, salesperson  # noqa: F401


@pytest.fixture
def manager_web(client_for, accountant):  # noqa: F811
    """ACME's accounting manager, signed in."""
    return client_for(accountant)


def invoice_form(books, lines, **header) -> dict:  # noqa: F811
    """The POST body of the invoice form: header, the lines formset's management form and its lines."""
    data = {"kind": "customer_invoice", "partner": books.customer.pk, "date": "2026-03-15", "due_on": "",
            "payment_term": "", "currency": "", "reference": "PO-7781", "description": "", "tax_rounding": "line",
            "version": "", "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "500", **header}
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value.pk if hasattr(value, "pk") else value
    return data


def paper_and_binding(books) -> list[dict]:  # noqa: F811
    """2 x 100.00 paper and 1 x 50.00 binding, both at 13 % output VAT: 250.00 + 32.50 = 282.50."""
    return [{"description": "Paper A4", "account": books.revenue, "quantity": "2", "unit_price": "100.00",
             "discount": "0", "taxes": books.output_vat},
            {"description": "Binding", "account": books.revenue, "quantity": "1", "unit_price": "50.00",
             "discount": "0", "taxes": books.output_vat}]


def payment_form(books, amount, allocations=None, **header) -> dict:  # noqa: F811
    """The POST body of the payment form; `allocations` maps invoice pk -> amount typed."""
    data = {"kind": "inbound", "partner": books.customer.pk, "journal": books.bank_journal.pk, "date": "2026-03-20",
            "amount": amount, "currency": "", "reference": "", "description": "", "writeoff_account": "",
            "writeoff_amount": "", "version": "", **header}
    for pk, value in (allocations or {}).items():
        data[f"allocation-{pk}"] = value
    return data


@pytest.fixture
def posted_invoice(books, accountant):  # noqa: F811
    """A posted customer invoice of 2 x 100.00 at 13 %: 226.00, dated 2026-03-15, due 2026-04-14."""
    with context.acting(user=accountant, channel="ui"):
        invoice = invoice_create(actor=accountant, company=books.company,
                                 data={"kind": "customer_invoice", "partner": books.customer, "date": D(2026, 3, 15)},
                                 lines=[{"description": "Paper A4", "account": books.revenue,
                                         "quantity": Decimal("2"), "unit_price": Decimal("100.00"),
                                         "taxes": [books.output_vat]}])
        return invoice_post(actor=accountant, invoice=invoice)

"""The invoice form: header and lines saved through invoice_create, line errors on their cells, Save and post."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.accounting.models import Invoice, InvoiceLine

from .conftest import invoice_form, paper_and_binding

pytestmark = pytest.mark.django_db


def test_the_new_invoice_form_starts_with_two_blank_lines_and_today(manager_web, books):
    response = manager_web.get(reverse("accounting:invoice_create") + "?side=supplier")

    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 2
    assert response.context["form"]["kind"].value() == "supplier_invoice"
    assert 'id="tax-rates"' in response.content.decode()


def test_saving_two_lines_creates_a_draft_with_its_totals(manager_web, books):
    response = manager_web.post(reverse("accounting:invoice_create"),
                                invoice_form(books, paper_and_binding(books) + [{}]))

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounting:invoice_detail", args=[invoice.pk])
    assert (invoice.state, invoice.number, invoice.partner, invoice.reference) == (
        "draft", None, books.customer, "PO-7781")
    assert (invoice.total_untaxed, invoice.total_tax, invoice.total) == (
        Decimal("250.00"), Decimal("32.50"), Decimal("282.50"))
    assert [(line.description, line.quantity, line.subtotal, [tax.pk for tax in line.taxes.all()])
            for line in invoice.lines.order_by("sequence")] == [
        ("Paper A4", Decimal("2.0000"), Decimal("200.00"), [books.output_vat.pk]),
        ("Binding", Decimal("1.0000"), Decimal("50.00"), [books.output_vat.pk]),
    ]


def test_a_line_with_quantity_zero_shows_the_error_on_that_line_and_writes_nothing(manager_web, books):
    lines = paper_and_binding(books)
    lines[1]["quantity"] = "0"

    response = manager_web.post(reverse("accounting:invoice_create"), invoice_form(books, lines))

    assert response.status_code == 200
    forms = response.context["lines"].forms
    assert forms[0].errors == {}
    assert list(forms[1].errors) == ["quantity"]
    assert 'data-testid="line-quantity-error"' in response.content.decode()
    assert Invoice.objects.count() == 0
    assert InvoiceLine.objects.count() == 0


def test_a_filled_line_without_an_account_is_refused_on_its_cell(manager_web, books):
    lines = paper_and_binding(books)
    lines[0]["account"] = ""

    response = manager_web.post(reverse("accounting:invoice_create"), invoice_form(books, lines))

    assert response.context["lines"].forms[0].errors == {"account": ["Choose the account."]}
    assert Invoice.objects.count() == 0


def test_save_and_post_posts_the_invoice_with_its_number(manager_web, books):
    response = manager_web.post(reverse("accounting:invoice_create"),
                                invoice_form(books, paper_and_binding(books), post="1"))

    invoice = Invoice.objects.get()
    assert invoice.state == "posted"
    assert invoice.number.startswith("INV-2026-")
    assert invoice.entry is not None
    assert response["Location"] == reverse("accounting:invoice_detail", args=[invoice.pk])
    page = manager_web.get(response["Location"]).content.decode()
    assert f"Invoice {invoice.number} is posted." in page


def test_editing_a_draft_replaces_its_lines(manager_web, books):
    manager_web.post(reverse("accounting:invoice_create"), invoice_form(books, paper_and_binding(books)))
    invoice = Invoice.objects.get()

    response = manager_web.post(reverse("accounting:invoice_update", args=[invoice.pk]),
                                invoice_form(books, paper_and_binding(books)[:1], version=str(invoice.version)))

    invoice.refresh_from_db()
    assert response.status_code == 302
    assert (invoice.lines.count(), invoice.total) == (1, Decimal("226.00"))


def test_a_posted_invoice_is_not_edited(manager_web, posted_invoice):
    response = manager_web.get(reverse("accounting:invoice_update", args=[posted_invoice.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounting:invoice_detail", args=[posted_invoice.pk])


def test_a_line_with_only_a_product_takes_its_defaults(manager_web, books):
    from tessera.accounting.tests.api_documents.test_invoice_products import make_pen

    pen = make_pen(books)
    response = manager_web.post(reverse("accounting:invoice_create"), invoice_form(
        books, [{"product": pen, "quantity": "4", "discount": "0"}]))

    assert response.status_code == 302, response.context and response.context["lines"].errors
    line = Invoice.objects.get().lines.get()
    assert (line.description, line.account, line.uom, line.unit_price, line.subtotal) == (
        "签字笔", books.revenue, pen.uom, Decimal("2.500000"), Decimal("10.00"))
    assert list(line.taxes.all()) == [books.output_vat]

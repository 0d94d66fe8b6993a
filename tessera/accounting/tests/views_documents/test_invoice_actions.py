"""Invoice actions from the detail page: post, cancel, credit note, delete; the detail and print pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.accounting.models import Invoice

from .conftest import invoice_form, paper_and_binding

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(manager_web, books):
    manager_web.post(reverse("accounting:invoice_create"), invoice_form(books, paper_and_binding(books)))
    return Invoice.objects.get()


def test_posting_a_draft_from_its_page_gives_it_a_number(manager_web, draft):
    response = manager_web.post(reverse("accounting:invoice_post", args=[draft.pk]))

    draft.refresh_from_db()
    assert response["Location"] == reverse("accounting:invoice_detail", args=[draft.pk])
    assert draft.state == "posted"
    assert draft.number.startswith("INV-2026-")


def test_cancelling_a_posted_unpaid_invoice_leaves_it_cancelled(manager_web, posted_invoice):
    response = manager_web.post(reverse("accounting:invoice_cancel", args=[posted_invoice.pk]))

    posted_invoice.refresh_from_db()
    assert response.status_code == 302
    assert posted_invoice.state == "cancelled"
    assert posted_invoice.credit_notes.count() == 1


def test_a_credit_note_is_made_as_a_draft_and_opened_for_editing(manager_web, posted_invoice):
    response = manager_web.post(reverse("accounting:invoice_credit_note", args=[posted_invoice.pk]))

    note = posted_invoice.credit_notes.get()
    assert (note.kind, note.state, note.total) == ("customer_credit", "draft", Decimal("226.00"))
    assert response["Location"] == reverse("accounting:invoice_update", args=[note.pk])


def test_deleting_a_draft_removes_it(manager_web, draft):
    response = manager_web.post(reverse("accounting:invoice_delete", args=[draft.pk]))

    assert response["Location"] == reverse("accounting:invoice_list")
    assert Invoice.objects.count() == 0


def test_the_detail_shows_totals_tax_per_rate_the_entry_and_the_actions(manager_web, posted_invoice):
    response = manager_web.get(reverse("accounting:invoice_detail", args=[posted_invoice.pk]))

    page = response.content.decode()
    assert [item["amount"] for item in response.context["tax_summary"]] == [Decimal("26.00")]
    assert reverse("accounting:journalentry_detail", args=[posted_invoice.entry_id]) in page
    assert [action["label"] for action in response.context["actions"]] == [
        "Register payment", "Create credit note", "Cancel", "Print"]
    assert 'data-testid="residual">226.00' in page


def test_the_print_page_shows_the_invoice_number_and_total(manager_web, posted_invoice):
    response = manager_web.get(reverse("accounting:invoice_print", args=[posted_invoice.pk]))

    page = response.content.decode()
    assert posted_invoice.number in page
    assert 'data-testid="print-total">226.00' in page


def test_the_print_page_comes_as_a_pdf(manager_web, posted_invoice):
    response = manager_web.get(reverse("accounting:invoice_print", args=[posted_invoice.pk]), {"format": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="invoice-{posted_invoice.number}.pdf"'

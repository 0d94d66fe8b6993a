"""The approver a document waits for may open it read-only, though their roles do not let them see its
kind (core.permissions.check_view with the grant approvals registers): the purchasing manager approving
a supplier invoice sees its page and API item, cannot change or post it, and loses access once decided."""

import pytest
from django.urls import reverse

from tessera.accounting.models import Invoice
from tessera.approvals.services import approval_approve, approval_reject, approval_submit, approval_withdraw
from tessera.core.permissions import check, check_view

from .test_posting_needs_approval import bill

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(books, bill_rule, approver):
    """A 67,800.00 supplier bill waiting for the purchasing manager (who may not view invoices by role)."""
    invoice = bill(books)
    request = approval_submit(actor=books.actor, document=invoice)
    assert not check(approver, "accounting.view_invoice", books.company)
    return invoice, request


def page(invoice) -> str:
    return reverse("accounting:invoice_detail", args=[invoice.pk])


def test_the_waiting_approver_opens_the_invoice_page_read_only(waiting, approver, client_for):
    invoice, request = waiting

    response = client_for(approver).get(page(invoice))

    assert response.status_code == 200
    html = response.content.decode()
    assert invoice.partner.name in html and "67,800.00" in html
    assert f'action="/approvals/requests/{request.pk}/approve/"' in html
    assert reverse("accounting:invoice_update", args=[invoice.pk]) not in html
    assert reverse("accounting:invoice_post", args=[invoice.pk]) not in html


def test_the_waiting_approver_reads_the_api_item_but_not_the_list(waiting, approver, api_client_for):
    invoice, _request = waiting
    api = api_client_for(approver)

    item = api.get(f"/api/v1/accounting/invoices/{invoice.pk}/")
    listing = api.get("/api/v1/accounting/invoices/")

    assert (item.status_code, item.json()["id"], item.json()["total"]) == (200, invoice.pk, "67800.00")
    assert (listing.status_code, listing.json()["error"]["code"]) == (403, "permission_denied")


def test_the_waiting_approver_cannot_edit_or_post(waiting, approver, client_for, api_client_for):
    invoice, _request = waiting
    web, api = client_for(approver), api_client_for(approver)

    edit_page = web.get(reverse("accounting:invoice_update", args=[invoice.pk]))
    posted_page = web.post(reverse("accounting:invoice_post", args=[invoice.pk]))
    patched = api.patch(f"/api/v1/accounting/invoices/{invoice.pk}/", {"reference": "X"}, format="json")
    posted = api.post(f"/api/v1/accounting/invoices/{invoice.pk}/post/")

    assert (edit_page.status_code, posted_page.status_code) == (403, 403)
    assert (patched.status_code, posted.status_code) == (403, 403)
    assert patched.json()["error"]["code"] == "permission_denied"
    invoice.refresh_from_db()
    assert (invoice.state, invoice.reference, invoice.number) == ("draft", "", None)


@pytest.mark.parametrize("decide", ["approve", "reject", "withdraw"])
def test_access_ends_when_the_request_no_longer_waits_for_them(waiting, approver, books, client_for,
                                                               api_client_for, decide):
    invoice, request = waiting
    if decide == "approve":
        approval_approve(actor=approver, request=request)
    elif decide == "reject":
        approval_reject(actor=approver, request=request, comment="Too dear")
    else:
        approval_withdraw(actor=books.actor, request=request)

    assert client_for(approver).get(page(invoice)).status_code == 403
    assert api_client_for(approver).get(f"/api/v1/accounting/invoices/{invoice.pk}/").status_code == 403
    assert not check_view(approver, invoice)


def test_someone_the_request_does_not_wait_for_is_refused(waiting, make_user, client_for, api_client_for):
    invoice, _request = waiting
    outsider = make_user("salesperson", username="sam")

    assert client_for(outsider).get(page(invoice)).status_code == 403
    assert api_client_for(outsider).get(f"/api/v1/accounting/invoices/{invoice.pk}/").status_code == 403


def test_a_bill_without_a_waiting_request_stays_closed(books, bill_rule, approver, client_for):
    invoice = bill(books)

    assert client_for(approver).get(page(invoice)).status_code == 403
    assert Invoice.objects.filter(pk=invoice.pk, state="draft").exists()

"""Invoices and payments an approval rule applies to are posted only once approved (409
`approval_required` before, nothing written), in the services, the API and on the document's page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.accounting.models import Invoice, JournalEntry
from tessera.accounting.services.invoices import invoice_post, invoice_update
from tessera.accounting.services.payments import payment_post
from tessera.approvals.services import approval_approve, approval_submit
from tessera.approvals.tests.factories import RuleFactory, StepFactory, role
from tessera.core.services.currency import exchange_rate_set
from tessera.core.tests.factories import currency

from ...tests.documents.conftest import D

pytestmark = pytest.mark.django_db


def bill(books, price="60000.00", **data):
    """A draft supplier invoice of `price` plus 13 % input VAT."""
    return books.invoice((price, 1), kind="supplier_invoice", post=False, **data)


def test_a_bill_over_the_threshold_posts_only_once_approved(books, bill_rule, approver):
    invoice = bill(books)  # 60,000.00 + 7,800.00 VAT = 67,800.00

    with pytest.raises(Exception) as raised:
        invoice_post(actor=books.actor, invoice=invoice)
    assert (raised.value.code, raised.value.status) == ("approval_required", 409)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.number, invoice.entry_id) == ("draft", None, None)
    assert JournalEntry.objects.filter(source=f"accounting.invoice:{invoice.pk}").count() == 0

    request = approval_submit(actor=books.actor, document=invoice)
    assert (request.amount, [step.level for step in request.steps.all()]) == (Decimal("67800.00"), [1])
    approval_approve(actor=approver, request=request)
    posted = invoice_post(actor=books.actor, invoice=invoice)

    assert (posted.state, posted.number) == ("posted", "BILL-2026-00001")


def test_a_bill_over_200000_needs_both_levels(books, bill_rule, approver, make_user):
    finance = make_user("accounting_manager", username="fm1")
    invoice = bill(books, "200000.00")
    request = approval_submit(actor=books.actor, document=invoice)
    approval_approve(actor=approver, request=request)

    with pytest.raises(Exception) as raised:
        invoice_post(actor=books.actor, invoice=invoice)
    assert raised.value.code == "approval_required"
    approval_approve(actor=finance, request=request)

    assert invoice_post(actor=books.actor, invoice=invoice).state == "posted"


def test_small_bills_and_customer_invoices_are_not_affected(books, bill_rule):
    assert invoice_post(actor=books.actor, invoice=bill(books, "40000.00")).state == "posted"
    assert books.invoice(("90000.00", 1)).state == "posted"  # a customer invoice: the rule names supplier invoices


def test_a_foreign_bill_is_measured_in_company_currency(books, bill_rule, approver):
    usd = currency("USD")
    exchange_rate_set(currency=usd, quote=books.company.base_currency, on=D(2026, 3, 1), rate=Decimal("7.1000"))
    invoice = bill(books, "8000.00", currency=usd)  # USD 9,040.00 = CNY 64,184.00

    request = approval_submit(actor=books.actor, document=invoice)

    assert (request.amount, request.currency.code) == (Decimal("64184.00"), "CNY")
    assert "USD 9,040.00" in request.summary


def test_changing_an_approved_draft_needs_approval_again(books, bill_rule, approver):
    invoice = bill(books)
    approval_approve(actor=approver, request=approval_submit(actor=books.actor, document=invoice))

    invoice_update(actor=books.actor, invoice=invoice, data={}, lines=[
        {"description": "More", "account": books.expense, "quantity": "1", "unit_price": "70000.00",
         "taxes": [books.input13]}])

    with pytest.raises(Exception) as raised:
        invoice_post(actor=books.actor, invoice=invoice)
    assert raised.value.code == "approval_required"
    assert "has changed since" in str(raised.value.message)


def test_an_outbound_payment_posts_only_once_approved(books, disbursement_rule, approver):
    payment = books.payment("5000.00", kind="outbound", post=False)

    with pytest.raises(Exception) as raised:
        payment_post(actor=books.actor, payment=payment)
    assert raised.value.code == "approval_required"
    approval_approve(actor=approver, request=approval_submit(actor=books.actor, document=payment))

    assert payment_post(actor=books.actor, payment=payment).state == "posted"


def test_receipts_are_never_held_for_approval(books, disbursement_rule):
    assert books.payment("5000.00", kind="inbound").state == "posted"


def test_a_rule_on_the_partner(books, company, approver):
    rule = RuleFactory(company=company, name="Risky supplier", document_type="accounting.invoice")
    from tessera.approvals.tests.factories import ConditionFactory

    ConditionFactory(rule=rule, field="partner", operator="in", value=books.supplier.code.lower())
    StepFactory(rule=rule, role=role("purchasing_manager"))

    with pytest.raises(Exception) as raised:
        invoice_post(actor=books.actor, invoice=bill(books, "10.00"))
    assert raised.value.code == "approval_required"
    assert books.invoice(("10.00", 1)).state == "posted"  # another partner


# --- API and screens ---------------------------------------------------------------------------------------

def test_the_api_answers_409_then_posts_after_the_generic_approval(books, bill_rule, approver, api_client_for):
    invoice = bill(books)
    clerk, manager = api_client_for(books.actor), api_client_for(approver)

    refused = clerk.post(f"/api/v1/accounting/invoices/{invoice.pk}/post/")
    submitted = clerk.post("/api/v1/approvals/requests/", {"document": f"accounting.invoice:{invoice.pk}"},
                           format="json")
    inbox = manager.get("/api/v1/approvals/inbox/").json()["results"]
    approved = manager.post(f"/api/v1/approvals/requests/{submitted.json()['id']}/approve/", {}, format="json")
    posted = clerk.post(f"/api/v1/accounting/invoices/{invoice.pk}/post/")

    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "approval_required")
    assert submitted.status_code == 201
    assert [row["document"] for row in inbox] == [f"accounting.invoice:{invoice.pk}"]
    assert approved.json()["state"] == "approved"
    assert (posted.status_code, posted.json()["state"]) == (200, "posted")


def test_the_invoice_page_shows_the_approval_panel(books, bill_rule, make_user, client_for):
    from tessera.core.views import generic

    if not hasattr(generic, "render_panels"):
        pytest.skip("core's record pages do not render panels in this tree")
    approver = make_user("purchasing_manager", "accountant", username="pm_books")  # may open invoices
    invoice = bill(books)
    url = reverse("accounting:invoice_detail", args=[invoice.pk])

    before = client_for(books.actor).get(url).content.decode()
    request = approval_submit(actor=books.actor, document=invoice)
    for_approver = client_for(approver).get(url).content.decode()

    assert 'data-testid="approval-panel"' in before and 'data-testid="submit-approval"' in before
    assert 'data-testid="decide-form"' in for_approver
    assert f'action="/approvals/requests/{request.pk}/approve/"' in for_approver


def test_posting_from_the_page_is_refused_with_the_reason(books, bill_rule, client_for):
    invoice = bill(books)

    response = client_for(books.actor).post(reverse("accounting:invoice_post", args=[invoice.pk]), follow=True)

    assert "submit it for approval first" in response.content.decode()
    assert Invoice.objects.get(pk=invoice.pk).state == "draft"

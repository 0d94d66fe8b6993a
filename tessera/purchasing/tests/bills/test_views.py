"""Bill screens: billing an order from its page, the match screen and the panel on the accounting invoice
page (differences highlighted, approve), linking a free-entered bill, the bills to match, the payment
proposal (tick and pay); permissions."""

import pytest
from django.urls import reverse

from tessera.accounting.models import Invoice
from tessera.accounting.services.invoices import invoice_create
from tessera.core.context import acting
from tessera.core.tests.views.conftest import client_for  # noqa: F401

from ..conftest import TODAY, dec
from .conftest import bill, line_of, post, received_widgets
from .test_services_bills import set_price

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant_web(client_for, p):  # noqa: F811
    return client_for(p.accountant)


@pytest.fixture
def manager_web(client_for, p):  # noqa: F811
    return client_for(p.manager)


def test_bill_from_the_order_page_opens_the_draft_bill(accountant_web, p):
    order = received_widgets(p)

    response = accountant_web.post(reverse("purchasing:order_bill", args=[order.pk]))

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accounting:invoice_detail", args=[invoice.pk])
    assert (invoice.state, invoice.total) == ("draft", dec("678.00"))
    page = accountant_web.get(response.url).content.decode()
    assert 'data-testid="bill-match-panel"' in page and "Matched" in page
    again = accountant_web.post(reverse("purchasing:order_bill", args=[order.pk]))
    assert again.url == reverse("purchasing:order_detail", args=[order.pk])
    assert Invoice.objects.count() == 1


def test_billing_needs_the_permission(client_for, p):  # noqa: F811
    order = received_widgets(p)
    response = client_for(p.clerk).post(reverse("purchasing:order_bill", args=[order.pk]))
    assert response.status_code == 403
    assert not Invoice.objects.exists()


def test_the_match_screen_highlights_the_difference_and_a_manager_approves(accountant_web, manager_web, p):
    order = received_widgets(p)
    invoice = set_price(p, bill(p, order), unit_price="70")
    url = reverse("purchasing:bill_match", args=[invoice.pk])

    page = accountant_web.get(url).content.decode()

    assert 'data-testid="match-differences"' in page and "table-warning" in page
    assert "billed at 70.00 CNY a unit, ordered at 60.00" in page
    assert 'data-testid="approve-match"' in page  # the accountant may approve, though not their own bill
    refused = accountant_web.post(reverse("purchasing:bill_match_approve", args=[invoice.pk]), {"note": "x"},
                                  follow=True)
    assert "segregation of duties" in refused.content.decode()

    response = manager_web.post(reverse("purchasing:bill_match_approve", args=[invoice.pk]),
                                {"note": "agreed by phone", "next": url})

    assert response.status_code == 302 and response.url == url
    assert "Mismatch approved" in manager_web.get(url).content.decode()
    post(p, invoice)
    assert p.balance("220202") == 0


def test_link_a_free_entered_bill_on_the_match_screen(accountant_web, p):
    order = received_widgets(p)
    with acting(user=p.accountant):
        invoice = invoice_create(actor=p.accountant, company=p.company, data={
            "kind": "supplier_invoice", "partner": p.s1.pk, "date": TODAY},
            lines=[{"product": p.widget.pk, "quantity": "10", "uom": p.box.pk, "unit_price": "60"}])
    line = invoice.lines.get()
    url = reverse("purchasing:bill_match", args=[invoice.pk])
    page = accountant_web.get(url).content.decode()
    assert f'name="order_line-{line.pk}"' in page and "Not linked to an order" in page

    response = accountant_web.post(reverse("purchasing:bill_match_link", args=[invoice.pk]),
                                   {f"order_line-{line.pk}": line_of(order, p.widget).pk})

    assert response.status_code == 302
    assert 'data-testid="match-state">Matched' in accountant_web.get(url).content.decode()


def test_bills_to_match_lists_draft_bills_with_their_state(accountant_web, p):
    first = bill(p, received_widgets(p))
    second = set_price(p, bill(p, received_widgets(p, boxes="2")), unit_price="90")

    page = accountant_web.get(reverse("purchasing:bills_to_match")).content.decode()
    assert str(first) in page and str(second) in page
    only = accountant_web.get(reverse("purchasing:bills_to_match"), {"show": "mismatch"}).content.decode()
    assert str(second) in only and str(first) not in only


def test_payment_proposal_tick_and_pay(accountant_web, p):
    order = received_widgets(p)
    invoice = post(p, bill(p, order))
    url = reverse("purchasing:payment_proposal")

    page = accountant_web.get(url, {"due_by": "2026-04-30"}).content.decode()
    assert invoice.number in page and 'data-testid="pay-proposal"' in page
    assert invoice.number not in accountant_web.get(url, {"due_by": "2026-03-31"}).content.decode()

    response = accountant_web.post(url, {"due_by": "2026-04-30", "invoice": [invoice.pk],
                                         "journal": p.bank_journal.pk, "date": "2026-04-01"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert p.balance("1002") == dec("-678.00") and p.balance("220201") == 0
    order.refresh_from_db()
    assert order.state == "closed"
    empty = accountant_web.post(url, {"due_by": "2026-04-30", "journal": p.bank_journal.pk})
    assert empty.status_code == 400 and 'data-testid="proposal-errors"' in empty.content.decode()


def test_payment_proposal_needs_the_payment_permission(client_for, p):  # noqa: F811
    assert client_for(p.purchaser).get(reverse("purchasing:payment_proposal")).status_code == 403

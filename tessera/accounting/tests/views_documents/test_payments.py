"""Registering payments in the web UI: allocation to invoices (paid, partially paid), later allocation,
cancellation, and the htmx allocation section."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.accounting.models import Payment, PaymentAllocation
from tessera.accounting.services.payments import payment_create, payment_post
from tessera.accounting.tests.factories import D

from .conftest import payment_form

pytestmark = pytest.mark.django_db


def test_register_payment_opens_the_form_prefilled_from_the_invoice(manager_web, books, posted_invoice):
    response = manager_web.get(reverse("accounting:payment_create") + f"?invoice={posted_invoice.pk}&kind=inbound")

    form = response.context["form"]
    assert response.status_code == 200
    assert (form["partner"].value(), form["amount"].value(), form["kind"].value()) == (
        books.customer.pk, Decimal("226.00"), "inbound")
    assert [(row["invoice"], row["amount"]) for row in response.context["rows"]] == [
        (posted_invoice, Decimal("226.00"))]


def test_a_payment_allocated_in_full_and_posted_leaves_the_invoice_paid(manager_web, books, posted_invoice):
    response = manager_web.post(reverse("accounting:payment_create"),
                                payment_form(books, "226.00", {posted_invoice.pk: "226.00"}, post="1"))

    payment = Payment.objects.get()
    posted_invoice.refresh_from_db()
    assert response["Location"] == reverse("accounting:payment_detail", args=[payment.pk])
    assert payment.state == "posted"
    assert (posted_invoice.state, posted_invoice.amount_paid) == ("paid", Decimal("226.00"))


def test_a_partial_payment_leaves_the_invoice_partially_paid(manager_web, books, posted_invoice):
    manager_web.post(reverse("accounting:payment_create"),
                     payment_form(books, "100.00", {posted_invoice.pk: "100.00"}, post="1"))

    posted_invoice.refresh_from_db()
    assert (posted_invoice.state, posted_invoice.amount_paid, posted_invoice.residual) == (
        "partially_paid", Decimal("100.00"), Decimal("126.00"))


def test_an_over_allocation_shows_the_error_on_the_invoice_row_and_writes_nothing(manager_web, books,
                                                                                 posted_invoice):
    response = manager_web.post(reverse("accounting:payment_create"),
                                payment_form(books, "300.00", {posted_invoice.pk: "300.00"}))

    assert response.status_code == 200
    assert response.context["rows"][0]["error"]
    assert 'data-testid="allocation-error"' in response.content.decode()
    assert Payment.objects.count() == 0
    assert PaymentAllocation.objects.count() == 0


def test_a_bad_number_in_an_allocation_is_refused_before_the_service(manager_web, books, posted_invoice):
    response = manager_web.post(reverse("accounting:payment_create"),
                                payment_form(books, "100.00", {posted_invoice.pk: "12x"}))

    assert response.context["rows"][0]["error"] == "Enter a number."
    assert Payment.objects.count() == 0


def test_the_allocation_section_loads_the_partners_open_invoices_for_htmx(manager_web, books, posted_invoice):
    response = manager_web.get(reverse("accounting:payment_create"),
                               {"partial": "allocations", "partner": books.customer.pk, "kind": "inbound"},
                               HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert [row["invoice"] for row in response.context["rows"]] == [posted_invoice]
    assert response.content.decode().lstrip().startswith("<div id=\"allocations\"")


def test_a_prepayment_is_allocated_later_to_the_invoice(manager_web, books, posted_invoice, accountant):
    prepayment = payment_post(actor=accountant, payment=payment_create(
        actor=accountant, company=books.company, allocations=[],
        data={"kind": "inbound", "partner": books.customer, "journal": books.bank_journal, "date": D(2026, 3, 20),
              "amount": Decimal("500.00")}))

    response = manager_web.post(reverse("accounting:payment_allocate", args=[prepayment.pk]),
                                {f"allocation-{posted_invoice.pk}": "226.00"})

    posted_invoice.refresh_from_db()
    assert response["Location"] == reverse("accounting:payment_detail", args=[prepayment.pk])
    assert posted_invoice.state == "paid"
    assert prepayment.allocations.get().amount == Decimal("226.00")


def test_cancelling_a_posted_payment_opens_the_invoice_again(manager_web, books, posted_invoice):
    manager_web.post(reverse("accounting:payment_create"),
                     payment_form(books, "226.00", {posted_invoice.pk: "226.00"}, post="1"))
    payment = Payment.objects.get()

    manager_web.post(reverse("accounting:payment_cancel", args=[payment.pk]))

    payment.refresh_from_db()
    posted_invoice.refresh_from_db()
    assert payment.state == "cancelled"
    assert (posted_invoice.state, posted_invoice.amount_paid) == ("posted", Decimal("0.00"))

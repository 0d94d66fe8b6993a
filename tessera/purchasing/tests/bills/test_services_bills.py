"""Bills from orders and the three-way match: exact ledger balances after posting, tolerances, mismatches
that block posting until approved, foreign currency, free-entered bills, cancellation."""

import pytest

from tessera.accounting.models import Invoice, JournalEntry
from tessera.accounting.services.invoices import invoice_cancel, invoice_create, invoice_update
from tessera.core.context import acting
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.models import ExchangeRate
from tessera.purchasing.models import BillLine, BillMatch
from tessera.purchasing.services.bills import bill_link
from tessera.purchasing.services.matching import BillMismatch, bill_match_approve, bill_match_check

from ..conftest import TODAY, D, dec
from .conftest import bill, confirmed_order, line_of, post, receive, received_widgets, tolerances

pytestmark = pytest.mark.django_db

VAT = "22210101"


def set_price(p, invoice, unit_price=None, quantity=None):
    """Change the draft bill's only line through accounting (which replaces the lines)."""
    line = invoice.lines.get()
    spec = {"product": line.product_id, "description": line.description, "account": line.account_id,
            "quantity": str(quantity or line.quantity), "uom": line.uom_id,
            "unit_price": str(unit_price or line.unit_price), "taxes": [tax.pk for tax in line.taxes.all()]}
    return invoice_update(actor=p.accountant, invoice=invoice, data={}, lines=[spec])


def test_bill_of_a_received_order_clears_grir_and_books_vat_and_payable(p):
    order = received_widgets(p)
    assert p.balance("220202") == dec("-600.00")

    invoice = bill(p, order, reference="SUP-778")

    assert (invoice.state, invoice.kind, invoice.total_untaxed, invoice.total) == (
        "draft", "supplier_invoice", dec("600.00"), dec("678.00"))
    line = invoice.lines.get()
    assert (line.quantity, line.uom, line.unit_price, line.account.code) == (dec(10), p.box, dec(60), "220202")
    assert BillLine.objects.get(invoice=invoice).order_line == line_of(order, p.widget)

    post(p, invoice)

    assert p.balance("220202") == dec("0.00")
    assert p.balance("220201") == dec("-678.00")
    assert p.balance("2202") == dec("-678.00")
    assert p.balance(VAT) == dec("78.00")
    assert p.balance("1405") == dec("600.00")
    order.refresh_from_db()
    assert order.state == "billed"
    assert line_of(order, p.widget).quantity_billed == dec(10)
    assert BillMatch.objects.get(invoice=invoice).state == "matched"


def test_nothing_to_bill_is_refused(p):
    order = confirmed_order(p, {"product": p.widget, "quantity": "10", "unit_price": "60"})
    with pytest.raises(InvalidState):
        bill(p, order)
    receive(p, order, {p.widget: "4"})
    order.refresh_from_db()
    bill(p, order)
    with pytest.raises(InvalidState):  # the 4 received are on the draft bill
        bill(p, order)
    assert Invoice.objects.count() == 1


def test_billing_needs_the_permission(p):
    order = received_widgets(p)
    with pytest.raises(PermissionDenied):
        bill(p, order, actor=p.employee)
    assert not Invoice.objects.exists()


def test_higher_price_within_tolerance_goes_to_the_price_difference_account(p, price_difference):
    tolerances(p, price_tolerance_percent="10")
    order = received_widgets(p)
    invoice = set_price(p, bill(p, order), unit_price="63")

    assert BillLine.objects.get(invoice=invoice).invoice_line is None  # the lines were replaced
    assert bill_match_check(invoice).state == "matched"
    assert BillLine.objects.get(invoice=invoice).invoice_line == invoice.lines.get()  # tied again
    post(p, invoice)

    assert p.balance("220202") == dec("0.00")
    assert p.balance("6402") == dec("30.00")
    assert p.balance(VAT) == dec("81.90")
    assert p.balance("220201") == dec("-711.90")


def test_price_beyond_tolerance_refuses_posting_and_writes_nothing(p):
    tolerances(p, price_tolerance_percent="5")
    order = received_widgets(p)
    invoice = set_price(p, bill(p, order), unit_price="70")
    entries = JournalEntry.objects.count()

    with pytest.raises(BillMismatch) as raised:
        post(p, invoice)

    assert raised.value.code == "bill_mismatch" and raised.value.status == 409
    invoice.refresh_from_db()
    assert (invoice.state, invoice.number) == ("draft", None)
    assert JournalEntry.objects.count() == entries
    assert p.balance("220202") == dec("-600.00") and p.balance("220201") == 0
    assert line_of(order, p.widget).quantity_billed == 0
    kinds = [item["kind"] for item in bill_match_check(invoice).differences]
    assert kinds == ["price", "amount"]


def test_an_approved_mismatch_posts_but_not_approved_by_the_bills_creator(p):
    order = received_widgets(p)
    invoice = set_price(p, bill(p, order), unit_price="70")

    with pytest.raises(PermissionDenied):  # the accountant created the bill
        bill_match_approve(actor=p.accountant, invoice=invoice, note="ok")
    with pytest.raises(PermissionDenied):  # no permission
        bill_match_approve(actor=p.purchaser, invoice=invoice, note="ok")
    assert bill_match_check(invoice).state == "mismatch"

    match = bill_match_approve(actor=p.manager, invoice=invoice, note="new price list")

    assert (match.state, match.approved_by, match.approval_note) == ("approved", p.manager, "new price list")
    with pytest.raises(InvalidState):
        bill_match_approve(actor=p.manager, invoice=invoice)
    post(p, invoice)
    assert p.balance("220202") == dec("0.00")
    assert p.balance("6401") == dec("100.00")  # the category's expense account: no difference account set
    assert p.balance("220201") == dec("-791.00")


def test_a_change_after_approval_needs_a_new_approval(p):
    order = received_widgets(p)
    invoice = set_price(p, bill(p, order), unit_price="70")
    bill_match_approve(actor=p.manager, invoice=invoice)

    invoice = set_price(p, invoice, unit_price="75")

    with pytest.raises(BillMismatch):
        post(p, invoice)
    assert bill_match_check(invoice).state == "mismatch"


def test_billing_more_than_received_beyond_the_quantity_tolerance_is_a_mismatch(p):
    order = confirmed_order(p, {"product": p.widget, "quantity": "10", "unit_price": "60"})
    receive(p, order, {p.widget: "6"})
    order.refresh_from_db()
    invoice = set_price(p, bill(p, order), quantity="8")

    match = bill_match_check(invoice)
    assert match.state == "mismatch"
    assert match.differences[0]["kind"] == "quantity" and match.differences[0]["received"] == "6.0000"
    with pytest.raises(BillMismatch):
        post(p, invoice)

    tolerances(p, quantity_tolerance_percent="50")  # 9 allowed
    assert bill_match_check(invoice).state == "matched"


def test_matched_within_the_quantity_tolerance_posts_the_excess_to_grir(p):
    tolerances(p, quantity_tolerance_percent="50")
    order = confirmed_order(p, {"product": p.widget, "quantity": "10", "unit_price": "60"})
    receive(p, order, {p.widget: "6"})
    order.refresh_from_db()
    post(p, set_price(p, bill(p, order), quantity="8"))

    assert p.balance("220202") == dec("120.00")  # 2 boxes billed ahead of their receipt
    assert line_of(order, p.widget).quantity_billed == dec(8)


def test_usd_order_received_at_one_rate_and_billed_at_another(p):
    ExchangeRate.objects.create(currency=p.usd, quote_currency=p.company.base_currency, rate_on=D(2026, 3, 5),
                                rate=dec("7.2"))
    ExchangeRate.objects.create(currency=p.usd, quote_currency=p.company.base_currency, rate_on=D(2026, 3, 10),
                                rate=dec("7.3"))
    order = confirmed_order(p, {"product": p.widget, "quantity": "10", "unit_price": "10"}, partner=p.s2)
    assert order.currency == p.usd
    receive(p, order, {p.widget: "10"}, date=D(2026, 3, 5))
    assert p.balance("220202") == dec("-720.00")
    order.refresh_from_db()

    invoice = bill(p, order, date=D(2026, 3, 10))
    assert invoice.currency == p.usd and invoice.total == dec("113.00")
    post(p, invoice)

    assert p.balance("220202") == dec("0.00")
    assert p.balance("66030202") == dec("10.00")  # exchange loss: 100 USD at 7.3 against 7.2 on receipt
    assert p.balance(VAT) == dec("94.90")
    assert p.balance("220201") == dec("-824.90")


def test_a_free_entered_bill_linked_to_the_order(p):
    order = received_widgets(p)
    with acting(user=p.accountant):
        invoice = invoice_create(actor=p.accountant, company=p.company, data={
            "kind": "supplier_invoice", "partner": p.s1.pk, "date": TODAY, "reference": "FREE-1"},
            lines=[{"product": p.widget.pk, "quantity": "120", "uom": p.pcs.pk, "unit_price": "5"}])
    line = invoice.lines.get()
    assert line.account.code == "6401"
    assert bill_match_check(invoice) is None

    with pytest.raises(ValidationFailed) as raised:
        bill_link(actor=p.accountant, invoice=invoice, links=[{"invoice_line": line.pk, "order_line": 0}])
    assert "links.0.order_line" in raised.value.fields
    links = bill_link(actor=p.accountant, invoice=invoice,
                      links=[{"invoice_line": line.pk, "order_line": line_of(order, p.widget).pk}])
    assert [link.order_line.order for link in links] == [order]
    assert bill_match_check(invoice).state == "matched"

    post(p, invoice)

    assert p.balance("220202") == dec("0.00") and p.balance("6401") == 0
    assert p.balance("220201") == dec("-678.00")
    assert line_of(order, p.widget).quantity_billed == dec(10)  # 120 pcs = 10 boxes
    order.refresh_from_db()
    assert order.state == "billed"


def test_cancelling_a_posted_bill_gives_back_the_billed_quantity(p, price_difference):
    tolerances(p, price_tolerance_percent="10")
    order = received_widgets(p)
    invoice = post(p, set_price(p, bill(p, order), unit_price="63"))

    invoice_cancel(actor=p.accountant, invoice=invoice, date=TODAY)

    assert line_of(order, p.widget).quantity_billed == 0
    order.refresh_from_db()
    assert order.state == "received"
    assert p.balance("220202") == dec("-600.00")
    assert p.balance("6402") == 0 and p.balance(VAT) == 0 and p.balance("220201") == 0
    credit = Invoice.objects.get(kind="supplier_credit")
    assert BillLine.objects.get(invoice=credit).order_line == line_of(order, p.widget)
    assert bill(p, order).total == dec("678.00")  # billable again

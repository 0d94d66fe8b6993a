"""Returns after billing, split as in a real ERP: the warehouse sends the goods back (stock out, GR/IR debited),
accounting issues the supplier credit note afterwards (`return_credit`) — unless the one posting the return
may post invoices too."""

import pytest
from django.utils import timezone

from tessera.accounting.models import Invoice
from tessera.core.errors import InvalidState, PermissionDenied
from tessera.purchasing.models import BillLine, SupplierReturn
from tessera.purchasing.services.returns import awaiting_credit, is_awaiting_credit, return_credit, return_post

from ..conftest import TODAY, dec
from ..receipts.factories import line_of, on_hand
from .test_services import billed, draft_return, received_widgets

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_billing(p):
    """10 boxes received and billed (1,200.00 + 156.00 VAT), then 4 boxes sent back by the clerk."""
    order = received_widgets(p)
    bill = billed(p, order)
    supplier_return = return_post(actor=p.clerk, supplier_return=draft_return(p, order, boxes="4"))
    return order, bill, supplier_return


def test_the_clerk_sends_back_billed_goods_and_the_credit_note_waits(p, after_billing):
    from tessera.core.models import Notification
    from tessera.core.services.dispatch import events_dispatch

    order, _bill, posted = after_billing

    assert (posted.number, posted.state, posted.credit_note) == ("RTV-2026-00001", "done", None)
    assert on_hand(p, p.widget) == dec(72)
    assert p.balance("1405") == dec("720.00")
    assert p.balance("220202") == dec("480.00")
    assert p.balance("payable") == dec("-1356.00")
    assert p.balance("tax_input") == dec("156.00")
    assert not Invoice.objects.filter(kind="supplier_credit").exists()
    assert posted.lines.get().quantity_to_credit == dec(4)
    line = line_of(order, p.widget)
    assert (line.quantity_returned, line.quantity_billed) == (dec(4), dec(10))
    assert is_awaiting_credit(posted)
    assert list(awaiting_credit()) == [posted]
    events_dispatch()
    assert list(Notification.objects.filter(kind="purchasing.return.credit_pending")
                .values_list("user__username", "title")) == [
        ("accountant", "Return RTV-2026-00001 needs a supplier credit note")]


def test_the_accountant_issues_the_credit_note_that_offsets_the_bill(p, after_billing):
    order, bill, posted = after_billing

    credit = return_credit(actor=p.accountant, supplier_return=posted)

    posted.refresh_from_db()
    assert posted.credit_note == credit
    assert (credit.kind, credit.state, credit.credit_note_of, credit.reference) == (
        "supplier_credit", "paid", bill, "RTV-2026-00001")
    assert credit.date == max(TODAY, timezone.localdate())
    assert (credit.total_untaxed, credit.total_tax, credit.total) == (dec("480.00"), dec("62.40"), dec("542.40"))
    assert list(BillLine.objects.filter(invoice=credit).values_list("order_line", flat=True)) == [
        line_of(order, p.widget).pk]
    assert p.balance("220202") == 0
    assert p.balance("tax_input") == dec("93.60")
    assert p.balance("payable") == dec("-813.60")
    bill.refresh_from_db()
    assert (bill.state, bill.residual) == ("partially_paid", dec("813.60"))
    line = line_of(order, p.widget)
    assert (line.quantity_returned, line.quantity_billed, line.to_bill) == (dec(4), dec(6), 0)
    assert not is_awaiting_credit(posted) and not awaiting_credit().exists()


@pytest.mark.parametrize("who", ["clerk", "manager", "purchaser"])
def test_the_warehouse_and_purchasing_cannot_issue_it(p, after_billing, who):
    order, bill, posted = after_billing

    with pytest.raises(PermissionDenied):
        return_credit(actor=getattr(p, who), supplier_return=posted)

    posted.refresh_from_db()
    assert posted.credit_note is None and is_awaiting_credit(posted)
    assert not Invoice.objects.filter(kind="supplier_credit").exists()
    assert line_of(order, p.widget).quantity_billed == dec(10)
    assert p.balance("payable") == dec("-1356.00")


def test_a_return_is_credited_once(p, after_billing):
    _order, _bill, posted = after_billing
    return_credit(actor=p.accountant, supplier_return=posted)

    with pytest.raises(InvalidState):
        return_credit(actor=p.accountant, supplier_return=posted)

    assert Invoice.objects.filter(kind="supplier_credit").count() == 1
    assert p.balance("payable") == dec("-813.60")


def test_returns_not_billed_or_not_sent_need_no_credit_note(p):
    order = received_widgets(p)
    draft = draft_return(p, order, boxes="1")
    unbilled = return_post(actor=p.clerk, supplier_return=draft_return(p, order, boxes="2"))

    for supplier_return in (draft, unbilled):
        with pytest.raises(InvalidState):
            return_credit(actor=p.accountant, supplier_return=supplier_return)

    assert (unbilled.credit_note, unbilled.lines.get().quantity_to_credit) == (None, 0)
    assert not awaiting_credit().exists()
    assert not Invoice.objects.filter(kind="supplier_credit").exists()


def test_a_second_return_does_not_credit_what_waits_to_be_credited(p, after_billing, make_user):
    order, bill, first = after_billing
    returner = make_user("warehouse_clerk", "accountant", username="returner")

    second = return_post(actor=returner, supplier_return=draft_return(p, order, boxes="2"))
    first_credit = return_credit(actor=p.accountant, supplier_return=first)

    assert (second.lines.get().quantity_to_credit, second.credit_note.total_untaxed) == (dec(2), dec("240.00"))
    assert (first_credit.total_untaxed, first_credit.total) == (dec("480.00"), dec("542.40"))
    line = line_of(order, p.widget)
    assert (line.net_received, line.quantity_billed, line.to_bill) == (dec(4), dec(4), 0)
    assert on_hand(p, p.widget) == dec(48)
    assert p.balance("220202") == 0
    assert p.balance("payable") == dec("-542.40")
    bill.refresh_from_db()
    assert bill.residual == dec("542.40")
    assert list(SupplierReturn.objects.values_list("credit_note__total", flat=True).order_by("pk")) == [
        dec("542.40"), dec("271.20")]


def test_a_refund_issued_later_stays_open(p):
    order = received_widgets(p)
    bill = billed(p, order)
    posted = return_post(actor=p.clerk, supplier_return=draft_return(p, order, boxes="4", refund_method="refund"))

    credit = return_credit(actor=p.accountant, supplier_return=posted)

    assert (credit.state, credit.credit_note_of, credit.residual) == ("posted", None, dec("542.40"))
    assert p.balance("payable") == dec("-813.60")
    bill.refresh_from_db()
    assert bill.state == "posted"


def test_a_free_return_by_the_clerk_waits_for_its_credit_note(p):
    received_widgets(p)
    posted = return_post(actor=p.clerk, supplier_return=_free_return(p))

    assert (posted.credit_note, posted.lines.get().quantity_to_credit) == (None, dec(5))
    assert is_awaiting_credit(posted)
    credit = return_credit(actor=p.accountant, supplier_return=posted)
    assert (credit.total_untaxed, credit.credit_note_of) == (dec("50.00"), None)
    assert on_hand(p, p.widget) == dec(115)


def _free_return(p):
    from tessera.purchasing.services.returns import return_create

    return return_create(actor=p.clerk, company=p.company, data={
        "partner": p.s1.pk, "warehouse": p.warehouse.pk, "date": TODAY, "reason": "Sample"},
        lines=[{"product": p.widget.pk, "quantity": "5", "uom": p.pcs.pk, "unit_price": "10"}])

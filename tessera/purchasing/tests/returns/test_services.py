"""Returns to suppliers: stock out at the receipt's cost, GR/IR, and the credit note for what was billed."""

import pytest

from tessera.accounting.models import Invoice
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.inventory.models import Lot, StockMove
from tessera.purchasing.models import BillLine, SupplierReturn
from tessera.purchasing.services.receipts import order_receive
from tessera.purchasing.services.returns import return_cancel, return_create, return_delete, return_post, return_update

from ..conftest import TODAY, dec
from ..receipts.factories import confirmed_order, line_of, on_hand, widget_order

pytestmark = pytest.mark.django_db


def received_widgets(p, boxes="10"):
    order = widget_order(p)
    order_receive(actor=p.clerk, order=order, date=TODAY, lines=[{"line": line_of(order, p.widget).pk,
                                                                  "quantity": boxes}])
    order.refresh_from_db()
    return order


def draft_return(p, order, boxes="4", actor=None, **data):
    return return_create(actor=actor or p.clerk, company=p.company, data={
        "order": order.pk, "date": TODAY, "reason": "Damaged", **data},
        lines=[{"order_line": line_of(order, p.widget).pk, "quantity": boxes}])


def billed(p, order):
    from tessera.accounting.services.invoices import invoice_post
    from tessera.purchasing.services.bills import order_bill

    bill = order_bill(actor=p.accountant, order=order, date=TODAY)
    return invoice_post(actor=p.accountant, invoice=bill)


def test_a_draft_takes_the_order_defaults(p):
    order = received_widgets(p)

    supplier_return = draft_return(p, order)

    assert (supplier_return.partner, supplier_return.warehouse, supplier_return.state) == (p.s1, p.warehouse, "draft")
    line = supplier_return.lines.get()
    assert (line.product, line.uom, line.quantity) == (p.widget, p.box, dec(4))


def test_return_before_billing_clears_grir_without_a_credit_note(p):
    order = received_widgets(p)
    supplier_return = draft_return(p, order, boxes="10")

    posted = return_post(actor=p.clerk, supplier_return=supplier_return)

    assert (posted.number, posted.state, posted.credit_note) == ("RTV-2026-00001", "done", None)
    assert on_hand(p, p.widget) == 0
    assert p.balance("1405") == 0
    assert p.balance("220202") == 0
    move = posted.lines.get().move
    assert (move.state, move.value, move.location, move.location_dest) == ("done", dec("1200.00"), p.stock,
                                                                           p.supplier_location)
    assert move.origin_move.source == f"purchasing.purchaseorderline:{line_of(order, p.widget).pk}"
    assert line_of(order, p.widget).quantity_returned == dec(10)
    assert not Invoice.objects.filter(kind="supplier_credit").exists()


def test_a_partial_return_before_billing(p):
    order = received_widgets(p)

    return_post(actor=p.clerk, supplier_return=draft_return(p, order, boxes="4"))

    assert on_hand(p, p.widget) == dec(72)
    assert p.balance("1405") == dec("720.00")
    assert p.balance("220202") == dec("-720.00")


def test_returning_more_than_received_is_refused(p):
    order = received_widgets(p, boxes="3")
    supplier_return = draft_return(p, order, boxes="4")

    with pytest.raises(ValidationFailed) as caught:
        return_post(actor=p.clerk, supplier_return=supplier_return)

    assert list(caught.value.fields) == ["lines.0.quantity"]
    supplier_return.refresh_from_db()
    assert (supplier_return.state, supplier_return.number) == ("draft", None)
    assert on_hand(p, p.widget) == dec(36)
    assert not StockMove.objects.filter(location=p.stock).exists()


def test_a_lot_goes_back(p):
    order = confirmed_order(p, {"product": p.tea, "quantity": "10", "unit_price": "50"})
    line = line_of(order, p.tea)
    order_receive(actor=p.clerk, order=order, date=TODAY, lines=[{"line": line.pk, "quantity": "10", "lots": [
        {"lot_name": "T-1", "quantity": "4"}, {"lot_name": "T-2", "quantity": "6"}]}])
    lot = Lot.objects.get(name="T-2")
    with pytest.raises(ValidationFailed) as caught:
        return_create(actor=p.clerk, company=p.company, data={"order": order.pk, "reason": "Wet"},
                      lines=[{"order_line": line.pk, "quantity": "2"}])
    assert list(caught.value.fields) == ["lines.0.lot"]

    supplier_return = return_create(actor=p.clerk, company=p.company, data={"order": order.pk, "reason": "Wet",
                                                                            "date": TODAY},
                                    lines=[{"order_line": line.pk, "quantity": "2", "lot": lot.pk}])
    return_post(actor=p.clerk, supplier_return=supplier_return)

    assert on_hand(p, p.tea, "T-2") == dec(4)
    assert on_hand(p, p.tea, "T-1") == dec(4)
    assert p.balance("1405") == dec("400.00")
    assert p.balance("220202") == dec("-400.00")


def test_update_cancel_and_delete_drafts_only(p):
    order = received_widgets(p)
    supplier_return = draft_return(p, order)

    updated = return_update(actor=p.clerk, supplier_return=supplier_return, data={"reason": "Wrong colour"},
                            lines=[{"order_line": line_of(order, p.widget).pk, "quantity": "2"}],
                            version=supplier_return.version)
    assert (updated.reason, updated.lines.get().quantity, updated.version) == ("Wrong colour", dec(2), 2)
    with pytest.raises(InvalidState):
        return_update(actor=p.clerk, supplier_return=updated, data={"reason": "x"}, version=1)
    cancelled = return_cancel(actor=p.clerk, supplier_return=updated)
    assert cancelled.state == "cancelled"
    with pytest.raises(InvalidState):
        return_post(actor=p.clerk, supplier_return=cancelled)
    with pytest.raises(InvalidState):
        return_delete(actor=p.clerk, supplier_return=cancelled)
    other = draft_return(p, order)
    return_delete(actor=p.clerk, supplier_return=other)
    assert list(SupplierReturn.objects.values_list("state", flat=True)) == ["cancelled"]


def test_permissions(p):
    order = received_widgets(p)
    with pytest.raises(PermissionDenied):
        draft_return(p, order, actor=p.employee)
    supplier_return = draft_return(p, order)
    with pytest.raises(PermissionDenied):
        return_post(actor=p.accountant, supplier_return=supplier_return)
    supplier_return.refresh_from_db()
    assert supplier_return.state == "draft" and on_hand(p, p.widget) == dec(120)


def test_return_after_billing_posts_a_credit_note_that_offsets_the_bill(p, make_user):
    order = received_widgets(p)
    bill = billed(p, order)
    assert p.balance("220202") == 0
    assert p.balance("tax_input") == dec("156.00")
    assert p.balance("payable") == dec("-1356.00")
    returner = make_user("warehouse_clerk", "accountant", username="returner")

    posted = return_post(actor=returner, supplier_return=draft_return(p, order, boxes="4"))

    credit = posted.credit_note
    assert (credit.kind, credit.state, credit.credit_note_of) == ("supplier_credit", "paid", bill)
    assert (credit.total_untaxed, credit.total_tax, credit.total) == (dec("480.00"), dec("62.40"), dec("542.40"))
    assert list(BillLine.objects.filter(invoice=credit).values_list("order_line", flat=True)) == [
        line_of(order, p.widget).pk]
    assert on_hand(p, p.widget) == dec(72)
    assert p.balance("1405") == dec("720.00")
    assert p.balance("220202") == 0
    assert p.balance("tax_input") == dec("93.60")
    assert p.balance("payable") == dec("-813.60")
    bill.refresh_from_db()
    assert (bill.state, bill.residual) == ("partially_paid", dec("813.60"))
    line = line_of(order, p.widget)
    assert (line.quantity_received, line.quantity_returned, line.quantity_billed) == (dec(10), dec(4), dec(6))


def test_refund_leaves_the_credit_note_open(p, make_user):
    order = received_widgets(p)
    bill = billed(p, order)
    returner = make_user("warehouse_clerk", "accountant", username="returner")

    posted = return_post(actor=returner, supplier_return=draft_return(p, order, boxes="4", refund_method="refund"))

    assert (posted.credit_note.state, posted.credit_note.credit_note_of) == ("posted", None)
    assert p.balance("payable") == dec("-813.60")
    bill.refresh_from_db()
    assert bill.state == "posted"


def test_only_the_billed_part_is_credited(p, make_user):
    order = received_widgets(p, boxes="6")
    billed(p, order)
    order_receive(actor=p.clerk, order=order, date=TODAY, lines=[{"line": line_of(order, p.widget).pk,
                                                                  "quantity": "4"}])
    returner = make_user("warehouse_clerk", "accountant", username="returner")

    posted = return_post(actor=returner, supplier_return=draft_return(p, order, boxes="5"))

    assert (posted.credit_note.total_untaxed, posted.credit_note.total) == (dec("120.00"), dec("135.60"))
    assert on_hand(p, p.widget) == dec(60)
    assert p.balance("1405") == dec("600.00")
    assert p.balance("220202") == 0
    assert p.balance("payable") == dec("-678.00")
    line = line_of(order, p.widget)
    assert (line.net_received, line.quantity_billed, line.to_bill) == (dec(5), dec(5), 0)

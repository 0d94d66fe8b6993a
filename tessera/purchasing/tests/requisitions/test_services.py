"""Requisition services: raising, visibility, submit / approve / reject / cancel with each forbidden source
state, the approval rule flow, segregation of duties, conversion (merging, per-supplier split, to an RFQ)
and the replenishment list."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tessera.approvals.models import ApprovalRequest
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.inventory.services.replenishment import reorder_rule_create, replenishment_rows
from tessera.purchasing.choices import RequisitionState as S
from tessera.purchasing.models import PurchaseOrder, PurchaseSettings, Requisition, RequisitionLine, Rfq
from tessera.purchasing.services.prices import supplier_price_create
from tessera.purchasing.services.requisitions import (
    replenishment_order,
    requisition_approve,
    requisition_cancel,
    requisition_convert,
    requisition_delete,
    requisition_from_replenishment,
    requisition_reject,
    requisition_submit,
    requisition_update,
    requisitions_visible,
)
from tessera.purchasing.services.rfqs import rfq_cancel, rfq_update

from .factories import as_state, requisition, requisition_rule

pytestmark = pytest.mark.django_db


def approved(p, *lines, user=None, **data):
    item = requisition(p, *lines, user=user, **data)
    requisition_submit(actor=user or p.employee, requisition=item)
    return requisition_approve(actor=p.manager, requisition=item)


# --- raising and seeing -----------------------------------------------------------------------

def test_an_employee_raises_a_requisition_in_the_purchase_unit(p):
    item = requisition(p)
    line = item.lines.get()
    assert (item.state, item.number, item.requested_by, item.warehouse) == (S.DRAFT, None, p.employee, p.warehouse)
    assert (line.product, line.quantity, line.uom, line.supplier, line.estimated_price) == (
        p.widget, Decimal("2"), p.box, p.s1, Decimal("60"))
    assert line.description == p.widget.name


def test_an_employee_sees_only_their_own_requisitions_and_purchasers_see_all(p, make_user):
    own = requisition(p)
    other = requisition(p, user=make_user("employee", username="staff2"))
    assert list(requisitions_visible(p.employee, p.company)) == [own]
    assert set(requisitions_visible(p.purchaser, p.company)) == {own, other}
    assert set(requisitions_visible(p.manager, p.company)) == {own, other}


def test_someone_else_cannot_change_an_employees_requisition(p, make_user):
    item = requisition(p)
    with pytest.raises(PermissionDenied):
        requisition_update(actor=make_user("employee", username="staff2"), requisition=item,
                           data={"description": "mine now"})
    item.refresh_from_db()
    assert (item.description, item.version) == ("", 1)


def test_bad_lines_are_refused_field_by_field_and_nothing_is_written(p):
    with pytest.raises(ValidationFailed) as error:
        requisition(p, {"product": p.widget.pk, "quantity": "0.5", "uom": p.box.pk},
                    {"product": p.tea.pk, "quantity": "1", "uom": p.box.pk},
                    {"product": p.widget.pk, "quantity": "1", "supplier": p.company.pk + 999})
    assert set(error.value.fields) == {"lines.0.quantity", "lines.1.uom", "lines.2.supplier"}
    assert Requisition.objects.count() == 0 and RequisitionLine.objects.count() == 0


def test_a_draft_is_deleted_but_a_submitted_one_only_cancelled(p):
    draft = requisition(p)
    requisition_delete(actor=p.employee, requisition=draft)
    assert not Requisition.objects.exists()
    submitted = requisition(p)
    requisition_submit(actor=p.employee, requisition=submitted)
    as_state(submitted, S.DRAFT)
    with pytest.raises(InvalidState):
        requisition_delete(actor=p.employee, requisition=submitted)
    assert Requisition.objects.filter(pk=submitted.pk).exists()


# --- submit, approve, reject, cancel ----------------------------------------------------------

def test_submit_numbers_it_and_waits_for_a_purchasing_approver(p):
    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    item.refresh_from_db()
    assert (item.state, item.number) == (S.SUBMITTED, "PR-2026-00001")
    assert not ApprovalRequest.objects.exists()


def test_without_the_approval_setting_a_submitted_requisition_is_approved_at_once(p):
    PurchaseSettings.objects.create(company=p.company, requisition_needs_approval=False)
    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    item.refresh_from_db()
    assert (item.state, item.number) == (S.APPROVED, "PR-2026-00001")


def test_the_manager_approves_and_the_employee_cannot(p):
    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    with pytest.raises(PermissionDenied):
        requisition_approve(actor=p.employee, requisition=item)
    with pytest.raises(PermissionDenied):
        requisition_approve(actor=p.purchaser, requisition=item)  # purchasers convert, managers approve
    item.refresh_from_db()
    assert item.state == S.SUBMITTED
    requisition_approve(actor=p.manager, requisition=item, comment="ok")
    item.refresh_from_db()
    assert item.state == S.APPROVED


def test_nobody_approves_or_rejects_their_own_requisition(p):
    item = requisition(p, user=p.manager)
    requisition_submit(actor=p.manager, requisition=item)
    with pytest.raises(PermissionDenied, match="segregation of duties"):
        requisition_approve(actor=p.manager, requisition=item)
    with pytest.raises(PermissionDenied, match="segregation of duties"):
        requisition_reject(actor=p.manager, requisition=item, comment="no")
    item.refresh_from_db()
    assert item.state == S.SUBMITTED


def test_reject_needs_a_reason_then_the_requester_changes_and_submits_again(p):
    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    with pytest.raises(ValidationFailed) as error:
        requisition_reject(actor=p.manager, requisition=item, comment="  ")
    assert list(error.value.fields) == ["comment"]
    requisition_reject(actor=p.manager, requisition=item, comment="Too many")
    item.refresh_from_db()
    assert item.state == S.REJECTED
    requisition_update(actor=p.employee, requisition=item, data={},
                       lines=[{"product": p.widget.pk, "quantity": "1", "supplier": p.s1.pk}])
    requisition_submit(actor=p.employee, requisition=item)
    item.refresh_from_db()
    assert (item.state, item.number, item.lines.get().quantity) == (S.SUBMITTED, "PR-2026-00001", Decimal("1"))


FORBIDDEN = {
    "submit": [S.SUBMITTED, S.APPROVED, S.ORDERED, S.CANCELLED],
    "approve": [S.APPROVED, S.REJECTED, S.ORDERED, S.CANCELLED],
    "reject": [S.DRAFT, S.APPROVED, S.REJECTED, S.ORDERED, S.CANCELLED],
    "cancel": [S.ORDERED, S.CANCELLED],
}


@pytest.mark.parametrize("transition", sorted(FORBIDDEN))
def test_each_transition_is_refused_from_its_forbidden_states(p, transition):
    run = {"submit": lambda item: requisition_submit(actor=p.employee, requisition=item),
           "approve": lambda item: requisition_approve(actor=p.manager, requisition=item),
           "reject": lambda item: requisition_reject(actor=p.manager, requisition=item, comment="no"),
           "cancel": lambda item: requisition_cancel(actor=p.employee, requisition=item)}[transition]
    for state in FORBIDDEN[transition]:
        item = as_state(requisition(p), state)
        with pytest.raises(InvalidState):
            run(item)
        item.refresh_from_db()
        assert (item.state, item.number) == (state, None)


def test_cancel_from_every_open_state(p):
    for state in (S.DRAFT, S.SUBMITTED, S.APPROVED, S.REJECTED):
        item = as_state(requisition(p), state)
        requisition_cancel(actor=p.employee, requisition=item)
        item.refresh_from_db()
        assert item.state == S.CANCELLED


# --- approval rules ---------------------------------------------------------------------------

def test_a_rule_above_an_amount_sends_it_through_approvals(p):
    requisition_rule(p, over="1000")
    big = requisition(p, {"product": p.widget.pk, "quantity": "20", "supplier": p.s1.pk, "estimated_price": "60"})
    requisition_submit(actor=p.employee, requisition=big)
    big.refresh_from_db()
    request = ApprovalRequest.objects.get()
    assert (big.state, request.state, request.amount, request.document_owner) == (
        S.SUBMITTED, "pending", Decimal("1200.00"), p.employee)
    with pytest.raises(PermissionDenied):
        requisition_approve(actor=p.purchaser, requisition=big)
    requisition_approve(actor=p.manager, requisition=big, comment="fine")
    big.refresh_from_db()
    request.refresh_from_db()
    assert (big.state, request.state) == (S.APPROVED, "approved")


def test_under_the_rule_amount_no_approval_request_is_made(p):
    requisition_rule(p, over="1000")
    small = requisition(p)  # 2 x 60 = 120
    requisition_submit(actor=p.employee, requisition=small)
    small.refresh_from_db()
    assert (small.state, ApprovalRequest.objects.count()) == (S.SUBMITTED, 0)


def test_a_rejection_in_approvals_rejects_the_requisition(p):
    requisition_rule(p, over="100")
    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    requisition_reject(actor=p.manager, requisition=item, comment="Not this quarter")
    item.refresh_from_db()
    assert (item.state, ApprovalRequest.objects.get().state) == (S.REJECTED, "rejected")


def test_cancelling_withdraws_the_pending_approval_request(p):
    requisition_rule(p, over="100")
    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    requisition_cancel(actor=p.employee, requisition=item)
    item.refresh_from_db()
    assert (item.state, ApprovalRequest.objects.get().state) == (S.CANCELLED, "withdrawn")


# --- conversion -------------------------------------------------------------------------------

def test_two_requisitions_of_the_same_product_merge_into_one_order_line(p, make_user):
    first = approved(p, {"product": p.widget.pk, "quantity": "2", "supplier": p.s1.pk}, needed_on=p_date(10))
    second = approved(p, {"product": p.widget.pk, "quantity": "3", "supplier": p.s1.pk},
                      user=make_user("employee", username="staff2"), needed_on=p_date(5))
    orders = requisition_convert(actor=p.purchaser, requisitions=[first, second.pk])
    assert len(orders) == 1
    order = orders[0]
    line = order.lines.get()
    assert (order.partner, order.warehouse, order.state, order.expected_on) == (p.s1, p.warehouse, "draft", p_date(5))
    assert (line.product, line.quantity, line.uom, line.unit_price) == (p.widget, Decimal("5"), p.box, Decimal("60"))
    assert set(RequisitionLine.objects.values_list("order_line", flat=True)) == {line.pk}
    assert set(Requisition.objects.values_list("state", flat=True)) == {S.ORDERED}


def test_lines_split_into_one_order_per_supplier(p, s3):
    item = approved(p, {"product": p.widget.pk, "quantity": "2", "supplier": p.s1.pk},
                    {"product": p.tea.pk, "quantity": "5", "supplier": s3.pk},
                    {"product": p.widget.pk, "quantity": "1", "supplier": s3.pk})
    orders = requisition_convert(actor=p.purchaser, requisitions=[item])
    assert [(order.partner, [(line.product, line.quantity) for line in order.lines.order_by("sequence")])
            for order in orders] == [(p.s1, [(p.widget, Decimal("2"))]),
                                     (s3, [(p.tea, Decimal("5.000")), (p.widget, Decimal("1"))])]


def test_a_foreign_supplier_orders_at_its_price_list(p):
    supplier_price_create(actor=p.manager, company=p.company, data={
        "partner": p.s2.pk, "product": p.tea.pk, "uom": p.kg.pk, "price": "12.5"})
    item = approved(p, {"product": p.tea.pk, "quantity": "4", "supplier": p.s2.pk})
    order = requisition_convert(actor=p.purchaser, requisitions=[item])[0]
    assert (order.currency, order.lines.get().unit_price) == (p.usd, Decimal("12.5"))


def test_one_supplier_for_everything_and_lines_without_a_supplier(p, s3):
    item = approved(p, {"product": p.widget.pk, "quantity": "2"}, {"product": p.tea.pk, "quantity": "1",
                                                                   "supplier": p.s1.pk})
    with pytest.raises(ValidationFailed) as error:
        requisition_convert(actor=p.purchaser, requisitions=[item])
    assert list(error.value.fields) == ["supplier"]
    assert PurchaseOrder.objects.count() == 0
    orders = requisition_convert(actor=p.purchaser, requisitions=[item], supplier=s3.pk)
    assert [order.partner for order in orders] == [s3] and orders[0].lines.count() == 2


def test_only_approved_requisitions_are_converted_and_only_by_purchasers(p):
    ready = approved(p)
    waiting = requisition(p)
    requisition_submit(actor=p.employee, requisition=waiting)
    with pytest.raises(InvalidState):
        requisition_convert(actor=p.purchaser, requisitions=[ready, waiting])
    with pytest.raises(PermissionDenied):
        requisition_convert(actor=p.employee, requisitions=[ready])
    ready.refresh_from_db()
    assert (PurchaseOrder.objects.count(), ready.state) == (0, S.APPROVED)


def test_conversion_to_an_rfq_invites_the_suggested_suppliers_and_cancelling_it_reopens(p, s3):
    first = approved(p, {"product": p.widget.pk, "quantity": "2", "supplier": p.s1.pk})
    second = approved(p, {"product": p.widget.pk, "quantity": "4", "supplier": s3.pk})
    rfq = requisition_convert(actor=p.purchaser, requisitions=[first, second], to="rfq", supplier=p.s2.pk)
    assert isinstance(rfq, Rfq) and rfq.state == "draft"
    assert [(line.product, line.quantity, line.uom) for line in rfq.lines.all()] == [(p.widget, Decimal("6"), p.box)]
    assert list(rfq.suppliers.values_list("partner", flat=True)) == [p.s2.pk, p.s1.pk, s3.pk]
    assert set(Requisition.objects.values_list("state", flat=True)) == {S.ORDERED}
    rfq_update(actor=p.purchaser, rfq=rfq, data={}, lines=[{"product": p.tea.pk, "quantity": "1"}])
    assert set(Requisition.objects.values_list("state", flat=True)) == {S.APPROVED}
    first.refresh_from_db()
    requisition_convert(actor=p.purchaser, requisitions=[first], to="rfq")
    assert Requisition.objects.get(pk=first.pk).state == S.ORDERED
    rfq_cancel(actor=p.purchaser, rfq=Rfq.objects.latest("pk"))
    assert set(Requisition.objects.values_list("state", flat=True)) == {S.APPROVED}
    assert not RequisitionLine.objects.filter(rfq_line__isnull=False).exists()


# --- replenishment ----------------------------------------------------------------------------

@pytest.fixture
def rules(p, s3):
    reorder_rule_create(actor=p.clerk, company=p.company, data={
        "product": p.widget, "warehouse": p.warehouse, "min_quantity": Decimal("10"), "max_quantity": Decimal("50"),
        "multiple": Decimal("12"), "supplier": p.s1, "lead_days": 7})
    reorder_rule_create(actor=p.clerk, company=p.company, data={
        "product": p.tea, "warehouse": p.warehouse, "min_quantity": Decimal("1"), "max_quantity": Decimal("2.5"),
        "supplier": s3})
    return replenishment_rows(p.company)  # today: the requisition is dated today too


def test_replenishment_rows_become_a_requisition_in_the_stock_unit(p, s3, rules):
    created = requisition_from_replenishment(actor=p.purchaser, company=p.company, rows=rules)
    assert len(created) == 1
    item = created[0]
    assert (item.origin, item.warehouse, item.needed_on, item.requested_by) == (
        "replenishment", p.warehouse, timezone.localdate(), p.purchaser)
    assert [(line.product, line.quantity, line.uom, line.supplier) for line in item.lines.all()] == [
        (p.tea, Decimal("3.000"), p.kg, s3), (p.widget, Decimal("60"), p.pcs, p.s1)]


def test_replenishment_rows_straight_to_orders_per_supplier(p, s3, rules):
    orders = replenishment_order(actor=p.purchaser, company=p.company, rows=rules)
    assert sorted((order.partner.code, line.product.sku, line.quantity, line.uom.name)
                  for order in orders for line in order.lines.all()) == [
        ("S1", "W-1", Decimal("60"), "pcs"), ("S3", "TEA", Decimal("3.000"), "kg")]


def test_a_replenishment_row_without_supplier_cannot_be_ordered_directly(p, rules):
    rows = [{**rules[0], "supplier": None}, rules[1]]
    with pytest.raises(ValidationFailed) as error:
        replenishment_order(actor=p.purchaser, company=p.company, rows=rows)
    assert list(error.value.fields) == ["rows.0.supplier"]
    assert PurchaseOrder.objects.count() == 0


def p_date(days: int):
    import datetime

    from tessera.purchasing.tests.conftest import TODAY

    return TODAY + datetime.timedelta(days=days)


def test_the_approvers_and_then_the_requester_are_notified(p):
    from tessera.core.models import Notification
    from tessera.core.services.dispatch import events_dispatch

    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    events_dispatch()
    assert set(Notification.objects.filter(kind="purchasing.requisition.submitted")
               .values_list("user__username", flat=True)) == {"buyboss"}
    requisition_approve(actor=p.manager, requisition=item)
    events_dispatch()
    assert list(Notification.objects.filter(kind="purchasing.requisition.approved")
                .values_list("user__username", "title")) == [("staff", "Your requisition PR-2026-00001 is approved")]


def test_a_decision_in_the_approvals_inbox_moves_a_requisition_submitted_from_its_panel(p):
    from tessera.approvals.services.requests import approval_approve, approval_submit

    requisition_rule(p, over="100")
    item = requisition(p)
    request = approval_submit(actor=p.employee, document=item)  # the panel's "Submit for approval"
    requisition_submit(actor=p.employee, requisition=item)  # the page's Submit: numbers it, no second request
    item.refresh_from_db()
    assert (item.state, item.number, ApprovalRequest.objects.count()) == (S.SUBMITTED, "PR-2026-00001", 1)
    approval_approve(actor=p.manager, request=request)
    item.refresh_from_db()
    assert item.state == S.APPROVED

"""RFQ services: an RFQ to three suppliers with their quotes side by side, awarded to the cheapest
overall or per line (the orders' prices are the quotes), forbidden states and permissions."""

from decimal import Decimal

import pytest

from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.purchasing.choices import RfqState as S
from tessera.purchasing.models import PurchaseOrder, Rfq, RfqQuote, SupplierPrice
from tessera.purchasing.services.rfqs import (
    cheapest_per_line,
    rfq_award,
    rfq_cancel,
    rfq_comparison,
    rfq_create,
    rfq_quote_set,
    rfq_send,
    rfq_update,
)
from tessera.purchasing.tests.conftest import TODAY
from tessera.purchasing.tests.requisitions.factories import as_state

pytestmark = pytest.mark.django_db


def draft(p, suppliers):
    return rfq_create(actor=p.purchaser, company=p.company, data={"warehouse": p.warehouse.pk, "date": TODAY},
                      lines=[{"product": p.widget.pk, "quantity": "10"}, {"product": p.tea.pk, "quantity": "5"}],
                      suppliers=[supplier.pk for supplier in suppliers])


@pytest.fixture
def quoted(p, s3):
    """Sent to S1, S2, S3: S1 quotes 60 / 100 (total 1,100), S2 55 / 120 (1,150), S3 58 for widgets only."""
    rfq = draft(p, [p.s1, p.s2, s3])
    rfq_send(actor=p.purchaser, rfq=rfq)
    widget, tea = rfq.lines.order_by("pk")
    for supplier, prices in ((p.s1, ("60", "100")), (p.s2, ("55", "120")), (s3, ("58", ""))):
        rfq_quote_set(actor=p.purchaser, rfq=rfq, supplier=supplier.pk, data={"lead_days": 10},
                      quotes=[{"line": widget.pk, "unit_price": prices[0]}, {"line": tea.pk, "unit_price": prices[1]}])
    rfq.refresh_from_db()
    return rfq


def test_a_draft_rfq_in_the_company_currency_with_lines_in_the_purchase_unit(p, s3):
    rfq = draft(p, [p.s1, p.s2, s3])
    assert (rfq.state, rfq.number, rfq.currency) == (S.DRAFT, None, p.company.base_currency)
    assert [(line.product, line.quantity, line.uom) for line in rfq.lines.all()] == [
        (p.widget, Decimal("10"), p.box), (p.tea, Decimal("5.000"), p.kg)]
    assert list(rfq.suppliers.values_list("partner", flat=True)) == [p.s1.pk, p.s2.pk, s3.pk]


def test_suppliers_must_be_the_companys_and_invited_once(p, s3):
    with pytest.raises(ValidationFailed) as error:
        draft(p, [p.s1, p.s1])
    assert list(error.value.fields) == ["suppliers.1"]
    assert Rfq.objects.count() == 0


def test_the_comparison_marks_the_cheapest_per_line_and_the_best_complete_supplier(p, s3, quoted):
    comparison = rfq_comparison(quoted)
    totals = {supplier.partner_id: (totals["total"], totals["complete"]) for supplier, totals in
              ((supplier, comparison.totals[supplier.pk]) for supplier in comparison.suppliers)}
    assert totals == {p.s1.pk: (Decimal("1100.00"), True), p.s2.pk: (Decimal("1150.00"), True),
                      s3.pk: (Decimal("580.00"), False)}
    assert [row["cheapest"].partner for row in comparison.rows] == [p.s2, p.s1]
    assert [[cell["cheapest"] for cell in row["cells"]] for row in comparison.rows] == [
        [False, True, False], [True, False, False]]
    assert comparison.best.partner == p.s1
    assert cheapest_per_line(quoted) == [{"line": comparison.rows[0]["line"].pk, "supplier": p.s2.pk},
                                         {"line": comparison.rows[1]["line"].pk, "supplier": p.s1.pk}]


def test_award_the_whole_rfq_to_the_cheapest_supplier(p, s3, quoted):
    orders = rfq_award(actor=p.purchaser, rfq=quoted, supplier=p.s1.pk)
    quoted.refresh_from_db()
    assert quoted.state == S.AWARDED and len(orders) == 1
    order = orders[0]
    assert (order.partner, order.rfq, order.currency, order.warehouse, order.state) == (
        p.s1, quoted, p.company.base_currency, p.warehouse, "draft")
    assert [(line.product, line.quantity, line.uom, line.unit_price) for line in order.lines.order_by("sequence")] == [
        (p.widget, Decimal("10"), p.box, Decimal("60")), (p.tea, Decimal("5.000"), p.kg, Decimal("100"))]
    assert order.total_untaxed == Decimal("1100.00")
    assert quoted.suppliers.get(partner=p.s1).order == order
    assert set(quoted.lines.values_list("awarded_to__partner", flat=True)) == {p.s1.pk}


def test_award_each_line_to_its_cheapest_quote(p, s3, quoted):
    orders = rfq_award(actor=p.purchaser, rfq=quoted, lines=cheapest_per_line(quoted), save_prices=True)
    assert sorted((order.partner.code, line.product.sku, line.unit_price, order.currency.code)
                  for order in orders for line in order.lines.all()) == [
        ("S1", "TEA", Decimal("100"), "CNY"), ("S2", "W-1", Decimal("55"), "CNY")]
    assert sorted(SupplierPrice.objects.values_list("partner__code", "price", "lead_days")) == [
        ("S1", Decimal("100"), 10), ("S2", Decimal("55"), 10)]


def test_awarding_a_supplier_that_did_not_quote_every_line_is_refused(p, s3, quoted):
    with pytest.raises(ValidationFailed) as error:
        rfq_award(actor=p.purchaser, rfq=quoted, supplier=s3.pk)
    assert list(error.value.fields) == ["lines.1"]
    with pytest.raises(ValidationFailed) as error:
        rfq_award(actor=p.purchaser, rfq=quoted, lines=[{"line": quoted.lines.last().pk, "supplier": s3.pk}])
    assert list(error.value.fields) == ["lines.0.supplier"]
    quoted.refresh_from_db()
    assert (quoted.state, PurchaseOrder.objects.count()) == (S.SENT, 0)


def test_quotes_are_changed_and_removed_while_sent(p, s3, quoted):
    widget = quoted.lines.first()
    rfq_quote_set(actor=p.purchaser, rfq=quoted, supplier=s3.pk, quotes=[{"line": widget.pk, "unit_price": ""}])
    rfq_quote_set(actor=p.purchaser, rfq=quoted, supplier=p.s1.pk,
                  quotes=[{"line": widget.pk, "unit_price": "50", "discount": "10"}])
    assert sorted(RfqQuote.objects.filter(line=widget).values_list("supplier__partner__code", "unit_price",
                                                                    "discount")) == [
        ("S1", Decimal("50"), Decimal("10")), ("S2", Decimal("55"), Decimal("0"))]
    with pytest.raises(ValidationFailed) as error:
        rfq_quote_set(actor=p.purchaser, rfq=quoted, supplier=p.s1.pk,
                      quotes=[{"line": widget.pk, "unit_price": "-1"}, {"line": 0, "unit_price": "1"}])
    assert set(error.value.fields) == {"quotes.0.unit_price", "quotes.1.line"}


def test_forbidden_states(p, s3):
    rfq = draft(p, [p.s1])
    line = rfq.lines.first()
    with pytest.raises(InvalidState):
        rfq_quote_set(actor=p.purchaser, rfq=rfq, supplier=p.s1.pk, quotes=[{"line": line.pk, "unit_price": "1"}])
    with pytest.raises(InvalidState):
        rfq_award(actor=p.purchaser, rfq=rfq, supplier=p.s1.pk)
    for state in (S.SENT, S.AWARDED, S.CANCELLED):
        as_state(rfq, state)
        with pytest.raises(InvalidState):
            rfq_send(actor=p.purchaser, rfq=rfq)
        with pytest.raises(InvalidState):
            rfq_update(actor=p.purchaser, rfq=rfq, data={"description": "x"})
    for state in (S.AWARDED, S.CANCELLED):
        as_state(rfq, state)
        with pytest.raises(InvalidState):
            rfq_cancel(actor=p.purchaser, rfq=rfq)
    rfq.refresh_from_db()
    assert (rfq.state, rfq.number, rfq.description) == (S.CANCELLED, None, "")


def test_permissions(p, s3, quoted):
    with pytest.raises(PermissionDenied):
        draft(p.__class__(**{**p.__dict__, "purchaser": p.employee}), [p.s1])
    with pytest.raises(PermissionDenied):
        rfq_award(actor=p.employee, rfq=quoted, supplier=p.s1.pk)
    with pytest.raises(PermissionDenied):
        rfq_quote_set(actor=p.clerk, rfq=quoted, supplier=p.s1.pk, quotes=[])
    assert (Rfq.objects.count(), PurchaseOrder.objects.count()) == (1, 0)


def test_requisition_lines_on_an_awarded_rfq_point_to_their_order_lines(p):
    from tessera.purchasing.models import RequisitionLine
    from tessera.purchasing.services.requisitions import requisition_approve, requisition_convert, requisition_submit
    from tessera.purchasing.tests.requisitions.factories import requisition

    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    requisition_approve(actor=p.manager, requisition=item)
    rfq = requisition_convert(actor=p.purchaser, requisitions=[item], to="rfq")
    rfq_send(actor=p.purchaser, rfq=rfq)
    rfq_quote_set(actor=p.purchaser, rfq=rfq, supplier=p.s1.pk,
                  quotes=[{"line": rfq.lines.get().pk, "unit_price": "58.5"}])
    order = rfq_award(actor=p.purchaser, rfq=rfq, supplier=p.s1.pk)[0]
    line = RequisitionLine.objects.get()
    assert (line.rfq_line.rfq, line.order_line, order.lines.get().unit_price) == (rfq, order.lines.get(),
                                                                                  Decimal("58.5"))

"""order_create / order_update / order_delete: defaults, prices, validation (nothing written), permissions."""

import datetime
from decimal import Decimal

import pytest

from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.purchasing.choices import OrderState
from tessera.purchasing.models import PurchaseOrder, PurchaseOrderLine, SupplierPrice
from tessera.purchasing.services.orders import order_create, order_delete, order_update
from tessera.purchasing.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_line_price_comes_from_the_supplier_price_list_with_its_source(p, make_order):
    SupplierPrice.objects.create(company=p.company, partner=p.s1, product=p.widget, currency=p.company.base_currency,
                                 uom=p.box, min_quantity=Decimal("5"), price=Decimal("55"), discount=Decimal("2"))

    order = make_order(lines=[{"product": p.widget.pk, "quantity": "10"}])

    line = order.lines.get()
    assert (line.unit_price, line.discount) == (Decimal("55"), Decimal("2"))
    assert line.price_source.startswith("Price list of S1") and "from 5" in line.price_source
    assert (line.subtotal, order.total) == (Decimal("539.00"), Decimal("609.07"))


def test_without_a_price_list_the_standard_cost_in_the_purchase_unit_applies(p, make_order):
    order = make_order(lines=[{"product": p.widget.pk, "quantity": "2"}])

    line = order.lines.get()
    assert (line.uom, line.unit_price, line.price_source) == (p.box, Decimal("60.000000"), "Standard cost")


def test_a_foreign_currency_order_without_a_price_needs_one(p, make_order):
    with pytest.raises(ValidationFailed) as error:
        make_order(partner=p.s2.pk, lines=[{"product": p.widget.pk, "quantity": "2"}])

    assert list(error.value.fields) == ["lines.0.unit_price"]
    assert PurchaseOrder.objects.count() == 0


def test_the_supplier_currency_is_the_default(p, make_order):
    order = make_order(partner=p.s2.pk, lines=[{"product": p.tea.pk, "quantity": "1.5", "unit_price": "3.10"}])

    line = order.lines.get()
    assert (order.currency, line.uom, line.subtotal) == (p.usd, p.kg, Decimal("4.65"))


@pytest.mark.parametrize(("header", "lines", "field"), [
    ({"partner": "customer"}, None, "partner"),
    ({}, [], "lines"),
    ({}, [{"product": "other", "quantity": "1", "unit_price": "1"}], "lines.0.product"),
    ({}, [{"product": "widget", "quantity": "1", "uom": "kg", "unit_price": "1"}], "lines.0.uom"),
    ({}, [{"product": "widget", "quantity": "0", "unit_price": "1"}], "lines.0.quantity"),
    ({}, [{"product": "widget", "quantity": "1.5", "unit_price": "1"}], "lines.0.quantity"),
    ({}, [{"product": "widget", "quantity": "1", "unit_price": "1", "discount": "120"}], "lines.0.discount"),
    ({}, [{"product": "widget", "quantity": "1", "unit_price": "1", "taxes": ["sales"]}], "lines.0.taxes"),
    ({}, [{"product": "widget", "quantity": 1.0, "unit_price": "1"}], "lines.0.quantity"),
])
def test_bad_input_is_refused_field_by_field_and_writes_nothing(p, make_order, other_company, header, lines, field):
    from tessera.accounting.models import Tax
    from tessera.partners.tests.factories import PartnerFactory
    from tessera.products.tests.factories import ProductFactory

    named = {"widget": p.widget.pk, "kg": p.kg.pk,
             "other": ProductFactory(company=other_company).pk if lines and lines[0]["product"] == "other" else None,
             "sales": Tax.objects.filter(company=p.company, kind="sales").first().pk}
    if header.get("partner") == "customer":
        header = {"partner": PartnerFactory(company=p.company, is_customer=True, is_supplier=False).pk}
    if lines:
        lines = [{key: ([named[item] for item in value] if key == "taxes" else named.get(value, value))
                  for key, value in line.items()} for line in lines]

    with pytest.raises(ValidationFailed) as error:
        make_order(lines=lines, **header)

    assert field in error.value.fields
    assert (PurchaseOrder.objects.count(), PurchaseOrderLine.objects.count()) == (0, 0)


def test_creating_needs_the_add_permission(p, make_order):
    with pytest.raises(PermissionDenied):
        make_order(actor=p.employee)

    assert PurchaseOrder.objects.count() == 0


def test_update_changes_listed_lines_in_place_and_deletes_the_others(p, make_order):
    order = make_order(lines=[{"product": p.widget.pk, "quantity": "10", "unit_price": "60"},
                              {"product": p.tea.pk, "quantity": "2", "unit_price": "80"}])
    first, second = order.lines.order_by("sequence")

    order = order_update(actor=p.purchaser, order=order, data={"reference": "Q-7"}, version=1,
                         lines=[{"id": first.pk, "quantity": "12"}])

    line = order.lines.get()
    assert (line.pk, line.quantity, line.unit_price, line.subtotal) == (first.pk, Decimal("12"), Decimal("60"),
                                                                        Decimal("720.00"))
    assert (order.reference, order.version, order.total) == ("Q-7", 2, Decimal("813.60"))
    assert not PurchaseOrderLine.objects.filter(pk=second.pk).exists()


def test_an_existing_line_keeps_its_price_when_only_the_quantity_changes(p, make_order):
    order = make_order(lines=[{"product": p.widget.pk, "quantity": "10", "unit_price": "70", "discount": "3"}])
    line = order.lines.get()

    order = order_update(actor=p.purchaser, order=order, data={}, lines=[{"id": line.pk, "quantity": "20"}])

    line = order.lines.get()
    assert (line.unit_price, line.discount, line.subtotal) == (Decimal("70"), Decimal("3"), Decimal("1358.00"))


def test_a_stale_version_is_refused(p, make_order):
    order = make_order()
    order_update(actor=p.purchaser, order=order, data={"notes": "first"}, version=1)

    with pytest.raises(InvalidState):
        order_update(actor=p.purchaser, order=order, data={"notes": "second"}, version=1)

    order.refresh_from_db()
    assert (order.notes, order.version) == ("first", 2)


def test_changing_an_approved_order_sends_it_back_to_draft(p, make_order):
    order = make_order()
    PurchaseOrder.objects.filter(pk=order.pk).update(state=OrderState.APPROVED)

    order = order_update(actor=p.purchaser, order=order, data={"expected_on": TODAY + datetime.timedelta(days=3)})

    assert order.state == OrderState.DRAFT


@pytest.mark.parametrize("state", [OrderState.SUBMITTED, OrderState.CONFIRMED, OrderState.CANCELLED])
def test_an_order_past_approval_is_not_edited(p, make_order, state):
    order = make_order()
    PurchaseOrder.objects.filter(pk=order.pk).update(state=state)

    with pytest.raises(InvalidState):
        order_update(actor=p.purchaser, order=order, data={"notes": "x"})

    order.refresh_from_db()
    assert (order.notes, order.version) == ("", 1)


def test_delete_a_draft(p, make_order):
    order = make_order()

    order_delete(actor=p.purchaser, order=order)

    assert (PurchaseOrder.objects.count(), PurchaseOrderLine.objects.count()) == (0, 0)


def test_only_drafts_are_deleted(p, make_order):
    order = make_order()
    PurchaseOrder.objects.filter(pk=order.pk).update(state=OrderState.APPROVED)

    with pytest.raises(InvalidState):
        order_delete(actor=p.purchaser, order=order)

    assert PurchaseOrder.objects.count() == 1


def test_order_created_by_requisitions_can_take_a_given_price_source(p):
    order = order_create(actor=p.purchaser, company=p.company, data={"partner": p.s1},
                         lines=[{"product": p.tea, "quantity": "1", "unit_price": "10", "price_source": "RFQ-1"}])

    assert order.lines.get().price_source == "RFQ-1"
    assert (order.warehouse, order.date) == (p.warehouse, datetime.date.today())

"""Supplier prices: quantity breaks, validity dates, currency, unit conversion; CRUD through the services."""

import datetime
from decimal import Decimal

import pytest

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.purchasing.models import SupplierPrice
from tessera.purchasing.services.prices import (
    supplier_price_create,
    supplier_price_delete,
    supplier_price_for,
    supplier_price_update,
)
from tessera.purchasing.services.settings import purchase_settings, purchase_settings_update
from tessera.purchasing.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def prices(p):
    """S1's widget prices per box: 60 from 0, 55 from 10, 50 from 50 (valid until the end of March)."""
    cny = p.company.base_currency

    def row(min_quantity, price, **extra):
        return SupplierPrice.objects.create(company=p.company, partner=p.s1, product=p.widget, currency=cny, uom=p.box,
                                            min_quantity=Decimal(min_quantity), price=Decimal(price), **extra)

    return [row("0", "60"), row("10", "55"), row("50", "50", valid_to=datetime.date(2026, 3, 31))]


def quote(p, quantity, uom=None, on=TODAY, **extra):
    return supplier_price_for(company=p.company, partner=p.s1, product=p.widget, quantity=quantity,
                              uom=uom or p.box, on=on, **extra)


@pytest.mark.parametrize(("quantity", "price"), [("1", "60"), ("9", "60"), ("10", "55"), ("49", "55"), ("50", "50"),
                                                 ("500", "50")])
def test_the_highest_break_not_above_the_quantity_wins(p, prices, quantity, price):
    assert quote(p, quantity).unit_price == Decimal(price)


def test_a_price_outside_its_validity_is_not_taken(p, prices):
    assert quote(p, "50", on=datetime.date(2026, 4, 1)).unit_price == Decimal("55")
    SupplierPrice.objects.filter(pk=prices[0].pk).update(valid_from=datetime.date(2026, 3, 3))
    assert quote(p, "1", on=datetime.date(2026, 3, 3)).unit_price == Decimal("60")
    assert quote(p, "1", on=TODAY) is None


def test_inactive_prices_are_ignored(p, prices):
    SupplierPrice.objects.filter(pk=prices[1].pk).update(is_active=False)

    assert quote(p, "20").unit_price == Decimal("60")


def test_the_quantity_and_price_convert_between_units_exactly(p, prices):
    # 120 pcs = 10 boxes: the 10-box break, 55 per box = 4.583333 per piece
    found = quote(p, "120", uom=p.pcs)

    assert (found.price, found.unit_price) == (prices[1], Decimal("4.583333"))
    assert quote(p, "119", uom=p.pcs).unit_price == Decimal("5.000000")


def test_currency_restricts_the_prices(p, prices):
    SupplierPrice.objects.create(company=p.company, partner=p.s1, product=p.widget, currency=p.usd, uom=p.box,
                                 min_quantity=Decimal("0"), price=Decimal("8"))

    assert quote(p, "1", currency=p.usd).unit_price == Decimal("8")
    assert quote(p, "1", currency=p.company.base_currency).unit_price == Decimal("60")


def test_another_supplier_has_no_quote(p, prices):
    assert supplier_price_for(company=p.company, partner=p.s2, product=p.widget, quantity="1", uom=p.box,
                              on=TODAY) is None


def test_create_defaults_currency_and_unit(p):
    price = supplier_price_create(actor=p.purchaser, company=p.company,
                                  data={"partner": p.s2.pk, "product": p.widget.pk, "price": "7.5"})

    assert (price.currency, price.uom, price.min_quantity, price.price) == (p.usd, p.box, Decimal("0"),
                                                                            Decimal("7.5"))


@pytest.mark.parametrize(("data", "field"), [
    ({"partner": "customer", "product": "widget", "price": "1"}, "partner"),
    ({"partner": "s1", "product": "widget", "price": "1", "uom": "kg"}, "uom"),
    ({"partner": "s1", "product": "widget", "price": "-1"}, "price"),
    ({"partner": "s1", "product": "widget", "price": 1.5}, "price"),
    ({"partner": "s1", "product": "widget", "price": "1", "valid_from": datetime.date(2026, 3, 2),
      "valid_to": datetime.date(2026, 3, 1)}, "non_field_errors"),
])
def test_bad_prices_are_refused(p, data, field):
    from tessera.partners.tests.factories import PartnerFactory

    named = {"s1": p.s1.pk, "widget": p.widget.pk, "kg": p.kg.pk,
             "customer": PartnerFactory(company=p.company, is_customer=True, is_supplier=False).pk}
    data = {key: named.get(value, value) if isinstance(value, str) else value for key, value in data.items()}

    with pytest.raises(ValidationFailed) as error:
        supplier_price_create(actor=p.purchaser, company=p.company, data=data)

    assert field in error.value.fields
    assert SupplierPrice.objects.count() == 0


def test_update_and_delete(p, prices):
    price = supplier_price_update(actor=p.purchaser, price=prices[0], data={"price": "61", "discount": "5"})
    assert (price.price, price.discount) == (Decimal("61"), Decimal("5"))

    supplier_price_delete(actor=p.purchaser, price=price)
    assert SupplierPrice.objects.count() == 2


def test_prices_need_permission(p, prices):
    with pytest.raises(PermissionDenied):
        supplier_price_update(actor=p.clerk, price=prices[0], data={"price": "1"})
    with pytest.raises(PermissionDenied):
        supplier_price_delete(actor=p.employee, price=prices[0])

    assert SupplierPrice.objects.get(pk=prices[0].pk).price == Decimal("60")


def test_settings_are_created_on_first_use_and_updated(p):
    assert purchase_settings(p.company).over_receipt_percent == 0

    settings = purchase_settings_update(actor=p.manager, company=p.company, data={
        "over_receipt_percent": "10", "price_difference_account": p.account("grir").pk})

    assert (settings.over_receipt_percent, settings.price_difference_account) == (Decimal("10"), p.account("grir"))


def test_settings_refuse_bad_values_and_other_users(p):
    with pytest.raises(ValidationFailed):
        purchase_settings_update(actor=p.manager, company=p.company, data={"over_receipt_percent": "150"})
    with pytest.raises(PermissionDenied):
        purchase_settings_update(actor=p.clerk, company=p.company, data={"over_receipt_percent": "5"})

    assert purchase_settings(p.company).over_receipt_percent == 0

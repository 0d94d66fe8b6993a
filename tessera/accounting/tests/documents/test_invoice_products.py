"""Invoice lines naming a product take their description, account, unit, price and tax from it."""

from decimal import Decimal

import pytest

from tessera.accounting.services.invoices import invoice_create, invoice_post
from tessera.core.errors import ValidationFailed
from tessera.products.models import Product, ProductCategory, Uom, UomCategory

from .conftest import D, legs


@pytest.fixture
def catalogue(books):
    company = books.company
    count = UomCategory.objects.create(company=company, name="Unit")
    weight = UomCategory.objects.create(company=company, name="Weight")
    piece = Uom.objects.create(company=company, category=count, name="件", ratio=1, is_reference=True)
    box = Uom.objects.create(company=company, category=count, name="箱(12)", ratio=12)
    kg = Uom.objects.create(company=company, category=weight, name="kg", ratio=1, is_reference=True)
    parent = ProductCategory.objects.create(company=company, name="商品", income_account=books.revenue,
                                            expense_account=books.expense)
    goods = ProductCategory.objects.create(company=company, name="文具", parent=parent)
    pen = Product.objects.create(company=company, sku="PEN-01", name="签字笔", category=goods, uom=piece,
                                 list_price=Decimal("2.50"), standard_cost=Decimal("1.20"), sales_tax=books.vat13,
                                 purchase_tax=books.input13)
    return {"pen": pen, "box": box, "kg": kg}


def test_a_customer_line_takes_the_products_defaults(books, catalogue):
    invoice = invoice_create(actor=books.actor, company=books.company,
                             data={"kind": "customer_invoice", "partner": books.customer, "date": D(2026, 3, 15)},
                             lines=[{"product": catalogue["pen"], "quantity": "2", "uom": catalogue["box"],
                                     "unit_price": "30.00"}])
    line = invoice.lines.get()

    assert (line.description, line.account, line.uom, line.unit_price) == ("签字笔", books.revenue, catalogue["box"],
                                                                           Decimal("30.00"))
    assert list(line.taxes.all()) == [books.vat13]
    assert (invoice.total_untaxed, invoice.total_tax, invoice.total) == (Decimal("60.00"), Decimal("7.80"),
                                                                         Decimal("67.80"))
    posted = invoice_post(actor=books.actor, invoice=invoice)
    assert legs(posted.entry) == [("1122", Decimal("67.80"), 0), ("6001", 0, Decimal("60.00")),
                                  ("22210102", 0, Decimal("7.80"))]


def test_a_supplier_line_takes_the_standard_cost_and_the_purchase_tax(books, catalogue):
    invoice = invoice_create(actor=books.actor, company=books.company,
                             data={"kind": "supplier_invoice", "partner": books.supplier, "date": D(2026, 3, 15)},
                             lines=[{"product": catalogue["pen"], "quantity": "100"}])
    line = invoice.lines.get()

    assert (line.account, line.uom, line.unit_price) == (books.expense, catalogue["pen"].uom, Decimal("1.20"))
    assert list(line.taxes.all()) == [books.input13]


def test_taxes_sent_empty_are_kept_empty(books, catalogue):
    invoice = invoice_create(actor=books.actor, company=books.company,
                             data={"kind": "customer_invoice", "partner": books.customer, "date": D(2026, 3, 15)},
                             lines=[{"product": catalogue["pen"], "quantity": "1", "taxes": []}])
    assert invoice.total_tax == Decimal("0.00")


def test_a_unit_of_another_kind_is_refused(books, catalogue):
    with pytest.raises(ValidationFailed) as error:
        invoice_create(actor=books.actor, company=books.company,
                       data={"kind": "customer_invoice", "partner": books.customer, "date": D(2026, 3, 15)},
                       lines=[{"product": catalogue["pen"], "quantity": "1", "uom": catalogue["kg"]}])
    assert list(error.value.fields) == ["lines.0.uom"]


def test_a_line_without_product_still_needs_an_account(books):
    with pytest.raises(ValidationFailed) as error:
        invoice_create(actor=books.actor, company=books.company,
                       data={"kind": "customer_invoice", "partner": books.customer, "date": D(2026, 3, 15)},
                       lines=[{"description": "Consulting", "unit_price": "10.00"}])
    assert "lines.0.account" in error.value.fields

"""Through the API, a line may name just a product and a quantity (API.md: the product's default taxes apply)."""

from decimal import Decimal

from tessera.products.models import Product, ProductCategory, Uom, UomCategory

from .conftest import INVOICES


def make_pen(books):
    company = books.company
    unit = UomCategory.objects.create(company=company, name="Unit")
    piece = Uom.objects.create(company=company, category=unit, name="件", ratio=1, is_reference=True)
    category = ProductCategory.objects.create(company=company, name="文具", income_account=books.revenue,
                                              expense_account=books.expense)
    return Product.objects.create(company=company, sku="PEN-01", name="签字笔", category=category, uom=piece,
                                  list_price=Decimal("2.50"), sales_tax=books.output_vat)


def test_a_line_with_only_a_product_and_a_quantity(api, books):
    pen = make_pen(books)
    response = api.post(INVOICES, {"kind": "customer_invoice", "partner": books.customer.pk, "date": "2026-03-15",
                                   "lines": [{"product": pen.pk, "quantity": "10"}]}, format="json")

    assert response.status_code == 201, response.json()
    line = response.json()["lines"][0]
    assert (line["description"], line["account"], line["uom"], line["unit_price"], line["taxes"]) == (
        "签字笔", books.revenue.pk, pen.uom_id, "2.500000", [books.output_vat.pk])
    assert (response.json()["total_untaxed"], response.json()["total"]) == ("25.00", "28.25")


def test_a_line_without_product_or_account_is_a_field_error(api, books):
    response = api.post(INVOICES, {"kind": "customer_invoice", "partner": books.customer.pk, "date": "2026-03-15",
                                   "lines": [{"description": "Consulting", "unit_price": "10.00"}]}, format="json")

    assert response.status_code == 400
    assert "lines.0.account" in response.json()["error"]["fields"]

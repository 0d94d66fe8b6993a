"""The products demo: units, categories carrying CN01's accounts, products with two languages, barcodes and VAT."""

from decimal import Decimal

import pytest

from tessera.core import demo
from tessera.core.models import Company
from tessera.products.models import Product, ProductCategory, Uom, UomCategory
from tessera.products.services import barcode_error, product_accounts, product_costing_method, uom_convert

pytestmark = pytest.mark.django_db
MODELS = (UomCategory, Uom, ProductCategory, Product)


@pytest.fixture
def built():
    demo.build(out=lambda line: None)
    return {code: Company.objects.get(code=code) for code in ("CN01", "US01")}


def test_the_demo_catalogues(built):
    products = Product.objects.filter(company=built["CN01"]).select_related("uom", "purchase_uom", "sales_tax")

    assert products.count() == 12
    assert all(product.name and product.name_en for product in products)
    mouse = products.get(sku="EL-001")
    # CN01 names its products in Chinese and English, buys the mouse by the box of 12.
    assert (mouse.uom.name, mouse.purchase_uom.name, mouse.sales_tax.name, mouse.barcode) == (
        "件", "箱(12件)", "销项税 13%", "6901234567892")
    assert uom_convert(quantity="2", from_uom=mouse.purchase_uom, to_uom=mouse.uom) == Decimal("24")
    assert all(barcode_error(product.barcode) is None for product in products if product.barcode)
    assert {product.sales_tax.name for product in products.filter(type="service")} == {"销项税 6%"}
    # The categories carry CN01's accounts; 电子产品 is costed FIFO.
    accounts = {field: setting.value.code for field, setting in product_accounts(mouse).items()}

    assert accounts == {"income_account": "6001", "expense_account": "6401", "inventory_account": "1405",
                        "price_difference_account": "6401", "stock_adjustment_account": "1901"}
    assert product_costing_method(mouse).value == "fifo"
    # US01's units and products are named in English.
    assert Uom.objects.get(company=built["US01"], is_reference=True, symbol="pcs").name == "Piece"
    assert Product.objects.filter(company=built["US01"]).count() == 4


def test_running_the_demo_again_creates_nothing(built):
    before = {model.__name__: model.objects.count() for model in MODELS}

    demo.build(out=lambda line: None)

    assert {model.__name__: model.objects.count() for model in MODELS} == before

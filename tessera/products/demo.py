"""Products demo: the standard units in CN01 and US01 plus boxes of 12; a category tree carrying CN01's accounts
(商品 with 电子产品, 办公用品 and 食品 below it; 消耗品; 服务); a dozen CN01 products with Chinese and English
names, barcodes and 13 % / 6 % VAT; a few US01 products.

Runs after the accounting demo (the charts and taxes exist). Idempotent: categories are found by name under
their parent, units by name and products by SKU; nothing existing is changed.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.core import demo

from .models import Product, ProductCategory, Uom, UomCategory
from .services import (
    gtin_check_digit,
    product_category_create,
    product_create,
    uom_create,
    uom_defaults_install,
)

Account = ProductCategory._meta.get_field("income_account").related_model
Tax = Product._meta.get_field("sales_tax").related_model

# company -> [(unit category, name, English name, symbol, ratio, decimal places)]: packs beside the standard units.
EXTRA_UNITS = {
    "CN01": [("数量", "箱(12件)", "Box of 12", "box12", "12", 0), ("数量", "包(10支)", "Pack of 10", "pk10", "10", 0)],
    "US01": [("Units", "Box of 12", "", "box12", "12", 0)],
}

# company -> [(path, English name, costing method, {account field: account code})]: parents before children.
CATEGORIES = {
    "CN01": [
        ("商品", "Goods", "average", {"income_account": "6001", "expense_account": "6401", "inventory_account": "1405",
                                     "price_difference_account": "6401", "stock_adjustment_account": "1901"}),
        ("商品/电子产品", "Electronics", "fifo", {}),
        ("商品/办公用品", "Office supplies", "", {}),
        ("商品/食品", "Food", "fifo", {}),
        ("消耗品", "Consumables", "", {"expense_account": "6602", "income_account": "6051"}),
        ("服务", "Services", "", {"income_account": "6001", "expense_account": "6401"}),
    ],
    "US01": [
        ("Merchandise", "", "average", {"income_account": "4000", "expense_account": "5000",
                                        "inventory_account": "1300"}),
        ("Services", "", "", {"income_account": "4000", "expense_account": "5000"}),
    ],
}

# company -> taxes by key: (kind, name)
TAXES = {
    "CN01": {"13": ("sales", "销项税 13%"), "6": ("sales", "销项税 6%"), "in13": ("purchase", "进项税 13%"),
             "in6": ("purchase", "进项税 6%")},
    "US01": {"13": ("sales", "Sales tax 10%"), "6": ("sales", "Sales tax 0%"),
             "in13": ("purchase", "Purchase tax 10%"), "in6": ("purchase", "Purchase tax 0%")},
}



def ean13(first12: str) -> str:
    """An EAN-13 barcode: the 12 digits and their check digit (690-699: codes issued in China)."""
    return first12 + str(gtin_check_digit(first12))


# (sku, name, English name, category path, type, unit, purchase unit, barcode, list price, standard cost,
#  sales tax key, tracking)
PRODUCTS = {
    "CN01": [
        ("EL-001", "无线鼠标", "Wireless mouse", "商品/电子产品", "stock", "件", "箱(12件)", ean13("690123456789"),
         "99.00", "45.00", "13", "none"),
        ("EL-002", "机械键盘", "Mechanical keyboard", "商品/电子产品", "stock", "件", "", ean13("690123456790"),
         "299.00", "160.00", "13", "none"),
        ("EL-003", "27英寸显示器", "27-inch monitor", "商品/电子产品", "stock", "件", "", ean13("690123456791"),
         "1599.00", "1100.00", "13", "serial"),
        ("EL-004", "USB-C数据线", "USB-C cable", "商品/电子产品", "stock", "件", "箱(12件)", ean13("690123456792"),
         "39.00", "12.00", "13", "none"),
        ("EL-005", "蓝牙耳机", "Bluetooth earphones", "商品/电子产品", "stock", "件", "", ean13("690123456793"),
         "399.00", "180.00", "13", "lot"),
        ("OF-001", "A4复印纸（500张）", "A4 copy paper (500 sheets)", "商品/办公用品", "stock", "件", "箱(12件)",
         ean13("692000000011"), "28.00", "19.50", "13", "none"),
        ("OF-002", "中性笔（黑）", "Gel pen (black)", "商品/办公用品", "stock", "件", "包(10支)", ean13("692000000012"),
         "3.50", "1.20", "13", "none"),
        ("OF-003", "订书机", "Stapler", "商品/办公用品", "stock", "件", "打", ean13("692000000013"), "25.00", "11.00",
         "13", "none"),
        ("FD-001", "西湖龙井茶", "Longjing green tea", "商品/食品", "stock", "千克", "斤", ean13("693000000021"),
         "960.00", "520.00", "13", "lot"),
        ("CS-001", "包装纸箱", "Packing carton", "消耗品", "consumable", "件", "打", "", "0", "4.00", "13", "none"),
        ("SV-001", "安装调试服务", "Installation and set-up", "服务", "service", "小时", "", "", "200.00", "80.00", "6",
         "none"),
        ("SV-002", "现场维护（按天）", "On-site maintenance (per day)", "服务", "service", "天", "", "", "1200.00",
         "500.00", "6", "none"),
    ],
    "US01": [
        ("EL-001", "Wireless mouse", "", "Merchandise", "stock", "Piece", "Box of 12", "036000291452", "19.90", "8.00",
         "13", "none"),
        ("EL-004", "USB-C cable", "", "Merchandise", "stock", "Piece", "Box of 12", "", "9.90", "2.50", "13", "none"),
        ("EL-006", "Coffee beans", "", "Merchandise", "stock", "Kilogram", "", "", "24.00", "11.00", "13", "lot"),
        ("SV-001", "Consulting", "", "Services", "service", "Hour", "", "", "150.00", "60.00", "6", "none"),
    ],
}


@demo.register(order=25)
def build_products(ctx: demo.DemoContext) -> None:
    """Units, categories and products of CN01 and US01."""
    for code in ("CN01", "US01"):
        company = ctx.companies[code]
        installed = uom_defaults_install(company=company, actor=ctx.admin)
        if installed.units:
            ctx.out(_("Installed %(count)s standard units in %(company)s") % {"count": installed.units,
                                                                              "company": code})
        _units(ctx, company, EXTRA_UNITS[code])
        categories = _categories(ctx, company, CATEGORIES[code])
        _products(ctx, company, categories, PRODUCTS[code], TAXES[code])


def _units(ctx, company, rows) -> None:
    for category_name, name, name_en, symbol, ratio, places in rows:
        if Uom.objects.filter(company=company, name=name).exists():
            continue
        uom_create(actor=ctx.admin, company=company, data={
            "category": UomCategory.objects.get(company=company, name=category_name), "name": name,
            "name_en": name_en, "symbol": symbol, "ratio": Decimal(ratio), "decimal_places": places})


def _categories(ctx, company, rows) -> dict[str, ProductCategory]:
    found: dict[str, ProductCategory] = {}
    for path, name_en, costing, accounts in rows:
        parent_path, _slash, name = path.rpartition("/")
        parent = found.get(parent_path) if parent_path else None
        category = ProductCategory.objects.filter(company=company, parent=parent, name=name).first()
        if category is None:
            data = {"name": name, "name_en": name_en, "parent": parent, "costing_method": costing}
            data.update({field: Account.objects.get(company=company, code=code) for field, code in accounts.items()})
            category = product_category_create(actor=ctx.admin, company=company, data=data)
        found[path] = category
    return found


def _products(ctx, company, categories, rows, taxes) -> None:
    units = {uom.name: uom for uom in Uom.objects.filter(company=company)}

    def tax(key):
        kind, name = taxes[key]
        return Tax.objects.filter(company=company, kind=kind, name=name).first()

    created = 0
    for (sku, name, name_en, category, type_, uom, purchase_uom, barcode, price, cost, tax_key,
         tracking) in rows:
        if Product.objects.filter(company=company, sku=sku).exists():
            continue
        product_create(actor=ctx.admin, company=company, data={
            "sku": sku, "name": name, "name_en": name_en, "category": categories[category], "type": type_,
            "uom": units[uom], "purchase_uom": units[purchase_uom] if purchase_uom else None,
            "barcode": barcode,
            "list_price": Decimal(price), "standard_cost": Decimal(cost), "sales_tax": tax(tax_key),
            "purchase_tax": tax("in" + tax_key), "tracking": tracking, "is_sold": sku != "CS-001",
        })
        created += 1
    if created:
        ctx.out(_("Created %(count)s products in %(company)s") % {"count": created, "company": company.code})

"""Product screens: pages in English and Chinese, access, list search/filters/scan/export, the form, the detail
page's effective settings, deactivation and deletion."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from tessera.products.models import Product
from tessera.products.tests.factories import ProductFactory
from tessera.products.tests.images import png

from .conftest import in_chinese

pytestmark = pytest.mark.django_db


def product_pages(product) -> list[str]:
    return [reverse("products:product_list"), reverse("products:product_detail", args=[product.pk]),
            reverse("products:productcategory_list"),
            reverse("products:productcategory_detail", args=[product.category_id]),
            reverse("products:uom_list"), reverse("products:uom_detail", args=[product.uom_id]),
            reverse("products:uomcategory_list"),
            reverse("products:uomcategory_detail", args=[product.uom.category_id])]


def form_pages(product) -> list[str]:
    return [reverse("products:product_create"), reverse("products:product_update", args=[product.pk]),
            reverse("products:productcategory_create"),
            reverse("products:productcategory_update", args=[product.category_id]),
            reverse("products:uom_create"), reverse("products:uom_update", args=[product.uom_id]),
            reverse("products:uomcategory_create"),
            reverse("products:uomcategory_update", args=[product.uom.category_id])]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_salesperson_sees_every_products_page(sales_web, product, language):
    if language == "zh-hans":
        in_chinese(sales_web)
    urls = product_pages(product)

    responses = {url: sales_web.get(url) for url in urls}

    assert {url: response.status_code for url, response in responses.items()} == {url: 200 for url in urls}
    assert all(f'<html lang="{language}">' in response.content.decode() for response in responses.values())


def test_a_salesperson_may_not_open_the_forms(sales_web, product):
    urls = form_pages(product)

    responses = {url: sales_web.get(url) for url in urls}

    assert {url: response.status_code for url, response in responses.items()} == {url: 403 for url in urls}
    assert "(products.add_product)" in responses[urls[0]].content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_manager_opens_every_form(manager_web, product, language):
    if language == "zh-hans":
        in_chinese(manager_web)
    urls = form_pages(product)

    assert {url: manager_web.get(url).status_code for url in urls} == {url: 200 for url in urls}


def test_the_chinese_ui_shows_chinese_names_and_the_english_ui_english_ones(sales_web, product):
    url = reverse("products:product_detail", args=[product.pk])

    english = sales_web.get(url).content.decode()
    chinese = in_chinese(sales_web).get(url).content.decode()

    assert "EL-001 · Wireless mouse" in english and "商品 / 电子产品" not in english
    assert "EL-001 · 无线鼠标" in chinese and "商品 / 电子产品" in chinese


def test_the_menu_lists_products_categories_and_units(sales_web):
    navigation = sales_web.get(reverse("home")).context["navigation"]
    master = next(module for module in navigation if module["code"] == "masterdata")

    urls = [entry["url"] for entry in master["entries"]]
    assert [reverse("products:product_list"), reverse("products:productcategory_list"),
            reverse("products:uom_list")] == [url for url in urls if url.startswith("/products/")]


def test_a_user_without_product_rights_is_refused_with_the_reason(client_for, make_user):
    response = client_for(make_user("hr_officer")).get(reverse("products:product_list"))

    assert response.status_code == 403
    assert "(products.view_product)" in response.content.decode()


# --- List ---------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(company, product, goods, units):
    ProductFactory(company=company, sku="OF-001", name="签字笔", name_en="Gel pen", category=goods, uom=units["件"],
                   type="consumable", barcode="INT-0042")
    ProductFactory(company=company, sku="SV-001", name="安装", name_en="Installation", category=goods,
                   uom=units["小时"], type="service", is_active=False)


def skus(client, query="") -> list[str]:
    return [obj.sku for obj, _cells, _url in client.get(reverse("products:product_list") + query).context["rows"]]


def test_the_list_searches_sku_names_and_barcodes(sales_web, catalogue):
    assert skus(sales_web, "?q=pen") == ["OF-001"]
    assert skus(sales_web, "?q=鼠标") == ["EL-001"]
    assert skus(sales_web, "?q=INT-0042") == ["OF-001"]
    assert skus(sales_web, "?q=el-") == ["EL-001"]


def test_the_list_filters_type_activity_and_category_with_sub_categories(sales_web, catalogue, goods, electronics):
    assert skus(sales_web, "?type=service") == ["SV-001"]
    assert skus(sales_web, "?is_active=true") == ["EL-001", "OF-001"]
    assert skus(sales_web, f"?category={goods.pk}") == ["EL-001", "OF-001", "SV-001"]
    assert skus(sales_web, f"?category={electronics.pk}") == ["EL-001"]


def test_the_category_filter_names_categories_by_path(sales_web, catalogue, electronics):
    page = sales_web.get(reverse("products:product_list")).content.decode()

    assert f'<option value="{electronics.pk}">Goods / Electronics</option>' in page


def test_the_list_exports_csv(sales_web, catalogue):
    response = sales_web.get(reverse("products:product_list") + "?export=csv&type=stock")

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines() == ["SKU,Name,Category,Type,Unit,List price,Barcode,Active",
                                 "EL-001,Wireless mouse,Electronics,Stockable,Piece,99.00,6901234567892,Yes"]


def test_the_list_exports_xlsx(sales_web, catalogue):
    response = sales_web.get(reverse("products:product_list") + "?export=xlsx")

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_a_scanned_barcode_opens_its_product(sales_web, product):
    response = sales_web.get(reverse("products:product_scan") + "?barcode=%206901234567892%20")

    assert response.status_code == 302
    assert response["Location"] == reverse("products:product_detail", args=[product.pk])


def test_an_unknown_barcode_comes_back_to_the_list_with_a_message(sales_web, product):
    response = sales_web.get(reverse("products:product_scan") + "?barcode=123", follow=True)

    assert response.redirect_chain == [(reverse("products:product_list") + "?q=123", 302)]
    assert "No product has the barcode 123." in response.content.decode()


# --- Detail ---------------------------------------------------------------------------------------------


def test_the_detail_shows_the_effective_costing_method_and_accounts_and_their_origin(sales_web, product, goods,
                                                                                       electronics):
    context = sales_web.get(reverse("products:product_detail", args=[product.pk])).context

    assert (context["costing"]["value"], context["costing"]["category"]) == ("FIFO", goods)
    accounts = {str(row["label"]): (str(row["value"]) if row["value"] else None, row["category"])
                for row in context["accounts"]}
    assert accounts == {"income account": ("6001 主营业务收入", goods), "expense account": ("6401 主营业务成本", goods),
                        "inventory account": ("1405 库存商品", goods), "price difference account": (None, None),
                        "inventory gain/loss account": (None, None)}


def test_the_detail_shows_the_image(manager_web, product, manager):
    from tessera.products.services import product_update

    product_update(actor=manager, product=product, data={"image": png()})

    page = manager_web.get(reverse("products:product_detail", args=[product.pk])).content.decode()

    assert 'data-testid="product-image"' in page and "/media/products/" in page


def test_a_salesperson_sees_no_edit_buttons(sales_web, product):
    actions = sales_web.get(reverse("products:product_detail", args=[product.pk])).context["actions"]

    assert actions == []


# --- Forms ----------------------------------------------------------------------------------------------


@pytest.fixture
def form_data(units, electronics, chart):
    def make(**changes):
        data = {"sku": "EL-100", "name": "蓝牙耳机", "name_en": "Bluetooth earphones", "category": electronics.pk,
                "type": "stock", "uom": units["件"].pk, "purchase_uom": units["箱"].pk, "barcode": "",
                "list_price": "199.00", "standard_cost": "80.00", "costing_method": "", "sales_tax": chart.vat13.pk,
                "purchase_tax": chart.input13.pk, "tracking": "none", "is_sold": "on", "is_purchased": "on",
                "description": "", "is_active": "on"}
        return {**data, **changes}

    return make


def test_units_are_grouped_by_category_in_the_form(manager_web, units):
    form = manager_web.get(reverse("products:product_create")).context["form"]

    groups = dict((label, [name for _pk, name in options]) for label, options in form.fields["uom"].choices[1:])
    assert groups["Units"] == ["Piece (pcs)", "Dozen (dz)", "Box of 12 (box)"]
    assert groups["Weight"][:2] == ["Gram (g)", "Jin (500 g) (jin)"]


def test_a_product_is_created_through_the_form(manager_web, company, form_data):
    response = manager_web.post(reverse("products:product_create"), form_data(image=png()))

    product = Product.objects.get(company=company, sku="EL-100")
    assert response.status_code == 302
    assert response["Location"] == reverse("products:product_detail", args=[product.pk])
    assert (product.list_price, product.purchase_uom.name, bool(product.image)) == (Decimal("199.00"), "箱", True)


def test_a_purchase_unit_of_another_category_is_a_field_error(manager_web, form_data, units):
    response = manager_web.post(reverse("products:product_create"), form_data(purchase_uom=units["千克"].pk))

    assert response.status_code == 200
    assert response.context["form"].errors == {"purchase_uom": [
        "The purchase unit must measure the same thing as the unit: choose a unit of Units."]}
    assert not Product.objects.exists()


def test_a_save_over_someone_elses_change_is_refused(manager_web, manager, product, form_data):
    from tessera.products.services import product_update

    url = reverse("products:product_update", args=[product.pk])
    loaded = manager_web.get(url).context["form"]["version"].value()
    product_update(actor=manager, product=product, data={"list_price": Decimal("109")})

    response = manager_web.post(url, form_data(sku="EL-001", version=loaded, list_price="1.00"))

    assert response.status_code == 200
    assert "Someone else changed [EL-001] Wireless mouse meanwhile" in response.content.decode()
    product.refresh_from_db()
    assert (product.list_price, product.version) == (Decimal("109"), 2)


def test_the_edit_form_shows_prices_without_trailing_zeros(manager_web, product):
    form = manager_web.get(reverse("products:product_update", args=[product.pk])).context["form"]

    assert (str(form["list_price"].value()), str(form["standard_cost"].value())) == ("99.00", "45.00")


def test_copy_starts_from_another_product_without_its_identity(manager_web, product):
    form = manager_web.get(reverse("products:product_create") + f"?copy={product.pk}").context["form"]

    assert form["sku"].value() is None and form["barcode"].value() is None
    assert (form["name"].value(), form["purchase_uom"].value()) == ("无线鼠标", product.purchase_uom_id)


# --- Deactivate, delete ----------------------------------------------------------------------------------


def test_a_product_is_deactivated_and_activated(manager_web, product):
    manager_web.post(reverse("products:product_deactivate", args=[product.pk]))
    product.refresh_from_db()
    assert not product.is_active

    manager_web.post(reverse("products:product_activate", args=[product.pk]))
    product.refresh_from_db()
    assert product.is_active


def test_a_salesperson_cannot_deactivate(sales_web, product):
    response = sales_web.post(reverse("products:product_deactivate", args=[product.pk]), follow=True)

    assert "(products.change_product)" in response.content.decode()
    product.refresh_from_db()
    assert product.is_active


def test_an_unused_product_is_deleted(manager_web, product):
    response = manager_web.post(reverse("products:product_delete", args=[product.pk]))

    assert response["Location"] == reverse("products:product_list")
    assert not Product.objects.filter(pk=product.pk).exists()


def test_a_product_in_use_is_kept_with_a_message(manager_web, product, units, monkeypatch):
    def protected(self, *args, **kwargs):
        raise ProtectedError("protected", {units["件"]})

    monkeypatch.setattr(Product, "delete", protected)

    response = manager_web.post(reverse("products:product_delete", args=[product.pk]), follow=True)

    assert "is used by other records and cannot be deleted" in response.content.decode()
    assert Product.objects.filter(pk=product.pk).exists()

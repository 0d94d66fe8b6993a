"""The products API: `products/` with `?barcode=`, versions, activation, images, and its errors."""

from decimal import Decimal

import pytest

from tessera.core.models import AuditEntry
from tessera.products.models import Product
from tessera.products.tests.factories import ProductFactory
from tessera.products.tests.images import not_an_image, png

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"


def item(product) -> str:
    return f"{PRODUCTS}{product.pk}/"


@pytest.fixture
def body(units, electronics, chart):
    def make(**changes):
        return {"sku": "EL-100", "name": "蓝牙耳机", "name_en": "Bluetooth earphones", "category": electronics.pk,
                "type": "stock", "uom": units["件"].pk, "purchase_uom": units["箱"].pk, "barcode": "6901234567809",
                "list_price": "199.00", "standard_cost": "80.00", "sales_tax": chart.vat13.pk,
                "purchase_tax": chart.input13.pk, **changes}

    return make


# --- Read ----------------------------------------------------------------------------------------------


def test_a_salesperson_reads_products(sales_api, product, goods, chart, units):
    response = sales_api.get(item(product))

    assert response.status_code == 200
    data = response.json()
    assert {key: data[key] for key in ("sku", "name", "name_en", "type", "uom", "purchase_uom", "list_price",
                                       "standard_cost", "costing_method", "effective_costing_method", "sales_tax",
                                       "purchase_tax", "tracking", "barcode", "is_active", "version", "image")} == {
        "sku": "EL-001", "name": "无线鼠标", "name_en": "Wireless mouse", "type": "stock", "uom": units["件"].pk,
        "purchase_uom": units["箱"].pk, "list_price": "99.000000", "standard_cost": "45.000000",
        "costing_method": "", "effective_costing_method": "fifo", "sales_tax": chart.vat13.pk,
        "purchase_tax": chart.input13.pk, "tracking": "none", "barcode": "6901234567892", "is_active": True,
        "version": 1, "image": None}


def test_the_barcode_look_up_is_exact(sales_api, product, company, units):
    ProductFactory(company=company, sku="EL-002", barcode="69012345678", uom=units["件"])

    found = sales_api.get(PRODUCTS, {"barcode": " 6901234567892 "}).json()
    missing = sales_api.get(PRODUCTS, {"barcode": "690123456789"}).json()

    assert [row["sku"] for row in found["results"]] == ["EL-001"]
    assert missing["count"] == 0


def test_search_filters_and_sub_categories(sales_api, product, company, goods, units):
    ProductFactory(company=company, sku="OF-001", name="签字笔", name_en="Gel pen", uom=units["件"],
                   category=goods, type="consumable")
    ProductFactory(company=company, sku="SV-001", name="安装服务", name_en="Installation", uom=units["小时"],
                   type="service", is_active=False)

    def skus(**query):
        return [row["sku"] for row in sales_api.get(PRODUCTS, query).json()["results"]]

    assert skus(search="pen") == ["OF-001"]
    assert skus(search="鼠标") == ["EL-001"]
    assert skus(search="78929") == []
    assert skus(search="456789") == ["EL-001"]
    assert skus(category=goods.pk) == ["EL-001", "OF-001"]  # 电子产品 is below 商品
    assert skus(type="service") == ["SV-001"]
    assert skus(is_active="false") == ["SV-001"]
    assert skus(ordering="-sku") == ["SV-001", "OF-001", "EL-001"]


def test_another_companys_product_is_not_found(sales_api, other_company, units):
    foreign = ProductFactory(company=other_company, sku="X-1")

    assert sales_api.get(item(foreign)).status_code == 404


# --- Create ----------------------------------------------------------------------------------------------


def test_a_manager_creates_a_product(manager_api, company, body):
    response = manager_api.post(PRODUCTS, body(), format="json")

    assert response.status_code == 201, response.json()
    product = Product.objects.get(company=company, sku="EL-100")
    assert response.json()["id"] == product.pk
    assert (product.list_price, product.version) == (Decimal("199.00"), 1)
    entry = AuditEntry.objects.get(content_type__model="product", object_id=str(product.pk))
    assert (entry.action, entry.channel) == ("create", "api")


def test_a_salesperson_may_not_create_products(sales_api, body):
    response = sales_api.post(PRODUCTS, body(), format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "products.add_product" in response.json()["error"]["message"]
    assert not Product.objects.exists()


def test_a_taken_sku_and_barcode_are_field_errors(manager_api, product, body):
    response = manager_api.post(PRODUCTS, body(sku="EL-001"), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"sku": ["SKU EL-001 is in use already."]}
    response = manager_api.post(PRODUCTS, body(barcode=product.barcode), format="json")
    assert response.json()["error"]["fields"] == {"barcode": [
        "Barcode 6901234567892 belongs to [EL-001] Wireless mouse already."]}
    assert Product.objects.count() == 1


def test_a_purchase_unit_of_another_category_is_refused(manager_api, body, units):
    response = manager_api.post(PRODUCTS, body(purchase_uom=units["千克"].pk), format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["purchase_uom"]


def test_a_purchase_tax_as_sales_tax_is_refused(manager_api, body, chart):
    response = manager_api.post(PRODUCTS, body(sales_tax=chart.input13.pk), format="json")

    assert response.json()["error"]["fields"] == {"sales_tax": ["Choose a sales tax."]}


def test_prices_are_decimal_strings(manager_api, body):
    response = manager_api.post(PRODUCTS, body(list_price=199.5), format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["list_price"]


@pytest.mark.parametrize("field", ["company", "version"])
def test_the_company_and_version_are_not_written_on_create(manager_api, body, field):
    response = manager_api.post(PRODUCTS, body(**{field: 3}), format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Product.objects.exists()


def test_the_same_idempotency_key_creates_once(manager_api, body):
    first = manager_api.post(PRODUCTS, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = manager_api.post(PRODUCTS, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert Product.objects.count() == 1


def test_an_image_is_uploaded_with_multipart(manager_api, body):
    data = {key: value for key, value in body().items()}
    data["image"] = png()

    response = manager_api.post(PRODUCTS, data, format="multipart", HTTP_IDEMPOTENCY_KEY="upload-1")

    assert response.status_code == 201, response.json()
    assert response.json()["image"].startswith("http://testserver/media/products/")
    again = dict(data, image=png())
    replay = manager_api.post(PRODUCTS, again, format="multipart", HTTP_IDEMPOTENCY_KEY="upload-1")
    assert replay["Idempotent-Replayed"] == "true"
    assert Product.objects.count() == 1


def test_a_file_that_is_not_an_image_is_refused(manager_api, body):
    response = manager_api.post(PRODUCTS, dict(body(), image=not_an_image()), format="multipart")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["image"]
    assert not Product.objects.exists()


# --- Change ----------------------------------------------------------------------------------------------


def test_a_change_with_the_current_version_is_saved(manager_api, product):
    response = manager_api.patch(item(product), {"list_price": "109.00", "version": 1}, format="json")

    assert response.status_code == 200
    assert (response.json()["list_price"], response.json()["version"]) == ("109.000000", 2)


def test_a_stale_version_answers_409(manager_api, product):
    manager_api.patch(item(product), {"name_en": "Mouse", "version": 1}, format="json")

    response = manager_api.patch(item(product), {"list_price": "1.00", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    product.refresh_from_db()
    assert (product.list_price, product.version) == (Decimal("99"), 2)


def test_a_salesperson_may_not_change_products(sales_api, product):
    response = sales_api.patch(item(product), {"list_price": "1.00"}, format="json")

    assert response.status_code == 403
    product.refresh_from_db()
    assert product.list_price == Decimal("99")


def test_an_image_is_replaced_and_removed(manager_api, product):
    uploaded = manager_api.patch(item(product), {"image": png()}, format="multipart")
    assert uploaded.status_code == 200 and uploaded.json()["image"]

    removed = manager_api.patch(item(product), {"image": None}, format="json")

    assert removed.json()["image"] is None
    product.refresh_from_db()
    assert not product.image


def test_deactivate_and_activate(manager_api, product):
    archived = manager_api.post(f"{item(product)}deactivate/", {"version": 1}, format="json")
    again = manager_api.post(f"{item(product)}deactivate/", {}, format="json")
    back = manager_api.post(f"{item(product)}activate/", {}, format="json")

    assert (archived.status_code, archived.json()["is_active"], archived.json()["version"]) == (200, False, 2)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "invalid_state")
    assert back.json()["is_active"] is True


def test_a_salesperson_may_not_deactivate(sales_api, product):
    assert sales_api.post(f"{item(product)}deactivate/", {}, format="json").status_code == 403


# --- Delete ------------------------------------------------------------------------------------------------


def test_an_unused_product_is_deleted(manager_api, product):
    assert manager_api.delete(item(product)).status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()


def test_a_product_in_use_answers_409(manager_api, product, units, monkeypatch):
    from django.db.models import ProtectedError

    def protected(self, *args, **kwargs):
        raise ProtectedError("protected", {units["件"]})

    monkeypatch.setattr(Product, "delete", protected)

    response = manager_api.delete(item(product))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_use"
    assert Product.objects.filter(pk=product.pk).exists()

"""The units and categories API: `products/uoms/` (+ `convert/`, `install-defaults/`), `products/uom-categories/`,
`products/categories/`."""

import pytest

from tessera.products.models import ProductCategory, Uom, UomCategory
from tessera.products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

UOMS = "/api/v1/products/uoms/"
CONVERT = "/api/v1/products/uoms/convert/"
CATEGORIES = "/api/v1/products/categories/"
UOM_CATEGORIES = "/api/v1/products/uom-categories/"


# --- Conversion ----------------------------------------------------------------------------------------


def test_boxes_convert_to_pieces(sales_api, units):
    response = sales_api.get(CONVERT, {"quantity": "3", "from": units["箱"].pk, "to": units["件"].pk})

    assert response.status_code == 200
    assert response.json() == {"quantity": "3", "from": units["箱"].pk, "to": units["件"].pk, "result": "36"}


def test_grams_and_jin_convert_to_kilograms(sales_api, units):
    grams = sales_api.get(CONVERT, {"quantity": "1500", "from": units["克"].pk, "to": units["千克"].pk}).json()
    jin = sales_api.get(CONVERT, {"quantity": "3", "from": units["斤"].pk, "to": units["千克"].pk}).json()

    assert (grams["result"], jin["result"]) == ("1.500", "1.500")


def test_an_inexact_conversion_is_a_400_unless_rounded(sales_api, units):
    query = {"quantity": "5", "from": units["件"].pk, "to": units["箱"].pk}

    refused = sales_api.get(CONVERT, query)
    rounded = sales_api.get(CONVERT, {**query, "rounding": "up"})

    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"quantity": [
        "5 pcs is not an exact quantity of box (0 decimal places): it is about 0.416667 box."]}
    assert rounded.json()["result"] == "1"


def test_units_of_different_categories_are_a_400_on_to(sales_api, units):
    response = sales_api.get(CONVERT, {"quantity": "1", "from": units["千克"].pk, "to": units["件"].pk})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["to"]


def test_missing_or_bad_parameters_are_field_errors(sales_api, units):
    response = sales_api.get(CONVERT, {"quantity": "x", "from": units["件"].pk})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"to"}
    bad = sales_api.get(CONVERT, {"quantity": "x", "from": units["件"].pk, "to": units["件"].pk})
    assert list(bad.json()["error"]["fields"]) == ["quantity"]


def test_another_companys_unit_is_unknown(sales_api, units, other_company):
    from tessera.products.tests.factories import UomFactory

    foreign = UomFactory(company=other_company, name="pcs", is_reference=True)

    response = sales_api.get(CONVERT, {"quantity": "1", "from": foreign.pk, "to": units["件"].pk})

    assert list(response.json()["error"]["fields"]) == ["from"]


# --- Units ---------------------------------------------------------------------------------------------


def test_units_are_listed_by_category(sales_api, units):
    rows = sales_api.get(UOMS, {"page_size": 100}).json()["results"]

    weight = [row["name"] for row in rows if row["category_name"] == "重量"]
    assert weight == ["克", "斤", "千克", "吨"]  # from the smallest ratio
    kilo = next(row for row in rows if row["name"] == "千克")
    assert (kilo["ratio"], kilo["is_reference"], kilo["symbol"], kilo["name_en"]) == (
        "1.0000000000", True, "kg", "Kilogram")


def test_the_standard_units_install_once(manager_api, company):
    first = manager_api.post(f"{UOMS}install-defaults/", format="json")
    second = manager_api.post(f"{UOMS}install-defaults/", format="json")

    assert (first.status_code, first.json()) == (200, {"categories": 5, "units": 15})
    assert second.json() == {"categories": 0, "units": 0}
    assert Uom.objects.filter(company=company).count() == 15


def test_a_salesperson_may_not_install_units(sales_api):
    assert sales_api.post(f"{UOMS}install-defaults/", format="json").status_code == 403
    assert not Uom.objects.exists()


def test_a_unit_is_created_and_a_used_ratio_is_fixed(manager_api, company, units):
    created = manager_api.post(UOMS, {"category": units["件"].category_id, "name": "包", "name_en": "Pack of 10",
                                      "symbol": "pk", "ratio": "10", "decimal_places": 0}, format="json")
    assert created.status_code == 201, created.json()
    pack = Uom.objects.get(pk=created.json()["id"])
    ProductFactory(company=company, uom=units["件"], purchase_uom=pack)

    response = manager_api.patch(f"{UOMS}{pack.pk}/", {"ratio": "20"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_use"
    assert manager_api.delete(f"{UOMS}{pack.pk}/").status_code == 409
    pack.refresh_from_db()
    assert pack.ratio == 10


def test_a_second_reference_unit_is_refused(manager_api, units):
    response = manager_api.post(UOMS, {"category": units["件"].category_id, "name": "个", "ratio": "1",
                                       "is_reference": True}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["is_reference"]


def test_unit_categories_are_created_and_emptied_ones_deleted(manager_api, company):
    created = manager_api.post(UOM_CATEGORIES, {"name": "面积", "name_en": "Area"}, format="json")
    assert created.status_code == 201

    assert manager_api.delete(f"{UOM_CATEGORIES}{created.json()['id']}/").status_code == 204
    assert not UomCategory.objects.filter(company=company).exists()


# --- Product categories ---------------------------------------------------------------------------------


def test_a_category_is_created_with_its_accounts(manager_api, company, goods, chart):
    response = manager_api.post(CATEGORIES, {"name": "办公用品", "name_en": "Office supplies", "parent": goods.pk,
                                             "expense_account": chart.admin.pk}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["path"] == "Goods / Office supplies"
    assert ProductCategory.objects.get(pk=response.json()["id"]).expense_account == chart.admin


def test_an_account_of_the_wrong_type_is_a_field_error(manager_api, chart):
    response = manager_api.post(CATEGORIES, {"name": "X", "inventory_account": chart.revenue.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"inventory_account": [
        "Account 6001 主营业务收入 is of type Income: choose an asset account."]}


def test_another_companys_account_is_unknown(manager_api, other_company):
    from tessera.products.tests.factories import AccountFactory

    foreign = AccountFactory(company=other_company, code="6001", type="income")

    response = manager_api.post(CATEGORIES, {"name": "X", "income_account": foreign.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["income_account"]


def test_a_category_with_products_answers_409(manager_api, product, electronics):
    response = manager_api.delete(f"{CATEGORIES}{electronics.pk}/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_use"


def test_a_salesperson_reads_but_does_not_write_categories(sales_api, goods):
    assert sales_api.get(CATEGORIES).json()["count"] == 1
    assert sales_api.post(CATEGORIES, {"name": "X"}, format="json").status_code == 403
    assert sales_api.delete(f"{CATEGORIES}{goods.pk}/").status_code == 403

"""products.guards: apps above master data (inventory) register costing guards; a product or category
change that would switch the effective costing method of a guarded product is a field error on
`costing_method` (services and API), and nothing is written."""

import pytest

from tessera.core.errors import ValidationFailed
from tessera.products import guards
from tessera.products.models import Product, ProductCategory
from tessera.products.services import product_category_update, product_update
from tessera.products.tests.factories import ProductCategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocked(monkeypatch):
    """Only a fake guard is registered; it refuses the products whose pks are in `blocked` and records the
    pks it was asked about in `blocked.calls`."""

    class Blocked(set):
        calls: list[list[int]]

    pks = Blocked()
    pks.calls = []

    def fake(product_ids):
        pks.calls.append(product_ids)
        return {pk: "7 on hand" for pk in product_ids if pk in pks}

    monkeypatch.setattr(guards, "_costing_guards", [])
    guards.register_costing_guard(fake)
    guards.register_costing_guard(fake)  # a second registration does nothing
    return pks


def _fields(callable_, **kwargs) -> dict:
    with pytest.raises(ValidationFailed) as error:
        callable_(**kwargs)
    return error.value.fields


def test_blockers_collect_every_guards_reason(monkeypatch):
    monkeypatch.setattr(guards, "_costing_guards", [])
    guards.register_costing_guard(lambda ids: {ids[0]: "a"})
    guards.register_costing_guard(lambda ids: {ids[0]: "b", 9: "c"})

    assert guards.costing_change_blockers([5, 3]) == {3: ["a", "b"], 9: ["c"]}
    assert guards.costing_change_blockers([]) == {}


def test_a_guarded_product_keeps_its_method(manager, product, blocked):
    blocked.add(product.pk)

    fields = _fields(product_update, actor=manager, product=product, data={"costing_method": "average"})

    assert fields == {"costing_method": [
        "The costing method cannot change while stock is valued with it: [EL-001] Wireless mouse "
        "(7 on hand). Bring the stock to zero first, or keep the current method."]}
    product.refresh_from_db()
    assert (product.costing_method, product.version) == ("", 1)


def test_guards_are_asked_only_when_the_effective_method_changes(manager, product, blocked):
    blocked.add(product.pk)

    product_update(actor=manager, product=product, data={"costing_method": "fifo", "name_en": "Mouse"})

    assert blocked.calls == []  # fifo came from the category already
    assert Product.objects.filter(pk=product.pk, costing_method="fifo", name_en="Mouse").exists()


def test_an_unguarded_product_changes_its_method(manager, product, blocked):
    product_update(actor=manager, product=product, data={"costing_method": "average"})

    assert blocked.calls == [[product.pk]]
    assert Product.objects.get(pk=product.pk).costing_method == "average"


def test_a_category_change_asks_about_the_products_that_inherit_it(manager, company, goods, electronics, product,
                                                                    units, blocked):
    own = ProductFactory(company=company, sku="OWN", category=electronics, uom=units["件"], costing_method="fifo")
    shielded = ProductCategoryFactory(company=company, name="自有", parent=goods, costing_method="fifo")
    ProductFactory(company=company, sku="SHIELDED", category=shielded, uom=units["件"])
    blocked.add(product.pk)

    fields = _fields(product_category_update, actor=manager, category=goods, data={"costing_method": "average"})

    assert "EL-001 (7 on hand)" in fields["costing_method"][0]
    assert blocked.calls == [[product.pk]]  # not OWN (its own method) nor SHIELDED (its category sets one)
    assert own.pk not in blocked.calls[0]
    assert ProductCategory.objects.get(pk=goods.pk).costing_method == "fifo"


def test_a_category_rename_asks_nobody(manager, goods, product, blocked):
    blocked.add(product.pk)

    product_category_update(actor=manager, category=goods, data={"name_en": "Merchandise"})

    assert blocked.calls == []
    assert ProductCategory.objects.get(pk=goods.pk).name_en == "Merchandise"


def test_moving_a_category_under_another_method_is_guarded(manager, company, electronics, product, blocked):
    average = ProductCategoryFactory(company=company, name="平均", costing_method="average")
    blocked.add(product.pk)

    fields = _fields(product_category_update, actor=manager, category=electronics, data={"parent": average})

    assert list(fields) == ["costing_method"]
    assert ProductCategory.objects.get(pk=electronics.pk).parent_id != average.pk


def test_the_api_answers_a_field_error(api_client_for, manager, product, blocked):
    blocked.add(product.pk)

    response = api_client_for(manager).patch(f"/api/v1/products/{product.pk}/", {"costing_method": "average"},
                                             format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("validation_error", ["costing_method"])
    assert Product.objects.get(pk=product.pk).costing_method == ""


def test_the_category_api_answers_a_field_error(api_client_for, manager, goods, product, blocked):
    blocked.add(product.pk)

    response = api_client_for(manager).patch(f"/api/v1/products/categories/{goods.pk}/",
                                             {"costing_method": "average"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["costing_method"]
    assert ProductCategory.objects.get(pk=goods.pk).costing_method == "fifo"

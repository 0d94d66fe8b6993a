"""A product's costing method (its own, or the one its category passes on) cannot change while stock is
valued with it: inventory's guard registered with products.guards."""

from decimal import Decimal

import pytest

from tessera.core.errors import ValidationFailed
from tessera.inventory.guards import stock_blocks_costing_change
from tessera.inventory.models import ValuationLayer
from tessera.inventory.services import move_done
from tessera.products.models import Product, ProductCategory
from tessera.products.services import product_category_update, product_update
from tessera.products.tests.factories import ProductCategoryFactory

from ..conftest import outgoing, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user("administrator", username="admin-guard")


def _error(callable_, **kwargs) -> list[str]:
    with pytest.raises(ValidationFailed) as error:
        callable_(**kwargs)
    assert list(error.value.fields) == ["costing_method"]
    return error.value.fields["costing_method"]


def test_a_product_with_stock_on_hand_keeps_its_costing_method(stock, manager):
    receive(stock, stock.widget, 10)

    messages = _error(product_update, actor=manager, product=stock.widget, data={"costing_method": "fifo"})

    assert "[W-1] Widget (10 on hand)" in messages[0]
    assert Product.objects.get(pk=stock.widget.pk).costing_method == ""
    assert stock_blocks_costing_change([stock.widget.pk, stock.tea.pk]) == {stock.widget.pk: "10 on hand"}


def test_a_product_without_stock_changes_its_costing_method(stock, manager):
    product = product_update(actor=manager, product=stock.widget, data={"costing_method": "fifo"})

    assert Product.objects.get(pk=product.pk).costing_method == "fifo"


def test_stock_that_came_and_went_no_longer_blocks_the_change(stock, manager):
    receive(stock, stock.widget, 4)
    move = outgoing(stock, stock.widget, 4)
    move_done(actor=stock.clerk, move=move)

    product_update(actor=manager, product=stock.widget, data={"costing_method": "fifo"})

    assert Product.objects.get(pk=stock.widget.pk).costing_method == "fifo"


def test_setting_the_same_method_explicitly_is_no_change(stock, manager):
    receive(stock, stock.widget, 3)

    product_update(actor=manager, product=stock.widget, data={"costing_method": "average", "name": "Widget 2"})

    assert Product.objects.filter(pk=stock.widget.pk, costing_method="average", name="Widget 2").exists()


def test_layers_with_remaining_quantity_block_the_change(stock, manager):
    ValuationLayer.objects.create(company=stock.company, product=stock.carton, date="2026-03-02",
                                  quantity=Decimal("2"), unit_cost=Decimal("1"), value=Decimal("2"),
                                  remaining_quantity=Decimal("2"), remaining_value=Decimal("2"))

    assert stock_blocks_costing_change([stock.carton.pk]) == {
        stock.carton.pk: "valuation layers with remaining quantity"}
    ValuationLayer.objects.filter(product=stock.carton).delete()


def test_a_category_change_is_refused_while_an_inheriting_product_has_stock(stock, manager):
    receive(stock, stock.tea, "2.5", lot_name="L1")
    category = stock.tea.category

    messages = _error(product_category_update, actor=manager, category=category, data={"costing_method": "fifo"})

    assert "TEA (2.5 on hand)" in messages[0]
    assert ProductCategory.objects.get(pk=category.pk).costing_method == "average"


def test_a_sub_category_change_ignores_products_with_their_own_method(stock, manager):
    receive(stock, stock.widget, 5)
    child = ProductCategoryFactory(company=stock.company, name="Sub", parent=stock.widget.category)
    Product.objects.filter(pk=stock.widget.pk).update(category=child, costing_method="average")

    product_category_update(actor=manager, category=stock.widget.category, data={"costing_method": "fifo"})

    assert ProductCategory.objects.get(pk=stock.widget.category_id).costing_method == "fifo"


def test_moving_a_product_to_a_category_of_another_method_is_refused_with_stock(stock, manager):
    receive(stock, stock.widget, 1)
    fifo = ProductCategoryFactory(company=stock.company, name="FIFO goods", costing_method="fifo")

    _error(product_update, actor=manager, product=stock.widget, data={"category": fifo})

    assert Product.objects.get(pk=stock.widget.pk).category_id != fifo.pk

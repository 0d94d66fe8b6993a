"""Product categories: the tree, inherited settings, and the accounts they may carry."""

import pytest

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.products.models import ProductCategory
from tessera.products.services import (
    InUse,
    category_descendant_ids,
    category_path,
    category_setting,
    category_setting_origin,
    product_category_create,
    product_category_delete,
    product_category_update,
)
from tessera.products.tests.factories import AccountFactory, ProductCategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phones(company, electronics):
    return ProductCategoryFactory(company=company, name="手机", name_en="Phones", parent=electronics,
                                  costing_method="average")


# --- Inheritance -----------------------------------------------------------------------------------


def test_a_category_inherits_from_the_nearest_ancestor(goods, electronics, phones, chart):
    assert category_setting(phones, "costing_method") == "average"  # its own
    assert category_setting(electronics, "costing_method") == "fifo"  # from 商品
    assert category_setting_origin(phones, "inventory_account") == (chart.inventory, goods)
    assert category_setting_origin(phones, "stock_adjustment_account") == (None, None)


def test_a_sub_category_setting_wins(manager, electronics, phones, chart):
    product_category_update(actor=manager, category=electronics, data={"income_account": chart.revenue})
    other_income = AccountFactory(company=electronics.company, code="6051", name="其他业务收入", type="income")
    phones = product_category_update(actor=manager, category=phones, data={"income_account": other_income})

    assert category_setting_origin(phones, "income_account") == (other_income, phones)
    assert category_setting_origin(phones.parent, "income_account") == (chart.revenue, electronics)


def test_the_tree_below_a_category(goods, electronics, phones, company):
    ProductCategoryFactory(company=company, name="办公用品")

    assert category_descendant_ids(goods) == {goods.pk, electronics.pk, phones.pk}
    assert category_descendant_ids(phones) == {phones.pk}


def test_the_path_is_named_in_the_active_language(phones, settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert category_path(phones) == "商品 / 电子产品 / 手机"
    with translation.override("en"):
        assert category_path(phones) == "Goods / Electronics / Phones"


# --- Create, update, delete ------------------------------------------------------------------------


def test_a_category_is_created_with_its_accounts(manager, company, goods, chart):
    category = product_category_create(actor=manager, company=company, data={
        "name": "办公用品", "name_en": "Office supplies", "parent": goods, "costing_method": "",
        "expense_account": chart.admin, "income_account": chart.revenue})

    assert (category.parent, category.expense_account, category.company) == (goods, chart.admin, company)
    assert category_setting(category, "costing_method") == "fifo"


def test_an_expense_account_may_be_a_cost_account(manager, company, chart):
    category = product_category_create(actor=manager, company=company, data={
        "name": "原料", "expense_account": chart.production})

    assert category.expense_account == chart.production


@pytest.mark.parametrize(("field", "account", "message"), [
    ("income_account", "cogs", "Account 6401 主营业务成本 is of type Expense: choose an income account."),
    ("expense_account", "revenue", "Account 6001 主营业务收入 is of type Income: choose an expense or cost account."),
    ("inventory_account", "admin", "Account 6602 管理费用 is of type Expense: choose an asset account."),
    ("inventory_account", "materials", "Account 1403 原材料 has sub-accounts: choose one of them (only accounts "
                                       "without sub-accounts take postings)."),
])
def test_accounts_must_fit_their_use(manager, company, chart, field, account, message):
    with pytest.raises(ValidationFailed) as error:
        product_category_create(actor=manager, company=company, data={"name": "X", field: getattr(chart, account)})

    assert error.value.fields == {field: [message]}
    assert not ProductCategory.objects.filter(name="X").exists()


def test_another_companys_account_is_refused(manager, company, other_company):
    foreign = AccountFactory(company=other_company, code="6001", name="Revenue", type="income")

    with pytest.raises(ValidationFailed) as error:
        product_category_create(actor=manager, company=company, data={"name": "X", "income_account": foreign})

    assert error.value.fields == {"income_account": ["Choose one of this company's accounts."]}


def test_an_inactive_account_is_refused(manager, company, chart):
    chart.revenue.is_active = False
    chart.revenue.save()

    with pytest.raises(ValidationFailed) as error:
        product_category_create(actor=manager, company=company, data={"name": "X", "income_account": chart.revenue})

    assert list(error.value.fields) == ["income_account"]


def test_an_account_set_before_is_not_checked_again(manager, goods, chart, company):
    AccountFactory(company=company, code="140501", name="库存商品-电子", type="asset", parent=chart.inventory)

    renamed = product_category_update(actor=manager, category=goods, data={"name_en": "Merchandise"})

    assert (renamed.name_en, renamed.inventory_account) == ("Merchandise", chart.inventory)


def test_a_category_cannot_go_below_itself(manager, goods, phones):
    with pytest.raises(ValidationFailed) as error:
        product_category_update(actor=manager, category=goods, data={"parent": phones})

    assert error.value.fields == {"parent": ["A category cannot be placed under itself or one of its sub-categories."]}
    goods.refresh_from_db()
    assert goods.parent is None


def test_a_category_moves_elsewhere(manager, company, electronics, phones):
    office = ProductCategoryFactory(company=company, name="办公用品")

    moved = product_category_update(actor=manager, category=phones, data={"parent": office})

    assert moved.parent == office
    assert category_setting(moved, "inventory_account") is None


def test_names_are_unique_among_siblings_roots_included(manager, company, goods, electronics):
    with pytest.raises(ValidationFailed) as error:
        product_category_create(actor=manager, company=company, data={"name": "商品"})
    assert error.value.fields == {"name": ["A category named 商品 exists already at this level."]}

    with pytest.raises(ValidationFailed):
        product_category_create(actor=manager, company=company, data={"name": "电子产品", "parent": goods})
    assert product_category_create(actor=manager, company=company, data={"name": "电子产品"}).parent is None


def test_another_companys_parent_is_refused(manager, company, other_company):
    foreign = ProductCategoryFactory(company=other_company, name="Goods")

    with pytest.raises(ValidationFailed) as error:
        product_category_create(actor=manager, company=company, data={"name": "X", "parent": foreign})

    assert list(error.value.fields) == ["parent"]


def test_a_salesperson_cannot_create_categories(salesperson_user, company):
    with pytest.raises(PermissionDenied):
        product_category_create(actor=salesperson_user, company=company, data={"name": "X"})

    assert not ProductCategory.objects.exists()


def test_a_category_with_products_or_children_is_not_deleted(manager, company, goods, electronics):
    ProductFactory(company=company, category=electronics)

    with pytest.raises(InUse) as error:
        product_category_delete(actor=manager, category=electronics)
    assert "Products" in error.value.message
    with pytest.raises(InUse):
        product_category_delete(actor=manager, category=goods)

    assert ProductCategory.objects.filter(pk__in=[goods.pk, electronics.pk]).count() == 2


def test_an_unused_category_is_deleted(manager, company):
    category = ProductCategoryFactory(company=company, name="空")

    product_category_delete(actor=manager, category=category)

    assert not ProductCategory.objects.filter(pk=category.pk).exists()

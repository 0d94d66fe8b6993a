"""Category and unit screens: the tree, effective settings, forms with account checks, the units grouped by
category, the converter and the standard units action."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.products.models import ProductCategory, Uom, UomCategory
from tessera.products.tests.factories import ProductCategoryFactory

pytestmark = pytest.mark.django_db


# --- Categories -------------------------------------------------------------------------------------


def test_the_tree_lists_children_after_their_parent_indented(sales_web, company, goods, electronics):
    office = ProductCategoryFactory(company=company, name="办公用品", name_en="Office supplies", parent=goods)
    services = ProductCategoryFactory(company=company, name="服务", name_en="Services")

    response = sales_web.get(reverse("products:productcategory_list"))

    rows = [obj for obj, _cells, _url in response.context["rows"]]
    assert rows == [goods, electronics, office, services]
    assert response.context["depths"][electronics.pk] == 1
    assert 'class="category-depth-1"' in response.content.decode()


def test_a_category_shows_where_each_setting_comes_from(sales_web, goods, electronics, chart):
    settings = sales_web.get(reverse("products:productcategory_detail", args=[electronics.pk])).context["settings"]

    by_label = {str(row["label"]): row for row in settings}
    assert (by_label["inventory account"]["value"], by_label["inventory account"]["origin"]) == (chart.inventory, goods)
    assert (by_label["costing method"]["value"], by_label["costing method"]["origin"]) == ("FIFO", goods)
    assert by_label["inventory gain/loss account"]["origin"] is None


def test_the_account_choices_are_leaf_accounts_of_fitting_types(manager_web, chart):
    form = manager_web.get(reverse("products:productcategory_create")).context["form"]

    def codes(name):
        return [account.code for account in form.fields[name].queryset]

    assert codes("inventory_account") == ["1122", "140301", "1405", "1901"]  # not 1403, which has a sub-account
    assert codes("expense_account") == ["5001", "6401", "6602"]
    assert codes("income_account") == ["6001"]


def test_a_sub_category_is_created_under_its_parent(manager_web, company, goods, chart):
    url = reverse("products:productcategory_create") + f"?parent={goods.pk}"
    assert manager_web.get(url).context["form"]["parent"].value() == goods.pk

    response = manager_web.post(url, {"name": "办公用品", "name_en": "Office supplies", "parent": goods.pk,
                                      "costing_method": "", "expense_account": chart.admin.pk})

    category = ProductCategory.objects.get(company=company, name="办公用品")
    assert response["Location"] == reverse("products:productcategory_detail", args=[category.pk])
    assert (category.parent, category.expense_account) == (goods, chart.admin)


def test_a_parent_account_posted_anyway_is_refused(manager_web, chart):
    response = manager_web.post(reverse("products:productcategory_create"),
                                {"name": "原料", "inventory_account": chart.materials.pk})

    assert response.status_code == 200
    assert "inventory_account" in response.context["form"].errors
    assert not ProductCategory.objects.filter(name="原料").exists()


def test_a_category_cannot_move_below_itself(manager_web, goods, electronics):
    form = manager_web.get(reverse("products:productcategory_update", args=[goods.pk])).context["form"]

    assert [pk for pk, _label in form.fields["parent"].choices if pk] == []  # its own tree is not offered


def test_a_category_with_products_is_kept_with_a_message(manager_web, product, electronics):
    response = manager_web.post(reverse("products:productcategory_delete", args=[electronics.pk]), follow=True)

    assert "has products or sub-categories and cannot be deleted" in response.content.decode()
    assert ProductCategory.objects.filter(pk=electronics.pk).exists()


# --- Units ------------------------------------------------------------------------------------------------


def test_units_are_listed_by_category_with_their_reference_equivalent(sales_web, units):
    response = sales_web.get(reverse("products:uom_list"))

    rows = {obj.name: cells for obj, cells, _url in response.context["rows"]}
    assert rows["箱"][:3] == ["Box of 12", "box", "12 pcs"]
    assert rows["斤"][2] == "0.5 kg"
    assert rows["千克"][2] == ""
    page = response.content.decode()
    assert page.count('class="uom-group"') == 5


def test_the_standard_units_are_installed_from_the_screen(manager_web, company):
    response = manager_web.post(reverse("products:uom_install"), follow=True)

    assert Uom.objects.filter(company=company).count() == 15
    assert "Standard units installed: 15 units in 5 new categories." in response.content.decode()
    again = manager_web.post(reverse("products:uom_install"), follow=True)
    assert "The company has all the standard units already." in again.content.decode()


def test_a_salesperson_cannot_install_units(sales_web, company):
    assert sales_web.post(reverse("products:uom_install")).status_code == 403
    assert not Uom.objects.exists()


def test_the_converter_answers_exactly_or_says_why_not(sales_web, units):
    url = reverse("products:uom_convert")

    exact = sales_web.get(url, {"quantity": "3", "from": units["箱"].pk, "to": units["件"].pk},
                          HTTP_HX_REQUEST="true")
    inexact = sales_web.get(url, {"quantity": "5", "from": units["件"].pk, "to": units["箱"].pk})
    across = sales_web.get(url, {"quantity": "1", "from": units["件"].pk, "to": units["千克"].pk})

    assert exact.context["result"] == Decimal("36")
    assert "3 box = 36 pcs" in exact.content.decode()
    assert "is not an exact quantity of box" in inexact.context["error"]
    assert "measure different things" in across.context["error"]


def test_a_unit_is_created_in_the_category_it_was_asked_for(manager_web, company, units):
    category = units["件"].category
    url = reverse("products:uom_create") + f"?category={category.pk}"
    assert manager_web.get(url).context["form"]["category"].value() == category.pk

    manager_web.post(url, {"category": category.pk, "name": "包", "name_en": "Pack of 10", "symbol": "pk",
                           "ratio": "10", "decimal_places": "0", "is_active": "on"})

    assert Uom.objects.get(company=company, name="包").ratio == Decimal("10")


def test_a_used_units_ratio_cannot_change_in_the_form(manager_web, product, units):
    box = units["箱"]

    response = manager_web.post(reverse("products:uom_update", args=[box.pk]), {
        "category": box.category_id, "name": "箱", "name_en": "Box of 12", "symbol": "box", "ratio": "10",
        "decimal_places": "0", "is_active": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["ratio"] == ["This unit is in use."]
    box.refresh_from_db()
    assert box.ratio == Decimal("12")


def test_the_reference_flag_is_shown_but_not_editable(manager_web, units):
    form = manager_web.get(reverse("products:uom_update", args=[units["件"].pk])).context["form"]

    assert form.fields["is_reference"].disabled


def test_a_unit_category_shows_its_units(sales_web, units):
    category = units["件"].category

    response = sales_web.get(reverse("products:uomcategory_detail", args=[category.pk]))

    assert [uom.name for uom in response.context["units"]] == ["件", "打", "箱"]


def test_a_unit_category_with_units_is_kept(manager_web, units):
    category = units["件"].category

    response = manager_web.post(reverse("products:uomcategory_delete", args=[category.pk]), follow=True)

    assert "has units: delete them first" in response.content.decode()
    assert UomCategory.objects.filter(pk=category.pk).exists()

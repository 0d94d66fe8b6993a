"""Unit categories and units: one reference unit of ratio 1 per category, used units keep their meaning,
the standard units install idempotently."""

from decimal import Decimal

import pytest

from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry
from tessera.products.models import Uom, UomCategory
from tessera.products.services import (
    InUse,
    uom_category_create,
    uom_category_delete,
    uom_category_update,
    uom_convert,
    uom_create,
    uom_defaults_install,
    uom_delete,
    uom_update,
)
from tessera.products.tests.factories import ProductFactory, UomCategoryFactory, UomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def packing(company):
    return UomCategoryFactory(company=company, name="包装", name_en="Packing")


@pytest.fixture
def bottle(company, packing):
    return UomFactory(company=company, category=packing, name="瓶", symbol="btl", is_reference=True)


# --- Standard units ---------------------------------------------------------------------------------


def test_the_standard_units_are_installed_with_chinese_and_english_names(company):
    result = uom_defaults_install(company=company)

    assert (result.categories, result.units) == (5, 15)
    units = {uom.name: uom for uom in Uom.objects.filter(company=company).select_related("category")}
    assert (units["件"].name_en, units["件"].symbol, units["件"].is_reference, units["件"].ratio) == (
        "Piece", "pcs", True, Decimal("1"))
    assert (units["打"].ratio, units["打"].category) == (Decimal("12"), units["件"].category)
    assert {name: units[name].ratio for name in ("千克", "克", "吨", "斤")} == {
        "千克": Decimal("1"), "克": Decimal("0.001"), "吨": Decimal("1000"), "斤": Decimal("0.5")}
    assert units["天"].ratio == Decimal("8") and units["小时"].is_reference
    assert units["立方米"].symbol == "m³"
    assert sorted(UomCategory.objects.filter(company=company).values_list("name_en", flat=True)) == [
        "Length", "Units", "Volume", "Weight", "Working time"]


def test_installing_again_changes_nothing_and_keeps_edits(company):
    uom_defaults_install(company=company)
    Uom.objects.filter(company=company, name="打").update(symbol="doz")
    Uom.objects.filter(company=company, name="吨").delete()

    result = uom_defaults_install(company=company)

    assert (result.categories, result.units) == (0, 1)  # only the deleted tonne comes back
    assert Uom.objects.get(company=company, name="打").symbol == "doz"
    assert Uom.objects.filter(company=company).count() == 15


def test_a_category_with_another_reference_unit_is_left_alone(company):
    weight = UomCategoryFactory(company=company, name="重量")
    UomFactory(company=company, category=weight, name="磅", symbol="lb", is_reference=True)

    uom_defaults_install(company=company)

    assert list(weight.uoms.values_list("name", flat=True)) == ["磅"]


def test_installing_needs_the_add_permission_when_an_actor_asks(company, salesperson_user):
    with pytest.raises(PermissionDenied):
        uom_defaults_install(company=company, actor=salesperson_user)

    assert not Uom.objects.exists()


def test_the_standard_units_convert(company, units):
    assert uom_convert(quantity="2", from_uom=units["天"], to_uom=units["小时"]) == Decimal("16.00")
    assert uom_convert(quantity="250", from_uom=units["毫升"], to_uom=units["升"]) == Decimal("0.250")
    assert uom_convert(quantity="1.2", from_uom=units["千米"], to_uom=units["米"]) == Decimal("1200.000")


# --- Categories --------------------------------------------------------------------------------------


def test_a_unit_category_is_created_and_audited(manager, company):
    category = uom_category_create(actor=manager, company=company, data={"name": " 面积 ", "name_en": "Area"})

    assert (category.name, category.name_en, category.company) == ("面积", "Area", company)
    assert AuditEntry.objects.filter(content_type__model="uomcategory", object_id=str(category.pk),
                                     action="create").exists()


def test_a_taken_category_name_is_refused(manager, company, packing):
    with pytest.raises(ValidationFailed) as error:
        uom_category_create(actor=manager, company=company, data={"name": "包装"})

    assert error.value.fields == {"name": ["A unit category named 包装 exists already."]}


def test_a_category_is_renamed(manager, packing):
    renamed = uom_category_update(actor=manager, category=packing, data={"name_en": "Packaging"})

    assert renamed.name_en == "Packaging"


def test_a_category_with_units_is_not_deleted(manager, packing, bottle):
    with pytest.raises(InUse):
        uom_category_delete(actor=manager, category=packing)

    assert UomCategory.objects.filter(pk=packing.pk).exists()


def test_an_empty_category_is_deleted(manager, packing):
    uom_category_delete(actor=manager, category=packing)

    assert not UomCategory.objects.filter(pk=packing.pk).exists()


# --- Units -------------------------------------------------------------------------------------------


def _unit(**changes):
    return {"name": "箱", "name_en": "Case of 6", "symbol": "case", "ratio": Decimal("6"), "decimal_places": 0,
            **changes}


def test_the_first_unit_of_a_category_is_its_reference(manager, company, packing):
    with pytest.raises(ValidationFailed) as error:
        uom_create(actor=manager, company=company, data=_unit(category=packing))

    assert list(error.value.fields) == ["is_reference"]
    reference = uom_create(actor=manager, company=company,
                           data=_unit(category=packing, name="瓶", ratio=Decimal("1"), is_reference=True))
    assert reference.is_reference


def test_a_unit_is_created_against_the_reference(manager, company, packing, bottle):
    case = uom_create(actor=manager, company=company, data=_unit(category=packing))

    assert (case.ratio, case.is_reference, case.category) == (Decimal("6"), False, packing)
    assert uom_convert(quantity="2", from_uom=case, to_uom=bottle) == Decimal("12")


@pytest.mark.parametrize(("changes", "field"), [
    ({"ratio": Decimal("0")}, "ratio"),
    ({"ratio": Decimal("-2")}, "ratio"),
    ({"is_reference": True, "ratio": Decimal("1")}, "is_reference"),
    ({"decimal_places": 7}, "decimal_places"),
    ({"name": "瓶"}, "name"),
])
def test_invalid_units_are_refused(manager, company, packing, bottle, changes, field):
    with pytest.raises(ValidationFailed) as error:
        uom_create(actor=manager, company=company, data=_unit(category=packing, **changes))

    assert field in error.value.fields
    assert Uom.objects.filter(category=packing).count() == 1


def test_a_reference_unit_has_ratio_one(manager, company):
    category = UomCategoryFactory(company=company, name="面积")

    with pytest.raises(ValidationFailed) as error:
        uom_create(actor=manager, company=company,
                   data=_unit(category=category, name="平方米", ratio=Decimal("2"), is_reference=True))

    assert list(error.value.fields) == ["ratio"]


def test_another_companys_category_is_refused(manager, company, other_company):
    foreign = UomCategoryFactory(company=other_company, name="包装")

    with pytest.raises(ValidationFailed) as error:
        uom_create(actor=manager, company=company, data=_unit(category=foreign, ratio=Decimal("1"),
                                                               is_reference=True))

    assert list(error.value.fields) == ["category"]


def test_a_salesperson_cannot_create_units(salesperson_user, company, packing, bottle):
    with pytest.raises(PermissionDenied):
        uom_create(actor=salesperson_user, company=company, data=_unit(category=packing))


def test_an_unused_units_ratio_may_change(manager, company, packing, bottle):
    case = UomFactory(company=company, category=packing, name="箱", ratio=Decimal("6"))

    changed = uom_update(actor=manager, uom=case, data={"ratio": Decimal("24"), "name_en": "Case of 24"})

    assert (changed.ratio, changed.name_en) == (Decimal("24"), "Case of 24")


def test_a_used_units_ratio_is_fixed(manager, company, units):
    ProductFactory(company=company, uom=units["件"], purchase_uom=units["箱"])

    with pytest.raises(InUse) as error:
        uom_update(actor=manager, uom=units["箱"], data={"ratio": Decimal("10")})

    assert error.value.status == 409 and error.value.code == "in_use"
    assert list(error.value.fields) == ["ratio"]
    assert "Products" in error.value.message
    units["箱"].refresh_from_db()
    assert units["箱"].ratio == Decimal("12")


def test_a_used_unit_keeps_its_category_and_its_decimal_places_only_grow(manager, company, units):
    ProductFactory(company=company, uom=units["克"])

    with pytest.raises(InUse):
        uom_update(actor=manager, uom=units["克"], data={"category": units["件"].category})
    with pytest.raises(InUse):
        uom_update(actor=manager, uom=units["克"], data={"decimal_places": 0})
    assert uom_update(actor=manager, uom=units["克"], data={"decimal_places": 2, "symbol": "gr"}).symbol == "gr"


def test_the_reference_flag_never_changes(manager, company, units):
    with pytest.raises(ValidationFailed) as error:
        uom_update(actor=manager, uom=units["千克"], data={"is_reference": False})

    assert list(error.value.fields) == ["is_reference"]


def test_a_reference_unit_stays_in_its_category(manager, company, units):
    with pytest.raises(ValidationFailed) as error:
        uom_update(actor=manager, uom=units["千克"], data={"category": units["件"].category})

    assert list(error.value.fields) == ["category"]


def test_a_unit_moves_to_a_category_with_a_reference(manager, company, packing, bottle, units):
    moved = uom_update(actor=manager, uom=units["打"], data={"category": packing})

    assert moved.category == packing


def test_an_unused_unit_is_deleted(manager, units):
    uom_delete(actor=manager, uom=units["打"])

    assert not Uom.objects.filter(pk=units["打"].pk).exists()


def test_a_used_unit_is_not_deleted(manager, company, units):
    ProductFactory(company=company, uom=units["件"], purchase_uom=units["箱"])

    with pytest.raises(InUse) as error:
        uom_delete(actor=manager, uom=units["箱"])

    assert error.value.status == 409
    assert Uom.objects.filter(pk=units["箱"].pk).exists()


def test_a_reference_unit_goes_last(manager, units):
    with pytest.raises(InvalidState):
        uom_delete(actor=manager, uom=units["千克"])

    assert Uom.objects.filter(pk=units["千克"].pk).exists()

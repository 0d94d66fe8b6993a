"""Products: validation of SKU, barcode, units, taxes and tracking; versions; deactivation; deletion while
unused; effective costing method and accounts; images."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from tessera.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry
from tessera.products.models import Product
from tessera.products.services import (
    InUse,
    barcode_error,
    product_accounts,
    product_activate,
    product_costing_method,
    product_create,
    product_deactivate,
    product_delete,
    product_purchase_uom,
    product_update,
)
from tessera.products.tests.factories import ProductFactory, TaxFactory, UomFactory
from tessera.products.tests.images import not_an_image, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def data(units, electronics, chart):
    def make(**changes):
        return {"sku": "EL-100", "name": "蓝牙耳机", "name_en": "Bluetooth earphones", "category": electronics,
                "type": "stock", "uom": units["件"], "purchase_uom": units["箱"], "barcode": "6901234567892",
                "list_price": Decimal("199.00"), "standard_cost": Decimal("80.00"), "sales_tax": chart.vat13,
                "purchase_tax": chart.input13, **changes}

    return make


def _fields(callable_, **kwargs) -> dict:
    with pytest.raises(ValidationFailed) as error:
        callable_(**kwargs)
    return error.value.fields


# --- Create --------------------------------------------------------------------------------------------


def test_a_product_is_created_and_audited(manager, company, data, units):
    product = product_create(actor=manager, company=company, data=data(sku=" EL-100 ", barcode=" 6901234567892 "))

    assert (product.sku, product.barcode, product.company, product.version) == (
        "EL-100", "6901234567892", company, 1)
    assert (product.uom, product_purchase_uom(product)) == (units["件"], units["箱"])
    assert AuditEntry.objects.filter(content_type__model="product", object_id=str(product.pk),
                                     action="create").exists()


def test_the_purchase_unit_defaults_to_the_unit(manager, company, data, units):
    product = product_create(actor=manager, company=company, data=data(purchase_uom=None))

    assert product_purchase_uom(product) == units["件"]


def test_a_salesperson_cannot_create_products(salesperson_user, company, data):
    with pytest.raises(PermissionDenied):
        product_create(actor=salesperson_user, company=company, data=data())

    assert not Product.objects.exists()


def test_the_sku_is_unique_per_company_case_ignored(manager, company, other_company, data, product):
    assert _fields(product_create, actor=manager, company=company, data=data(sku="el-001", barcode="")) == {
        "sku": ["SKU el-001 is in use already."]}
    assert Product.objects.filter(company=company).count() == 1


def test_the_same_sku_may_exist_in_another_company(admin_user, company, other_company, product):
    admin_user.profile.companies.add(other_company)
    other = ProductFactory(company=other_company, sku="EL-001")

    assert other.sku == product.sku


def test_a_barcode_is_unique_when_set(manager, company, data, product):
    assert _fields(product_create, actor=manager, company=company, data=data()) == {
        "barcode": ["Barcode 6901234567892 belongs to [EL-001] Wireless mouse already."]}
    assert product_create(actor=manager, company=company, data=data(barcode="")).barcode == ""
    assert product_create(actor=manager, company=company, data=data(sku="EL-101", barcode="")).barcode == ""


@pytest.mark.parametrize(("barcode", "error"), [
    ("6901234567890", "The check digit of this 13-digit barcode should be 2: check the code."),
    ("96385074", None),  # EAN-8
    ("96385075", "The check digit of this 8-digit barcode should be 4: check the code."),
    ("036000291452", None),  # UPC-A
    ("INT-0001", None),  # an internal code
    ("690 123", "A barcode has no spaces."),
])
def test_numeric_barcodes_carry_a_gs1_check_digit(barcode, error):
    assert barcode_error(barcode) == error


def test_a_wrong_check_digit_is_refused(manager, company, data):
    assert list(_fields(product_create, actor=manager, company=company, data=data(barcode="6901234567890"))) == [
        "barcode"]


def test_the_purchase_unit_measures_the_same_thing(manager, company, data, units):
    fields = _fields(product_create, actor=manager, company=company, data=data(purchase_uom=units["千克"]))

    assert fields == {"purchase_uom": [
        "The purchase unit must measure the same thing as the unit: choose a unit of Units."]}


@pytest.mark.parametrize(("field", "kind", "message"), [
    ("sales_tax", "purchase", "Choose a sales tax."),
    ("purchase_tax", "sales", "Choose a purchase tax."),
])
def test_taxes_must_be_of_their_kind(manager, company, data, field, kind, message):
    tax = TaxFactory(company=company, kind=kind, name=f"{kind} 9%", rate=Decimal("9"))

    assert _fields(product_create, actor=manager, company=company, data=data(**{field: tax})) == {field: [message]}


def test_another_companys_tax_and_unit_are_refused(manager, company, other_company, data):
    foreign_tax = TaxFactory(company=other_company, kind="sales", name="VAT 13%")
    foreign_unit = UomFactory(company=other_company, name="pcs", is_reference=True)

    fields = _fields(product_create, actor=manager, company=company, data=data(sales_tax=foreign_tax,
                                                                              uom=foreign_unit, purchase_uom=None))

    assert set(fields) == {"sales_tax", "uom"}


def test_an_inactive_tax_is_refused(manager, company, data, chart):
    chart.vat6.is_active = False
    chart.vat6.save()

    assert list(_fields(product_create, actor=manager, company=company, data=data(sales_tax=chart.vat6))) == [
        "sales_tax"]


def test_services_are_not_tracked(manager, company, data, units):
    fields = _fields(product_create, actor=manager, company=company,
                     data=data(type="service", tracking="lot", uom=units["小时"], purchase_uom=None))

    assert fields == {"tracking": ["Services are not tracked by lot or serial number."]}


def test_serial_numbers_need_whole_units(manager, company, data, units):
    fields = _fields(product_create, actor=manager, company=company,
                     data=data(tracking="serial", uom=units["千克"], purchase_uom=None))

    assert list(fields) == ["tracking"]
    assert product_create(actor=manager, company=company, data=data(tracking="serial")).tracking == "serial"


@pytest.mark.parametrize(("changes", "field"), [
    ({"sku": "EL 100"}, "sku"), ({"sku": ""}, "sku"), ({"name": ""}, "name"), ({"list_price": Decimal("-1")},
                                                                                 "list_price"),
    ({"type": "kit"}, "type"), ({"costing_method": "lifo"}, "costing_method"), ({"category": None}, "category"),
])
def test_invalid_fields_are_refused(manager, company, data, changes, field):
    assert field in _fields(product_create, actor=manager, company=company, data=data(**changes))
    assert not Product.objects.exists()


def test_unknown_fields_are_refused(manager, company, data):
    assert _fields(product_create, actor=manager, company=company, data=data(version=3)) == {
        "version": ["This field cannot be set."]}


# --- Update, versions, activation ----------------------------------------------------------------------


def test_a_change_bumps_the_version(manager, product):
    changed = product_update(actor=manager, product=product, data={"list_price": Decimal("109")}, version=1)

    assert (changed.list_price, changed.version) == (Decimal("109"), 2)


def test_a_stale_version_is_refused(manager, product):
    product_update(actor=manager, product=product, data={"name_en": "Mouse"}, version=1)

    with pytest.raises(InvalidState) as error:
        product_update(actor=manager, product=product, data={"list_price": Decimal("1")}, version=1)

    assert error.value.status == 409
    product.refresh_from_db()
    assert (product.list_price, product.name_en, product.version) == (Decimal("99"), "Mouse", 2)


def test_another_companys_product_is_not_found(manager, product, other_company):
    with pytest.raises(NotFound):
        product_update(actor=manager, product=product, data={"name": "X"}, company=other_company)


def test_a_salesperson_cannot_change_products(salesperson_user, product):
    with pytest.raises(PermissionDenied):
        product_update(actor=salesperson_user, product=product, data={"name": "X"})


def test_a_product_is_deactivated_and_reactivated(manager, product):
    archived = product_deactivate(actor=manager, product=product)
    assert (archived.is_active, archived.version) == (False, 2)

    with pytest.raises(InvalidState):
        product_deactivate(actor=manager, product=archived)
    assert product_activate(actor=manager, product=archived, version=2).is_active


def test_an_unused_products_type_and_unit_may_change(manager, product, units):
    changed = product_update(actor=manager, product=product,
                             data={"type": "consumable", "uom": units["打"], "purchase_uom": None})

    assert (changed.type, changed.uom) == ("consumable", units["打"])


def test_an_inactive_unit_is_refused_when_newly_chosen(manager, product, units):
    units["打"].is_active = False
    units["打"].save()

    with pytest.raises(ValidationFailed) as error:
        product_update(actor=manager, product=product, data={"purchase_uom": units["打"]})

    assert list(error.value.fields) == ["purchase_uom"]


# --- Delete ---------------------------------------------------------------------------------------------


def test_an_unused_product_is_deleted(manager, product):
    product_delete(actor=manager, product=product)

    assert not Product.objects.filter(pk=product.pk).exists()


def test_a_product_in_use_is_not_deleted(manager, product, units, monkeypatch):
    # No module refers to products yet: a protecting record (later a stock move or an order line) is simulated.
    def protected(self, *args, **kwargs):
        raise ProtectedError("protected", {units["件"]})

    monkeypatch.setattr(Product, "delete", protected)

    with pytest.raises(InUse) as error:
        product_delete(actor=manager, product=product)

    assert (error.value.status, error.value.code) == (409, "in_use")
    assert error.value.message == ("[EL-001] Wireless mouse is used by other records and cannot be deleted: "
                                   "deactivate it "
                                   "instead. (used by: Units of measure)")
    assert Product.objects.filter(pk=product.pk).exists()


def test_a_used_products_type_and_unit_are_fixed(manager, product, units, monkeypatch):
    monkeypatch.setattr("tessera.products.services.products.references", lambda instance: ["Stock moves"])

    with pytest.raises(ValidationFailed) as error:
        product_update(actor=manager, product=product, data={"type": "consumable", "uom": units["打"],
                                                             "purchase_uom": None})

    assert error.value.fields == {name: ["[EL-001] Wireless mouse is used (Stock moves): its type and unit can "
                                         "no longer "
                                         "change."] for name in ("type", "uom")}
    product.refresh_from_db()
    assert (product.type, product.uom, product.version) == ("stock", units["件"], 1)


# --- Effective settings ------------------------------------------------------------------------------


def test_the_costing_method_is_the_products_or_the_categorys(manager, product, goods, company, data):
    assert product_costing_method(product).value == "fifo"  # from 商品
    assert product_costing_method(product).category == goods
    own = product_update(actor=manager, product=product, data={"costing_method": "average"})
    assert (product_costing_method(own).value, product_costing_method(own).category) == ("average", None)


def test_without_any_setting_the_costing_method_is_moving_average(manager, company, units):
    plain = ProductFactory(company=company, uom=units["件"])

    assert product_costing_method(plain).value == "average"
    assert product_costing_method(plain).is_default


def test_the_accounts_come_from_the_category_tree(product, goods, chart):
    accounts = product_accounts(product)

    assert (accounts["income_account"].value, accounts["income_account"].category) == (chart.revenue, goods)
    assert accounts["inventory_account"].value == chart.inventory
    assert accounts["price_difference_account"].value is None


# --- Images ---------------------------------------------------------------------------------------------


def test_an_image_is_stored(manager, company, data):
    product = product_create(actor=manager, company=company, data=data(image=png()))

    assert product.image.name.startswith("products/") and product.image.name.endswith(".png")
    assert product.image.size > 0


def test_a_non_image_is_refused(manager, company, data):
    assert _fields(product_create, actor=manager, company=company, data=data(image=not_an_image())) == {
        "image": ["This file is not an image Tessera can read: upload a JPEG, PNG, GIF or WebP picture."]}


def test_an_image_of_another_format_is_refused(manager, company, data):
    fields = _fields(product_create, actor=manager, company=company,
                     data=data(image=png("mouse.bmp", image_format="BMP", content_type="image/bmp")))

    assert fields == {"image": ["Upload a JPEG, PNG, GIF or WebP picture (this one is BMP)."]}


def test_a_large_image_is_refused(manager, company, data, monkeypatch):
    monkeypatch.setattr("tessera.products.services.products.MAX_IMAGE_BYTES", 10)

    assert _fields(product_create, actor=manager, company=company, data=data(image=png())) == {
        "image": ["The image is larger than 0 MB."]}


def test_an_image_is_removed(manager, company, data):
    product = product_create(actor=manager, company=company, data=data(image=png()))

    cleared = product_update(actor=manager, product=product, data={"image": ""})

    assert not cleared.image

"""The inventory screens render for a warehouse clerk (in English and Chinese), refuse a role without
inventory access, hide another company's records, open a scanned location, and export stock."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.tests.factories import CompanyFactory, activate
from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.inventory.models import Location, Lot, StockMove, Warehouse
from tessera.inventory.services import move_confirm

from ..conftest import D, outgoing, receive
from ..factories import WarehouseFactory


@pytest.fixture
def clerk_web(client_for, stock):  # noqa: F811
    return client_for(stock.clerk)


@pytest.fixture
def records(stock):
    receive(stock, stock.widget, 12, location=stock.shelf_a)
    receive(stock, stock.tea, "1.500", lot_name="L-7", expiry_on=D(2026, 9, 1))
    move = move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 5))
    stock.shelf_a.barcode = "LOC-A"
    stock.shelf_a.save()
    return {"move": move, "lot": Lot.objects.get(name="L-7")}


def pages(stock, records):
    return [
        reverse("inventory:stock"), reverse("inventory:stock") + "?group=product_location_lot",
        reverse("inventory:stock_card") + f"?product={stock.widget.pk}",
        reverse("inventory:stockmove_list"), reverse("inventory:stockmove_detail", args=[records["move"].pk]),
        reverse("inventory:warehouse_list"), reverse("inventory:warehouse_detail", args=[stock.warehouse.pk]),
        reverse("inventory:warehouse_create"), reverse("inventory:warehouse_update", args=[stock.warehouse.pk]),
        reverse("inventory:location_list"), reverse("inventory:location_detail", args=[stock.shelf_a.pk]),
        reverse("inventory:location_create"), reverse("inventory:location_update", args=[stock.shelf_a.pk]),
        reverse("inventory:lot_list"), reverse("inventory:lot_detail", args=[records["lot"].pk]),
        reverse("inventory:lot_create"), reverse("inventory:lot_update", args=[records["lot"].pk]),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders(clerk_web, stock, records, language):
    clerk_web.cookies["django_language"] = language
    statuses = {url: clerk_web.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code for url in pages(stock, records)}
    assert statuses == {url: 200 for url in statuses}


def test_stock_page_shows_exact_rows(clerk_web, stock, records):
    response = clerk_web.get(reverse("inventory:stock") + f"?product={stock.widget.pk}&group=product_location")
    rows = [(row["location"].full_name, row["on_hand"], row["reserved"], row["available"])
            for row in response.context["page_obj"]]
    assert rows == [("WH/Stock/A", Decimal("12"), Decimal("5"), Decimal("7"))]


def test_stock_exports_csv(clerk_web, stock, records):
    response = clerk_web.get(reverse("inventory:stock") + "?export=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "Product,Warehouse,On hand,Reserved,Available,Unit,Value"
    assert "[W-1] Widget,WH Main warehouse,12.0000,5.0000,7.0000,pcs,120.00" in text


def test_scanning_a_location_barcode_opens_it(clerk_web, stock, records):
    response = clerk_web.get(reverse("inventory:location_list") + "?barcode=LOC-A")
    assert response.status_code == 302 and response.url == reverse("inventory:location_detail",
                                                                   args=[stock.shelf_a.pk])


def test_lot_page_traces_the_lot(clerk_web, stock, records):
    response = clerk_web.get(reverse("inventory:lot_detail", args=[records["lot"].pk]))
    assert [(line.location.full_name, line.location_dest.full_name, line.quantity)
            for line in response.context["trace"]] == [("Partners/Suppliers", "WH/Stock", Decimal("1.500"))]


def test_creating_a_warehouse_through_the_form(clerk_web, stock):
    response = clerk_web.post(reverse("inventory:warehouse_create"), {"code": "bj", "name": "北京仓"})
    warehouse = Warehouse.objects.get(code="BJ")
    assert response.status_code == 302
    assert warehouse.stock_location.full_name == "BJ/Stock"


def test_location_form_errors_land_on_fields(clerk_web, stock):
    response = clerk_web.post(reverse("inventory:location_create"), {"name": "X", "usage": "internal"})
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Location.objects.filter(name="X").exists()


def test_a_role_without_inventory_access_is_refused(client_for, make_user, stock, records):  # noqa: F811
    web = client_for(make_user("hr_officer", username="hr1"))
    for url in (reverse("inventory:stock"), reverse("inventory:warehouse_list"), reverse("inventory:stockmove_list")):
        assert web.get(url).status_code == 403


def test_another_companys_records_are_not_found(clerk_web, stock):
    other = CompanyFactory(code="OTH", name="Other")
    activate(other, "inventory")
    warehouse = WarehouseFactory(company=other, code="OT")
    assert clerk_web.get(reverse("inventory:warehouse_detail", args=[warehouse.pk])).status_code == 404
    assert clerk_web.get(reverse("inventory:location_detail", args=[warehouse.stock_location_id])).status_code == 404


def test_moves_list_filters_by_state(clerk_web, stock, records):
    response = clerk_web.get(reverse("inventory:stockmove_list") + "?state=assigned")
    assert [obj.pk for obj, _cells, _url in response.context["rows"]] == [records["move"].pk]
    assert StockMove.objects.count() == 3

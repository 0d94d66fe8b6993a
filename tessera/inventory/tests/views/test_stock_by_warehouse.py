"""Stock by warehouse: the screen (values per warehouse, the chart's data, en and zh-hans) and the home card."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.inventory.views.stock_report import stock_by_warehouse_card

from ..conftest import receive
from ..factories import WarehouseFactory


@pytest.fixture
def filled(stock):
    receive(stock, stock.widget, 12, location=stock.shelf_a)
    second = WarehouseFactory(company=stock.company, code="BJ", name="Beijing")
    receive(stock, stock.widget, 3, location=second.stock_location, unit_cost="10")
    return second


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_screen_shows_values_and_chart(client_for, stock, filled, language):  # noqa: F811
    web = client_for(stock.clerk)
    web.cookies["django_language"] = language
    response = web.get(reverse("inventory:stock_by_warehouse"))
    assert response.status_code == 200
    assert [(entry["warehouse"].code, entry["on_hand"], entry["value"]) for entry in response.context["totals"]] == [
        ("BJ", Decimal("3.0000"), Decimal("30.00")), ("WH", Decimal("12.0000"), Decimal("120.00"))]
    assert response.context["chart"]["values"] == ["30.00", "120.00"]
    assert b"stock-warehouse-chart" in response.content


def test_home_card(rf, stock, filled):
    request = rf.get("/")
    request.user = stock.clerk
    card = stock_by_warehouse_card(request, stock.company)
    assert (card["value"], card["lines"]) == ("150.00", ["BJ: 30.00", "WH: 120.00"])


def test_no_access_without_an_inventory_role(client_for, make_user, stock):  # noqa: F811
    web = client_for(make_user("hr_officer", username="hr7"))
    assert web.get(reverse("inventory:stock_by_warehouse")).status_code == 403

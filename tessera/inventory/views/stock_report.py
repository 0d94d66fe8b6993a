"""Stock on hand by warehouse: value and quantity per warehouse with a bar chart of the value (drawn like the
valuation screens: vendored Chart.js from JSON in the page), and the inventory home card that sums it up."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.permissions import check
from tessera.core.views.generic import Screen

from ..models import StockQuant, Warehouse
from ..selectors import stock_rows
from .common import Inventory


def warehouse_totals(company) -> list[dict]:
    """[{warehouse, value, on_hand, products}] per active warehouse with stock, by code."""
    rows = stock_rows(company, group_by=("product", "warehouse"))
    names = {warehouse.pk: warehouse for warehouse in Warehouse.objects.filter(company=company)}
    totals: dict[int, dict] = {}
    for row in rows:
        entry = totals.setdefault(row["warehouse"], {"warehouse": names.get(row["warehouse"]), "value": Decimal("0"),
                                                     "on_hand": Decimal("0"), "products": 0})
        entry["value"] += row["value"]
        entry["on_hand"] += row["on_hand"]
        entry["products"] += 1
    return sorted(totals.values(), key=lambda entry: entry["warehouse"].code if entry["warehouse"] else "")


class StockByWarehouseView(Inventory, Screen):
    model = StockQuant
    template_name = "inventory/stock_by_warehouse.html"
    title = gettext_lazy("Stock by warehouse")

    def get(self, request, *args, **kwargs):
        totals = warehouse_totals(self.company)
        chart = {"labels": [str(entry["warehouse"]) for entry in totals],
                 "values": [f"{entry['value']:.2f}" for entry in totals], "label": _("Value")}
        return self.render({"totals": totals, "chart": chart,
                            "total_value": sum((entry["value"] for entry in totals), Decimal("0"))})


def stock_by_warehouse_card(request, company):
    """The home card: the stock's value and the value per warehouse."""
    if company is None or not check(request.user, "inventory.view_stockquant", company):
        return None
    totals = warehouse_totals(company)
    return {"title": _("Stock by warehouse"),
            "value": f"{sum((entry['value'] for entry in totals), Decimal('0')):,.2f}",
            "lines": [f"{entry['warehouse'].code}: {entry['value']:,.2f}" for entry in totals],
            "url": reverse("inventory:stock_by_warehouse")}

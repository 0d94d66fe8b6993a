"""The inventory module's menu entries and home cards (the stock engine's screens; counts, transfers and
replenishment add theirs through core.menu.register, which merges them)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register
from tessera.core.permissions import check


def waiting_moves_card(request, company):
    """How many moves wait for stock (confirmed, not fully reserved)."""
    if company is None or not check(request.user, "inventory.view_stockmove", company):
        return None
    from .models import StockMove

    count = StockMove.objects.filter(company=company, state="confirmed").count()
    return {"title": _("Moves waiting for stock"), "value": count,
            "url": reverse("inventory:stockmove_list") + "?state=confirmed"}


register(Module(
    code="inventory", name=gettext_lazy("Inventory"), order=30,
    menu=[
        MenuEntry(gettext_lazy("Stock on hand"), "inventory:stock", "inventory.view_stockquant"),
        MenuEntry(gettext_lazy("Stock moves"), "inventory:stockmove_list", "inventory.view_stockmove"),
        MenuEntry(gettext_lazy("Lots and serial numbers"), "inventory:lot_list", "inventory.view_lot"),
        MenuEntry(gettext_lazy("Warehouses"), "inventory:warehouse_list", "inventory.view_warehouse"),
        MenuEntry(gettext_lazy("Locations"), "inventory:location_list", "inventory.view_location"),
    ],
    cards=[waiting_moves_card],
))

# Valuation reports (inventory.views.valuation).
register(Module(code="inventory", name=gettext_lazy("Inventory"), order=30, menu=[
    MenuEntry(gettext_lazy("Inventory valuation"), "inventory:valuation", "inventory.view_valuationlayer"),
    MenuEntry(gettext_lazy("Slow-moving stock"), "inventory:report_slow_moving", "inventory.view_valuationlayer"),
]))

# Stock counts (inventory.views.adjustments).
register(Module(code="inventory", name=gettext_lazy("Inventory"), order=30, menu=[
    MenuEntry(gettext_lazy("Stock counts"), "inventory:adjustment_list", "inventory.view_adjustment"),
    MenuEntry(gettext_lazy("Transfers"), "inventory:transfer_list", "inventory.view_transfer"),
    MenuEntry(gettext_lazy("Replenishment"), "inventory:replenishment", "inventory.view_reorderrule"),
    MenuEntry(gettext_lazy("Reorder rules"), "inventory:reorderrule_list", "inventory.view_reorderrule"),
]))

# Stock by warehouse (inventory.views.stock_report): the screen with its chart and the home card.
from .views.stock_report import stock_by_warehouse_card  # noqa: E402

register(Module(code="inventory", name=gettext_lazy("Inventory"), order=30, menu=[
    MenuEntry(gettext_lazy("Stock by warehouse"), "inventory:stock_by_warehouse", "inventory.view_stockquant"),
], cards=[stock_by_warehouse_card]))

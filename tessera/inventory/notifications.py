"""Inventory's notification kinds and event labels: "stock below reorder point" to the users who see stock
(inventory.view_stockquant). Imported when the inventory menu loads (apps.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.notifications import register_event_label, register_kind, users_with_permission

from .services.replenishment import BELOW_REORDER_POINT


def _recipients(event):
    return list(users_with_permission(event.company, "inventory.view_stockquant"))


def _render(event, user):
    payload = event.payload or {}
    title = _("%(sku)s is below its reorder point in %(warehouse)s") % {
        "sku": payload.get("sku", ""), "warehouse": payload.get("warehouse_code", "")}
    body = _("Available %(available)s, minimum %(minimum)s.") % {"available": payload.get("available", ""),
                                                                 "minimum": payload.get("min_quantity", "")}
    return title, body, reverse("inventory:replenishment")


register_kind(BELOW_REORDER_POINT, label=gettext_lazy("Stock below reorder point"), recipients=_recipients,
              render=_render, description=gettext_lazy(
                  "A delivery or move took a product below the minimum of its reorder rule in a warehouse."))
register_event_label(BELOW_REORDER_POINT, gettext_lazy("Stock below reorder point"))

"""Writes of purchasing. The orders helper's modules are re-exported here; the other areas' services are
imported from their own modules (services.receipts, services.bills, ...)."""

from .orders import (
    lock_order,
    order_approve,
    order_cancel,
    order_close,
    order_confirm,
    order_create,
    order_delete,
    order_refresh_state,
    order_reject,
    order_submit,
    order_update,
)
from .prices import PriceQuote, supplier_price_create, supplier_price_delete, supplier_price_for, supplier_price_update
from .settings import purchase_settings, purchase_settings_update

__all__ = [
    "PriceQuote", "lock_order", "order_approve", "order_cancel", "order_close", "order_confirm", "order_create",
    "order_delete", "order_refresh_state", "order_reject", "order_submit", "order_update", "purchase_settings",
    "purchase_settings_update", "supplier_price_create", "supplier_price_delete", "supplier_price_for",
    "supplier_price_update",
]

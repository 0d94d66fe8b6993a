"""Writes of the inventory app: warehouses and locations, lots, stock moves (and, beside them, valuation,
counts, transfers and replenishment). Import from the topic modules or from here."""

from .locations import (
    LOCATION_FIELDS,
    VIRTUAL_USAGES,
    WAREHOUSE_FIELDS,
    location_create,
    location_delete,
    location_subtree_ids,
    location_update,
    virtual_location,
    warehouse_create,
    warehouse_set_active,
    warehouse_update,
)
from .lots import LOT_FIELDS, lot_create, lot_get_or_create, lot_update
from .moves import (
    MOVE_FIELDS,
    InsufficientStock,
    is_valued,
    move_cancel,
    move_confirm,
    move_create,
    move_done,
    move_reserve,
    move_unreserve,
)

__all__ = [
    "LOCATION_FIELDS", "LOT_FIELDS", "MOVE_FIELDS", "VIRTUAL_USAGES", "WAREHOUSE_FIELDS", "InsufficientStock",
    "is_valued", "location_create", "location_delete", "location_subtree_ids", "location_update", "lot_create",
    "lot_get_or_create", "lot_update", "move_cancel", "move_confirm", "move_create", "move_done", "move_reserve",
    "move_unreserve", "virtual_location", "warehouse_create", "warehouse_set_active", "warehouse_update",
]

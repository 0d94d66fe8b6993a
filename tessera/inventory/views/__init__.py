"""Screens of the inventory module: warehouses, locations, lots, stock on hand, stock moves (the ledger)."""

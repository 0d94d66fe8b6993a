"""Inventory records in the audit trail (imported by `ready`).

The stock ledger itself (moves, their lines, quants, valuation layers, product costs) is written only by
the services and changes state through audited transitions; quants and costs are running totals kept by
those services, exempt like the ledger's account balances.
"""

from tessera.core import audit

from .models import Adjustment, AdjustmentLine, Location, Lot, ReorderRule, StockMove, Transfer, TransferLine, Warehouse

for model in (Warehouse, Location, Lot, StockMove, Adjustment, AdjustmentLine, Transfer, TransferLine, ReorderRule):
    audit.register(model)

audit.exempt("inventory.StockMoveLine", "the lines of audited moves, written by their transitions")
audit.exempt("inventory.StockQuant", "a running total of done move lines, kept by the move services")
audit.exempt("inventory.ProductCost", "a running total of valuation layers, kept by the valuation service")
audit.exempt("inventory.ValuationLayer", "append-only, written with the move it values")

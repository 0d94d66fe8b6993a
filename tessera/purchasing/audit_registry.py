"""Purchasing records in the audit trail (imported by `ready`)."""

from tessera.core import audit

from .models import (
    BillMatch,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseSettings,
    Receipt,
    Requisition,
    RequisitionLine,
    Rfq,
    RfqLine,
    RfqQuote,
    RfqSupplier,
    SupplierPrice,
    SupplierReturn,
    SupplierReturnLine,
)

for model in (PurchaseSettings, SupplierPrice, Requisition, RequisitionLine, Rfq, RfqLine, RfqSupplier, RfqQuote,
              PurchaseOrder, PurchaseOrderLine, Receipt, BillMatch, SupplierReturn, SupplierReturnLine):
    audit.register(model)

audit.exempt("purchasing.ReceiptLine", "the lines of an audited receipt, written once with it")
audit.exempt("purchasing.BillLine", "links of an audited invoice's lines to order lines, written with the bill")

"""Reads of the purchasing documents, scoped to the company and to what the user may view.

Each `<noun>_list(user, company)` checks the view permission of its model in the company (PermissionDenied
otherwise) and returns that company's records only. The query helpers below them (`committed_lines`,
`pending_lines`, `unbilled_lines`, `mismatched_bills`) are the building blocks of the reports and the
dashboard: they take a company, no user (the report checks access once).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, QuerySet

from tessera.accounting.choices import InvoiceState
from tessera.core.errors import NotFound
from tessera.core.models import Company
from tessera.core.selectors import model_list
from tessera.core.services.currency import currency_rate, currency_round

from .choices import MatchState, OrderState, ReceiptState
from .models import (
    BillMatch,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Requisition,
    Rfq,
    SupplierPrice,
    SupplierReturn,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
QUANTUM = Decimal("0.0001")
# Orders committed to the supplier (confirmed and on): what purchase figures count.
COMMITTED_STATES = (OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED, OrderState.BILLED,
                    OrderState.CLOSED)
# Orders still open on the purchasing side: goods or bills still to come.
OPEN_STATES = (OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED)
# Orders whose goods may still arrive.
RECEIVABLE_STATES = (OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED)
POSTED_BILL_STATES = (InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID, InvoiceState.PAID)


# --- Lists -------------------------------------------------------------------------------------------------

def order_list(user, company: Company | None) -> QuerySet[PurchaseOrder]:
    """Purchase orders, newest first (purchasing.view_purchaseorder)."""
    return model_list(user, PurchaseOrder, company).select_related("partner", "currency", "warehouse", "buyer")


def order_get(user, company: Company | None, pk) -> PurchaseOrder:
    """One of the company's orders; NotFound for another company's or an unknown id."""
    found = order_list(user, company).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def order_line_list(user, company: Company | None) -> QuerySet[PurchaseOrderLine]:
    """Order lines with their order, product and unit (purchasing.view_purchaseorder)."""
    model_list(user, PurchaseOrder, company)
    return (PurchaseOrderLine.objects.filter(company=company)
            .select_related("order__partner", "order__currency", "product__uom", "uom"))


def receipt_list(user, company: Company | None) -> QuerySet[Receipt]:
    """Goods receipts, newest first (purchasing.view_receipt)."""
    return model_list(user, Receipt, company).select_related("order__partner", "received_by")


def supplier_return_list(user, company: Company | None) -> QuerySet[SupplierReturn]:
    """Returns to suppliers, newest first (purchasing.view_supplierreturn)."""
    return model_list(user, SupplierReturn, company).select_related("partner", "order", "warehouse")


def supplier_price_list(user, company: Company | None) -> QuerySet[SupplierPrice]:
    """Supplier prices (purchasing.view_supplierprice)."""
    return model_list(user, SupplierPrice, company).select_related("partner", "product", "currency", "uom")


def requisition_list(user, company: Company | None) -> QuerySet[Requisition]:
    """Requisitions: all of them for whoever may approve or convert them, else the user's own
    (purchasing.view_requisition)."""
    from tessera.core.permissions import check

    queryset = model_list(user, Requisition, company).select_related("requested_by", "warehouse")
    if not (check(user, "purchasing.approve_requisition", company)
            or check(user, "purchasing.convert_requisition", company)):
        queryset = queryset.filter(requested_by=user)
    return queryset


def rfq_list(user, company: Company | None) -> QuerySet[Rfq]:
    """Requests for quotation (purchasing.view_rfq)."""
    return model_list(user, Rfq, company).select_related("warehouse", "currency")


# --- Report building blocks ----------------------------------------------------------------------------------

def committed_lines(company: Company, *, date_from=None, date_to=None) -> QuerySet[PurchaseOrderLine]:
    """Lines of the company's committed orders (confirmed and on), ordered between the dates."""
    lines = PurchaseOrderLine.objects.filter(company=company, order__state__in=COMMITTED_STATES)
    if date_from is not None:
        lines = lines.filter(order__date__gte=date_from)
    if date_to is not None:
        lines = lines.filter(order__date__lte=date_to)
    return lines.select_related("order__partner", "order__currency", "product__uom", "uom")


def pending_lines(company: Company) -> QuerySet[PurchaseOrderLine]:
    """Lines of confirmed or partly received orders not fully received yet."""
    return (PurchaseOrderLine.objects.filter(company=company, order__state__in=RECEIVABLE_STATES,
                                             quantity_received__lt=F("quantity"))
            .select_related("order__partner", "order__currency", "order__warehouse", "product__uom", "uom"))


def unbilled_lines(company: Company) -> QuerySet[PurchaseOrderLine]:
    """Lines with goods received (net of returns) that posted bills do not cover yet, of orders not cancelled."""
    return (PurchaseOrderLine.objects.filter(company=company)
            .exclude(order__state=OrderState.CANCELLED)
            .filter(quantity_received__gt=F("quantity_returned") + F("quantity_billed"))
            .select_related("order__partner", "order__currency", "product__uom", "uom"))


def mismatched_bills(company: Company) -> QuerySet[BillMatch]:
    """Matches of bills still in draft whose three-way match found a mismatch nobody approved yet."""
    return (BillMatch.objects.filter(company=company, state=MatchState.MISMATCH, invoice__state=InvoiceState.DRAFT)
            .select_related("invoice__partner", "invoice__currency").order_by("invoice__date", "invoice_id"))


def receipt_lines(company: Company, *, date_from=None, date_to=None) -> QuerySet[ReceiptLine]:
    """Lines of done receipts dated between the dates."""
    lines = ReceiptLine.objects.filter(company=company, receipt__state=ReceiptState.DONE)
    if date_from is not None:
        lines = lines.filter(receipt__date__gte=date_from)
    if date_to is not None:
        lines = lines.filter(receipt__date__lte=date_to)
    return lines.select_related("receipt", "order_line__order", "order_line__product__uom", "order_line__uom")


def waiting_approval(company: Company) -> QuerySet[PurchaseOrder]:
    """Orders submitted and waiting for an approval decision."""
    return PurchaseOrder.objects.filter(company=company, state=OrderState.SUBMITTED)


def expected_on(line: PurchaseOrderLine) -> datetime.date | None:
    """When the line's goods are due: its own expected date, else its order's."""
    return line.expected_on or line.order.expected_on


def base_quantity(quantity: Decimal, uom, product) -> Decimal:
    """A quantity in `uom` converted to the product's stock unit (same unit category)."""
    if uom is None or uom.pk == product.uom_id:
        return quantity
    return (quantity * uom.ratio / product.uom.ratio).quantize(QUANTUM, rounding=ROUND_HALF_UP)


def net_price(line) -> Decimal:
    """The line's unit price less its discount (unrounded)."""
    return line.unit_price * (1 - line.discount / 100)


class Rates:
    """Exchange rates into the company currency, looked up once per currency and day. A missing rate is
    None (the caller leaves the amount out and says so)."""

    def __init__(self, company: Company):
        self.company = company
        self.base = company.base_currency
        self._cache: dict[tuple[int, datetime.date], Decimal | None] = {}

    def rate(self, currency, day: datetime.date) -> Decimal | None:
        key = (currency.pk, day)
        if key not in self._cache:
            try:
                self._cache[key] = currency_rate(currency=currency, quote=self.base, on=day)
            except NotFound:
                self._cache[key] = None
        return self._cache[key]

    def base_amount(self, amount: Decimal, currency, day: datetime.date) -> Decimal | None:
        """`amount` in `currency` on `day` in the company currency, rounded to its unit (None: no rate)."""
        rate = self.rate(currency, day)
        return None if rate is None else currency_round(amount * rate, self.base)


def money(amount: Decimal, currency) -> Decimal:
    """An amount rounded to the currency's unit."""
    return currency_round(amount, currency)

"""Procure-to-pay: supplier prices, requisitions, requests for quotation, purchase orders, goods receipts,
the three-way match of supplier bills, and returns to suppliers.

Quantities of order lines are in the line's unit (usually the product's purchase unit); what was
received, billed and returned is kept on the line in that unit too. Stock moves (inventory) carry the
goods: confirming an order creates one incoming move per stock line (source
"purchasing.purchaseorderline:<id>"); a receipt carries them out (the rest stays as the backorder move).
Bills are accounting invoices (`supplier_invoice`); `BillLine` ties an invoice line to the order line it
bills and `BillMatch` keeps the bill's three-way match result.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned

from .choices import (
    MatchState,
    OrderState,
    ReceiptState,
    RefundMethod,
    RequisitionState,
    ReturnState,
    RfqState,
)

QUANTITY = {"max_digits": 18, "decimal_places": 4}
MONEY = {"max_digits": 18, "decimal_places": 2}
PRICE = {"max_digits": 18, "decimal_places": 6}
PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0")),
                                                                 MaxValueValidator(Decimal("100"))]}
ZERO = Decimal("0")


class PurchaseSettings(CompanyOwned):
    """A company's purchasing tolerances and accounts (one row per company, created on first use)."""

    over_receipt_percent = models.DecimalField(
        _("over-receipt tolerance %"), default=ZERO, **PERCENT,
        help_text=_("How much more than ordered may be received, as a percentage of the ordered quantity."))
    price_tolerance_percent = models.DecimalField(
        _("price tolerance %"), default=ZERO, **PERCENT,
        help_text=_("A bill's unit price may differ from the order's by this much before it is a mismatch."))
    amount_tolerance = models.DecimalField(
        _("amount tolerance"), default=ZERO, validators=[MinValueValidator(ZERO)], **MONEY,
        help_text=_("A bill's total may differ from the matched value by this much (company currency)."))
    quantity_tolerance_percent = models.DecimalField(
        _("billed quantity tolerance %"), default=ZERO, **PERCENT,
        help_text=_("How much more than received may be billed before it is a mismatch."))
    price_difference_account = models.ForeignKey(
        "accounting.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("price difference account"),
        help_text=_("Empty: the product category's expense (cost of goods sold) account."))
    requisition_needs_approval = models.BooleanField(
        _("requisitions need approval"), default=True,
        help_text=_("Off: a submitted requisition is approved at once unless an approval rule applies."))

    class Meta:
        verbose_name = _("purchase settings")
        verbose_name_plural = _("purchase settings")
        constraints = [models.UniqueConstraint(fields=["company"], name="uniq_purchase_settings")]

    def __str__(self) -> str:
        return str(_("Purchase settings"))


class SupplierPrice(CompanyOwned):
    """A supplier's price for a product (`purchasing/price-lists/`): from `min_quantity` (in `uom`), in
    `currency`, valid from/to (empty: open), with a discount and lead time. The order line takes the
    best valid price of its supplier for its quantity and date, and says which row it came from."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("supplier"))
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    supplier_sku = models.CharField(_("supplier's product code"), max_length=60, blank=True)
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    uom = models.ForeignKey("products.Uom", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    min_quantity = models.DecimalField(_("from quantity"), default=ZERO, validators=[MinValueValidator(ZERO)],
                                       **QUANTITY)
    price = models.DecimalField(_("unit price"), validators=[MinValueValidator(ZERO)], **PRICE)
    discount = models.DecimalField(_("discount %"), default=ZERO, **PERCENT)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    lead_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "product", "partner", "min_quantity"]
        verbose_name = _("supplier price")
        verbose_name_plural = _("supplier prices")
        indexes = [models.Index(fields=["company", "partner", "product"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(valid_to__isnull=True) | models.Q(valid_from__isnull=True)
            | models.Q(valid_to__gte=models.F("valid_from")), name="supplier_price_dates_ordered",
            violation_error_message=_("“Valid to” cannot be before “valid from”."))]

    def __str__(self) -> str:
        return f"{self.partner_id}/{self.product_id} ≥{self.min_quantity}: {self.price}"


class Requisition(CompanyOwned):
    """A request to buy, raised by any employee (or from the replenishment list): draft -> submitted ->
    approved (the approval rules, or at once) -> ordered when every line is on an order or RFQ; rejected
    or cancelled. Numbered when submitted."""

    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     editable=False, verbose_name=_("requested by"))
    date = models.DateField(_("date"))
    needed_on = models.DateField(_("needed by"), null=True, blank=True)
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("deliver to"))
    cost_center = models.ForeignKey("accounting.CostCenter", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("cost centre"))
    description = models.CharField(_("purpose"), max_length=255, blank=True)
    origin = models.CharField(_("origin"), max_length=40, blank=True, editable=False,
                              help_text=_("“replenishment” when raised from the replenishment list."))
    state = models.CharField(_("state"), max_length=12, choices=RequisitionState.choices,
                             default=RequisitionState.DRAFT, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("purchase requisition")
        verbose_name_plural = _("purchase requisitions")
        permissions = [("approve_requisition", _("Can approve purchase requisitions")),
                       ("convert_requisition", _("Can turn requisitions into orders and RFQs"))]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_requisition_number")]

    def __str__(self) -> str:
        return self.number or _("Draft requisition #%(pk)s") % {"pk": self.pk}


class RequisitionLine(CompanyOwned):
    """A product asked for; `order_line` / `rfq_line` say where it went when converted."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines",
                                    verbose_name=_("requisition"))
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    uom = models.ForeignKey("products.Uom", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    supplier = models.ForeignKey("partners.Partner", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("suggested supplier"))
    estimated_price = models.DecimalField(_("estimated unit price"), null=True, blank=True,
                                          validators=[MinValueValidator(ZERO)], **PRICE)
    order_line = models.ForeignKey("PurchaseOrderLine", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="requisition_lines", editable=False, verbose_name=_("order line"))
    rfq_line = models.ForeignKey("RfqLine", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="requisition_lines", editable=False, verbose_name=_("RFQ line"))

    class Meta:
        ordering = ["requisition", "pk"]
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"


class Rfq(CompanyOwned):
    """A request for quotation sent to several suppliers: their quotes are entered side by side and the
    winner (per RFQ, or per line) becomes a purchase order. draft -> sent -> awarded, or cancelled."""

    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    date = models.DateField(_("date"))
    quote_by = models.DateField(_("quotes due by"), null=True, blank=True)
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("deliver to"))
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=RfqState.choices, default=RfqState.DRAFT,
                             editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        permissions = [("award_rfq", _("Can award requests for quotation"))]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_rfq_number")]

    def __str__(self) -> str:
        return self.number or _("Draft RFQ #%(pk)s") % {"pk": self.pk}


class RfqLine(CompanyOwned):
    """A product the RFQ asks prices for; `awarded_to` is the winning supplier of this line."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="lines", verbose_name=_("RFQ"))
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    uom = models.ForeignKey("products.Uom", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    awarded_to = models.ForeignKey("RfqSupplier", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False, verbose_name=_("awarded to"))

    class Meta:
        ordering = ["rfq", "pk"]
        verbose_name = _("RFQ line")
        verbose_name_plural = _("RFQ lines")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"


class RfqSupplier(CompanyOwned):
    """A supplier invited to quote, with its quote's terms; `order` is the order it won."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="suppliers", verbose_name=_("RFQ"))
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("supplier"))
    quoted_on = models.DateField(_("quoted on"), null=True, blank=True)
    valid_to = models.DateField(_("quote valid to"), null=True, blank=True)
    lead_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    order = models.ForeignKey("PurchaseOrder", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", editable=False, verbose_name=_("purchase order"))

    class Meta:
        ordering = ["rfq", "pk"]
        verbose_name = _("RFQ supplier")
        verbose_name_plural = _("RFQ suppliers")
        constraints = [models.UniqueConstraint(fields=["rfq", "partner"], name="uniq_rfq_supplier")]

    def __str__(self) -> str:
        return f"{self.rfq_id}: {self.partner_id}"


class RfqQuote(CompanyOwned):
    """One supplier's price for one RFQ line (empty: not quoted)."""

    supplier = models.ForeignKey(RfqSupplier, on_delete=models.CASCADE, related_name="quotes",
                                 verbose_name=_("supplier"))
    line = models.ForeignKey(RfqLine, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("line"))
    unit_price = models.DecimalField(_("unit price"), validators=[MinValueValidator(ZERO)], **PRICE)
    discount = models.DecimalField(_("discount %"), default=ZERO, **PERCENT)

    class Meta:
        ordering = ["line", "unit_price"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [models.UniqueConstraint(fields=["supplier", "line"], name="uniq_rfq_quote")]

    def __str__(self) -> str:
        return f"{self.supplier_id}/{self.line_id}: {self.unit_price}"


class PurchaseOrder(CompanyOwned):
    """An order to a supplier. draft -> submitted -> approved (the approval rules; an order no rule
    covers is confirmed straight from draft) -> confirmed (numbered, incoming moves created) ->
    partially received -> received -> billed -> closed; cancelled while nothing is received. Totals are
    in the order's currency."""

    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("supplier"))
    reference = models.CharField(_("supplier reference"), max_length=100, blank=True)
    date = models.DateField(_("order date"))
    expected_on = models.DateField(_("expected date"), null=True, blank=True)
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("deliver to"))
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    payment_term = models.ForeignKey("partners.PaymentTerm", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("payment term"))
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("buyer"))
    rfq = models.ForeignKey(Rfq, null=True, blank=True, on_delete=models.PROTECT, related_name="orders",
                            editable=False, verbose_name=_("RFQ"))
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=OrderState.choices, default=OrderState.DRAFT,
                             editable=False)
    total_untaxed = models.DecimalField(_("untaxed"), default=ZERO, editable=False, **MONEY)
    total_tax = models.DecimalField(_("tax amount"), default=ZERO, editable=False, **MONEY)
    total = models.DecimalField(_("total"), default=ZERO, editable=False, **MONEY)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("fully received at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        permissions = [
            ("submit_purchaseorder", _("Can submit purchase orders for approval")),
            ("confirm_purchaseorder", _("Can confirm purchase orders")),
            ("receive_purchaseorder", _("Can receive goods")),
            ("bill_purchaseorder", _("Can bill purchase orders")),
            ("cancel_purchaseorder", _("Can cancel and close purchase orders")),
        ]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_purchase_order_number")]
        indexes = [models.Index(fields=["company", "partner", "state"]), models.Index(fields=["company", "state"])]

    def __str__(self) -> str:
        return self.number or _("Draft purchase order #%(pk)s") % {"pk": self.pk}


class PurchaseOrderLine(CompanyOwned):
    """A product ordered: `quantity` in `uom` at `unit_price` (order currency) less `discount`, with its
    taxes. `quantity_received` / `quantity_billed` / `quantity_returned` (same unit) follow receipts,
    posted bills and returns; `price_source` says where the price came from."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines",
                              verbose_name=_("order"))
    sequence = models.PositiveSmallIntegerField(_("line"), default=0)
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=255)
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    uom = models.ForeignKey("products.Uom", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_price = models.DecimalField(_("unit price"), validators=[MinValueValidator(ZERO)], **PRICE)
    discount = models.DecimalField(_("discount %"), default=ZERO, **PERCENT)
    taxes = models.ManyToManyField("accounting.Tax", blank=True, related_name="+", verbose_name=_("taxes"))
    expected_on = models.DateField(_("expected date"), null=True, blank=True)
    price_source = models.CharField(_("price from"), max_length=120, blank=True, editable=False)
    subtotal = models.DecimalField(_("subtotal"), default=ZERO, editable=False, **MONEY)
    total_tax = models.DecimalField(_("tax amount"), default=ZERO, editable=False, **MONEY)
    total = models.DecimalField(_("total"), default=ZERO, editable=False, **MONEY)
    quantity_received = models.DecimalField(_("received"), default=ZERO, editable=False, **QUANTITY)
    quantity_billed = models.DecimalField(_("billed"), default=ZERO, editable=False, **QUANTITY)
    quantity_returned = models.DecimalField(_("returned"), default=ZERO, editable=False, **QUANTITY)

    class Meta:
        ordering = ["order", "sequence", "pk"]
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")

    def __str__(self) -> str:
        return self.description

    @property
    def net_received(self) -> Decimal:
        """Received less returned: what can still be billed against."""
        return self.quantity_received - self.quantity_returned

    @property
    def to_receive(self) -> Decimal:
        return max(self.quantity - self.quantity_received, ZERO)

    @property
    def to_bill(self) -> Decimal:
        return max(self.net_received - self.quantity_billed, ZERO)


class Receipt(CompanyOwned):
    """A goods receipt against an order: what arrived on `date`, each line carried out as the line's
    incoming stock move (lots and serials on the move lines)."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts",
                              verbose_name=_("order"))
    number = models.CharField(_("number"), max_length=40, editable=False)
    date = models.DateField(_("date"))
    reference = models.CharField(_("delivery note"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReceiptState.choices, default=ReceiptState.DONE,
                             editable=False)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    editable=False, verbose_name=_("received by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_receipt_number")]

    def __str__(self) -> str:
        return self.number


class ReceiptLine(CompanyOwned):
    """What one receipt brought of one order line (`quantity` in the line's unit), through `move`."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines",
                                verbose_name=_("receipt"))
    order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines",
                                   verbose_name=_("order line"))
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    move = models.ForeignKey("inventory.StockMove", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", editable=False, verbose_name=_("stock move"))
    value = models.DecimalField(_("value"), default=ZERO, editable=False, **MONEY,
                                help_text=_("What the receipt credited to GR/IR, in company currency."))

    class Meta:
        ordering = ["receipt", "pk"]
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")

    def __str__(self) -> str:
        return f"{self.order_line_id}: {self.quantity}"


class BillLine(CompanyOwned):
    """Ties a supplier invoice (or credit note) line to the order line it bills (or credits)."""

    # SET_NULL: accounting's invoice_update replaces a draft's lines; the link survives and is tied again to
    # the new line of the same product (purchasing.services.bills.bill_relink).
    invoice_line = models.OneToOneField("accounting.InvoiceLine", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("invoice line"))
    invoice = models.ForeignKey("accounting.Invoice", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("bill"))
    order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="bill_lines",
                                   verbose_name=_("order line"))

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        indexes = [models.Index(fields=["company", "invoice"])]

    def __str__(self) -> str:
        return f"{self.invoice_line_id} -> {self.order_line_id}"


class BillMatch(CompanyOwned):
    """The three-way match of a bill (ordered price, received quantity, billed amount): `differences`
    lists each line's finding; a mismatch blocks posting until someone allowed approves it."""

    invoice = models.OneToOneField("accounting.Invoice", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("bill"))
    state = models.CharField(_("match"), max_length=10, choices=MatchState.choices)
    differences = models.JSONField(_("differences"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", editable=False, verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approval_note = models.CharField(_("approval note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("bill match")
        verbose_name_plural = _("bill matches")
        permissions = [("approve_billmatch", _("Can approve bill mismatches"))]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.state}"


class SupplierReturn(CompanyOwned):
    """Goods sent back to a supplier: draft -> done (stock out at the cost it came in, a supplier credit
    note for the returned lines, settled against the bill (offset) or left open for a refund)."""

    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("supplier"))
    order = models.ForeignKey(PurchaseOrder, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="returns", verbose_name=_("order"))
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("from warehouse"))
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255)
    is_quality_issue = models.BooleanField(_("quality issue"), default=True,
                                           help_text=_("Counts in the supplier's quality figures."))
    refund_method = models.CharField(_("settle by"), max_length=10, choices=RefundMethod.choices,
                                     default=RefundMethod.OFFSET)
    credit_note = models.ForeignKey("accounting.Invoice", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", editable=False, verbose_name=_("credit note"))
    state = models.CharField(_("state"), max_length=10, choices=ReturnState.choices, default=ReturnState.DRAFT,
                             editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("supplier return")
        verbose_name_plural = _("supplier returns")
        permissions = [("post_supplierreturn", _("Can post returns to suppliers"))]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_supplier_return_number")]

    def __str__(self) -> str:
        return self.number or _("Draft return #%(pk)s") % {"pk": self.pk}


class SupplierReturnLine(CompanyOwned):
    """A product sent back (`quantity` in `uom`), usually of an order line, through `move` (out of stock
    at the cost it came in, the original receipt move as `origin_move`)."""

    supplier_return = models.ForeignKey(SupplierReturn, on_delete=models.CASCADE, related_name="lines",
                                        verbose_name=_("return"))
    order_line = models.ForeignKey(PurchaseOrderLine, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="return_lines", verbose_name=_("order line"))
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    uom = models.ForeignKey("products.Uom", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    lot = models.ForeignKey("inventory.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("lot"))
    unit_price = models.DecimalField(_("credit unit price"), null=True, blank=True,
                                     validators=[MinValueValidator(ZERO)], **PRICE,
                                     help_text=_("Empty: the order line's price."))
    move = models.ForeignKey("inventory.StockMove", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", editable=False, verbose_name=_("stock move"))
    quantity_to_credit = models.DecimalField(
        _("quantity to credit"), default=ZERO, editable=False, **QUANTITY,
        help_text=_("Set when the goods go back: the part already billed (in the order line's unit; a line "
                    "without an order line: all of it), which the return's supplier credit note credits."))

    class Meta:
        ordering = ["supplier_return", "pk"]
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"

"""Warehouses and locations, lots, and the stock ledger.

Every quantity change is a `StockMove` (what a document asks for: a product from one location to
another) carried out by its `StockMoveLine`s (which location and lot it really left and reached).
`StockQuant` is the on-hand summary per product, location and lot: its `quantity` always equals the
done lines into the location less those out of it, and its `reserved` the lines of moves not yet done
(an invariant that `tessera check-books` checks). Quantities in lines and quants are in the product's
stock unit; a move keeps the unit the document used as well.

Valuation is per company: each done move that brings stock in or takes it out of the company's
internal locations writes a `ValuationLayer` (signed quantity and value) and its journal entry;
`ProductCost` holds the running quantity and value of a product (locked while a move is valued) and so
its moving-average cost; FIFO consumes the oldest layers' `remaining_quantity`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned

from .choices import AdjustmentState, LayerKind, LocationUsage, MoveState, TransferState

QUANTITY = {"max_digits": 18, "decimal_places": 4}
MONEY = {"max_digits": 18, "decimal_places": 2}
COST = {"max_digits": 18, "decimal_places": 6}


class Warehouse(CompanyOwned):
    """A site with its tree of locations: `view_location` (the root) and `stock_location` (where
    goods are received and picked by default). Negative stock is refused unless allowed here."""

    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    address = models.TextField(_("address"), blank=True)
    allow_negative_stock = models.BooleanField(
        _("allow negative stock"), default=False,
        help_text=_("Let deliveries go out before the stock is recorded (the shortfall shows as negative)."))
    view_location = models.OneToOneField("Location", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", editable=False, verbose_name=_("root location"))
    stock_location = models.OneToOneField("Location", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("stock location"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_warehouse_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Location(CompanyOwned):
    """A place stock can be: a shelf or zone of a warehouse (internal), or a virtual location
    (supplier, customer, inventory loss, transit, production). `full_name` is the path, kept by the
    services ("WH1/Stock/A-01")."""

    warehouse = models.ForeignKey(Warehouse, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="locations", verbose_name=_("warehouse"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent"))
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(_("full name"), max_length=400, editable=False)
    usage = models.CharField(_("usage"), max_length=12, choices=LocationUsage.choices, default=LocationUsage.INTERNAL)
    barcode = models.CharField(_("barcode"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "full_name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["company", "full_name"], name="uniq_location_full_name"),
            models.UniqueConstraint(fields=["company", "barcode"], condition=~models.Q(barcode=""),
                                    name="uniq_location_barcode"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def is_internal(self) -> bool:
        return self.usage == LocationUsage.INTERNAL


class Lot(CompanyOwned):
    """A lot or serial number of a tracked product; `expiry_on` drives first-expiry-first-out picking."""

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    name = models.CharField(_("lot / serial number"), max_length=100)
    expiry_on = models.DateField(_("expiry date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["company", "product", "expiry_on", "name"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [models.UniqueConstraint(fields=["company", "product", "name"], name="uniq_lot_name")]

    def __str__(self) -> str:
        return self.name


class StockMove(CompanyOwned):
    """A product going from `location` to `location_dest`, asked for by a document (`source`
    "app.model:id", shown as `reference`). draft -> confirmed (waiting) -> assigned (reserved) -> done,
    or cancelled. `product_quantity` is `quantity` in the product's unit; `reserved_quantity` is what
    its open lines hold. When done, `value` is what it moved in or out of the company's stock in base
    currency (`unit_cost` per product unit), posted in `entry`."""

    reference = models.CharField(_("reference"), max_length=100, blank=True)
    source = models.CharField(_("source document"), max_length=100, blank=True, editable=False)
    description = models.CharField(_("description"), max_length=255, blank=True)
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    uom = models.ForeignKey("products.Uom", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    product_quantity = models.DecimalField(_("quantity in stock unit"), editable=False, **QUANTITY)
    reserved_quantity = models.DecimalField(_("reserved"), default=Decimal("0"), editable=False, **QUANTITY)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    location_dest = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("lot"), help_text=_("Asked-for lot; the lines say which lots moved."))
    partner = models.ForeignKey("partners.Partner", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("partner"))
    date = models.DateField(_("date"))
    state = models.CharField(_("state"), max_length=12, choices=MoveState.choices, default=MoveState.DRAFT,
                             editable=False)
    unit_cost = models.DecimalField(_("unit cost"), null=True, blank=True, **COST,
                                    help_text=_("Incoming: the price per stock unit in company currency."))
    value = models.DecimalField(_("value"), default=Decimal("0"), editable=False, **MONEY)
    entry = models.ForeignKey("accounting.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", editable=False, verbose_name=_("journal entry"))
    origin_move = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="returns", verbose_name=_("returns move"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", editable=False, verbose_name=_("done by"))

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        permissions = [("post_stockmove", _("Can carry out stock moves"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="move_quantity_positive"),
            models.CheckConstraint(condition=~models.Q(location=models.F("location_dest")),
                                   name="move_locations_differ"),
            models.CheckConstraint(condition=models.Q(reserved_quantity__gte=0), name="move_reserved_not_negative"),
        ]
        indexes = [
            models.Index(fields=["company", "product", "state"]),
            models.Index(fields=["company", "product", "date"]),
            models.Index(fields=["company", "source"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.pk}: {self.product_id} {self.quantity}"


class StockMoveLine(CompanyOwned):
    """What a move really takes or brings: a quantity (stock unit) of one lot between two concrete
    locations. Lines of an open move are reservations; lines of a done move are the stock ledger."""

    move = models.ForeignKey(StockMove, on_delete=models.CASCADE, related_name="lines", verbose_name=_("move"))
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    location_dest = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("lot"))
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    is_done = models.BooleanField(_("done"), default=False, editable=False)
    date = models.DateField(_("date"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["move", "pk"]
        verbose_name = _("stock move line")
        verbose_name_plural = _("stock move lines")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="move_line_quantity_positive")]
        indexes = [
            models.Index(fields=["company", "product", "location", "is_done"]),
            models.Index(fields=["company", "product", "location_dest", "is_done"]),
            models.Index(fields=["company", "lot"]),
        ]

    def __str__(self) -> str:
        return f"{self.move_id}: {self.quantity}"


class StockQuant(CompanyOwned):
    """On hand and reserved of a product in one location (and lot): the summary the services keep in
    step with the move lines, so stock questions read a few rows."""

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="quants",
                                 verbose_name=_("location"))
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="quants",
                            verbose_name=_("lot"))
    quantity = models.DecimalField(_("on hand"), default=Decimal("0"), **QUANTITY)
    reserved = models.DecimalField(_("reserved"), default=Decimal("0"), **QUANTITY)
    in_date = models.DateField(_("received on"), null=True, blank=True,
                               help_text=_("When the oldest stock still here came in (first-in-first-out picking)."))

    class Meta:
        ordering = ["company", "product", "location", "lot"]
        verbose_name = _("stock quantity")
        verbose_name_plural = _("stock quantities")
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], condition=models.Q(lot__isnull=True),
                                    name="uniq_quant_without_lot"),
            models.UniqueConstraint(fields=["product", "location", "lot"], condition=models.Q(lot__isnull=False),
                                    name="uniq_quant_with_lot"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="quant_reserved_not_negative"),
        ]
        indexes = [models.Index(fields=["company", "location", "product"])]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.location_id}: {self.quantity}"

    @property
    def available(self) -> Decimal:
        return self.quantity - self.reserved


class ProductCost(CompanyOwned):
    """A product's valued stock in the company: quantity and value (base currency). Locked while a move
    is valued, which serialises valuation per product; `average_cost` is the moving average."""

    product = models.OneToOneField("products.Product", on_delete=models.PROTECT, related_name="cost",
                                   verbose_name=_("product"))
    quantity = models.DecimalField(_("valued quantity"), default=Decimal("0"), **QUANTITY)
    value = models.DecimalField(_("value"), default=Decimal("0"), **MONEY)
    average_cost = models.DecimalField(_("average cost"), default=Decimal("0"), **COST)

    class Meta:
        verbose_name = _("product cost")
        verbose_name_plural = _("product costs")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity} / {self.value}"


class ValuationLayer(CompanyOwned):
    """The value a move (or a revaluation) added to or took from the company's stock of a product:
    signed `quantity` and `value`, and its `kind` (receipt, delivery, adjustment, return, production,
    revaluation). Incoming layers keep `remaining_quantity` and `remaining_value`,
    which FIFO deliveries consume oldest first. The layers of a product add up to its ProductCost, and
    all layers to the inventory accounts' balance in the ledger."""

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    move = models.ForeignKey(StockMove, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="valuation_layers", verbose_name=_("move"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=LayerKind.choices, default=LayerKind.OTHER)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost"), **COST)
    value = models.DecimalField(_("value"), **MONEY)
    remaining_quantity = models.DecimalField(_("remaining quantity"), default=Decimal("0"), **QUANTITY)
    remaining_value = models.DecimalField(_("remaining value"), default=Decimal("0"), **MONEY)
    description = models.CharField(_("description"), max_length=255, blank=True)
    entry = models.ForeignKey("accounting.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("journal entry"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["company", "product", "date", "pk"]
        verbose_name = _("valuation layer")
        verbose_name_plural = _("valuation layers")
        indexes = [models.Index(fields=["company", "product", "date"]),
                   models.Index(fields=["company", "date"])]

    def __str__(self) -> str:
        return f"{self.product_id} {self.quantity} {self.value}"


class Adjustment(CompanyOwned):
    """A stock count of a location (and its sub-locations): lines with the quantity expected when the
    count started and the quantity counted; posting moves the differences to or from the inventory
    loss location and values them."""

    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location"))
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=AdjustmentState.choices,
                             default=AdjustmentState.DRAFT, editable=False)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", editable=False, verbose_name=_("posted by"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        permissions = [("post_adjustment", _("Can post stock counts"))]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_adjustment_number")]

    def __str__(self) -> str:
        return self.number or _("Draft count #%(pk)s") % {"pk": self.pk}


class AdjustmentLine(CompanyOwned):
    """One product (and lot) in one location of a count: expected (at the start of the count) and counted."""

    adjustment = models.ForeignKey(Adjustment, on_delete=models.CASCADE, related_name="lines",
                                   verbose_name=_("stock count"))
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location"))
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("lot"))
    expected_quantity = models.DecimalField(_("expected"), default=Decimal("0"), editable=False, **QUANTITY)
    counted_quantity = models.DecimalField(_("counted"), null=True, blank=True,
                                           validators=[MinValueValidator(Decimal("0"))], **QUANTITY)
    move = models.ForeignKey(StockMove, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             editable=False, verbose_name=_("move"))

    class Meta:
        ordering = ["adjustment", "location", "product", "pk"]
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.expected_quantity} -> {self.counted_quantity}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted_quantity is None else self.counted_quantity - self.expected_quantity


class Transfer(CompanyOwned):
    """Goods sent from one internal location to another (usually another warehouse's) through the
    transit location: confirm reserves, ship moves them into transit, done brings them in."""

    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    location_dest = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=TransferState.choices, default=TransferState.DRAFT,
                             editable=False)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("received at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        permissions = [("confirm_transfer", _("Can confirm transfers")), ("post_transfer", _("Can ship and receive "
                                                                                             "transfers")),
                       ("cancel_transfer", _("Can cancel transfers"))]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_transfer_number")]

    def __str__(self) -> str:
        return self.number or _("Draft transfer #%(pk)s") % {"pk": self.pk}


class TransferLine(CompanyOwned):
    """A product of a transfer; `move_out` takes it to transit, `move_in` brings it to the destination."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines",
                                 verbose_name=_("transfer"))
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    uom = models.ForeignKey("products.Uom", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("lot"))
    move_out = models.ForeignKey(StockMove, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 editable=False)
    move_in = models.ForeignKey(StockMove, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                editable=False)

    class Meta:
        ordering = ["transfer", "pk"]
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"


class ReorderRule(CompanyOwned):
    """Min/max replenishment of a product in a warehouse: below `min_quantity` (forecast: available plus
    incoming), order up to `max_quantity`, in multiples of `multiple`, from `supplier`."""

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    min_quantity = models.DecimalField(_("minimum"), validators=[MinValueValidator(Decimal("0"))], **QUANTITY)
    max_quantity = models.DecimalField(_("maximum"), validators=[MinValueValidator(Decimal("0"))], **QUANTITY)
    multiple = models.DecimalField(_("order in multiples of"), default=Decimal("1"),
                                   validators=[MinValueValidator(Decimal("0.0001"))], **QUANTITY)
    supplier = models.ForeignKey("partners.Partner", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("supplier"))
    lead_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "warehouse", "product"]
        verbose_name = _("reorder rule")
        verbose_name_plural = _("reorder rules")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "product"], name="uniq_reorder_rule"),
            models.CheckConstraint(condition=models.Q(max_quantity__gte=models.F("min_quantity")),
                                   name="reorder_max_not_below_min",
                                   violation_error_message=_("The maximum cannot be below the minimum.")),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.min_quantity}-{self.max_quantity}"

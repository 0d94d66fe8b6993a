"""Documents that post into the ledger: customer and supplier invoices and credit notes, and payments
allocated to them. Amounts are in the document's currency; `exchange_rate` converts to the company's
base currency at the document date (1 for base-currency documents)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned, Currency
from tessera.partners.models import Partner, PaymentTerm

from ..choices import InvoiceKind, InvoiceState, PaymentKind, PaymentState, TaxRounding
from .ledger import MONEY, Account, CostCenter, Journal, JournalEntry, Tax

RATE = {"max_digits": 20, "decimal_places": 10}
QUANTITY = {"max_digits": 18, "decimal_places": 4}


class Invoice(CompanyOwned):
    """A customer or supplier invoice or credit note.

    draft -> posted (number, due date, rate and the journal entry: receivable/payable against
    revenue/expense and VAT) -> partially paid -> paid, as allocations settle it; a posted invoice
    is cancelled only by a credit note (`credit_note_of`) or reversal, never edited.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+", verbose_name=_("journal"))
    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("The supplier's invoice number, or the customer's order reference."))
    date = models.DateField(_("date"))
    due_on = models.DateField(_("due date"), null=True, blank=True,
                              help_text=_("Left empty, it comes from the payment term when the invoice is posted."))
    payment_term = models.ForeignKey(PaymentTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("payment term"))
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    exchange_rate = models.DecimalField(_("exchange rate"), default=Decimal("1"), editable=False, **RATE)
    tax_rounding = models.CharField(_("tax rounding"), max_length=10, choices=TaxRounding.choices,
                                    default=TaxRounding.LINE)
    description = models.CharField(_("description"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=InvoiceState.choices, default=InvoiceState.DRAFT,
                             editable=False)
    total_untaxed = models.DecimalField(_("untaxed"), default=Decimal("0"), editable=False, **MONEY)
    total_tax = models.DecimalField(_("tax amount"), default=Decimal("0"), editable=False, **MONEY)
    total = models.DecimalField(_("total"), default=Decimal("0"), editable=False, **MONEY)
    amount_paid = models.DecimalField(_("paid"), default=Decimal("0"), editable=False, **MONEY)
    entry = models.OneToOneField(JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 editable=False, verbose_name=_("journal entry"))
    credit_note_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="credit_notes", verbose_name=_("credits invoice"))
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        permissions = [("post_invoice", _("Can post invoices")), ("cancel_invoice", _("Can cancel invoices"))]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_invoice_number"),
            models.CheckConstraint(condition=models.Q(amount_paid__gte=0), name="invoice_paid_not_negative"),
        ]
        indexes = [models.Index(fields=["company", "partner", "state"]), models.Index(fields=["company", "due_on"])]

    def __str__(self) -> str:
        return self.number or _("Draft invoice #%(pk)s") % {"pk": self.pk}

    @property
    def residual(self) -> Decimal:
        """What is still to be paid, in the invoice's currency."""
        return self.total - self.amount_paid


class InvoiceLine(CompanyOwned):
    """A line of an invoice: quantity x unit price less the discount, with its taxes.

    `account` is the revenue (customer documents) or expense account the line posts to.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice"))
    sequence = models.PositiveSmallIntegerField(_("line"), default=0)
    product = models.ForeignKey("products.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=255)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("account"))
    quantity = models.DecimalField(_("quantity"), default=Decimal("1"), **QUANTITY)
    uom = models.ForeignKey("products.Uom", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("unit"))
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=6)
    discount = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, default=Decimal("0"),
                                   validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    taxes = models.ManyToManyField(Tax, blank=True, related_name="+", verbose_name=_("taxes"))
    cost_center = models.ForeignKey(CostCenter, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("cost centre"))
    subtotal = models.DecimalField(_("subtotal"), default=Decimal("0"), editable=False, **MONEY)
    total_tax = models.DecimalField(_("tax amount"), default=Decimal("0"), editable=False, **MONEY)
    total = models.DecimalField(_("total"), default=Decimal("0"), editable=False, **MONEY)

    class Meta:
        ordering = ["invoice", "sequence", "pk"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="invoice_line_quantity_positive",
                                              violation_error_message=_("The quantity must be more than zero."))]

    def __str__(self) -> str:
        return self.description


class Payment(CompanyOwned):
    """Money received from a customer (inbound) or paid to a supplier (outbound), through a bank or
    cash journal, allocated to one or more invoices. What is not allocated stays open on the
    partner's account as a prepayment; a small difference may be written off (`writeoff_account`)."""

    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+", verbose_name=_("journal"))
    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    exchange_rate = models.DecimalField(_("exchange rate"), default=Decimal("1"), editable=False, **RATE)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    writeoff_account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("write-off account"))
    writeoff_amount = models.DecimalField(_("write-off"), default=Decimal("0"), **MONEY)
    state = models.CharField(_("state"), max_length=10, choices=PaymentState.choices, default=PaymentState.DRAFT,
                             editable=False)
    entry = models.OneToOneField(JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 editable=False, verbose_name=_("journal entry"))
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        permissions = [("post_payment", _("Can post payments")), ("cancel_payment", _("Can cancel payments"))]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_payment_number")]

    def __str__(self) -> str:
        return self.number or _("Draft payment #%(pk)s") % {"pk": self.pk}


class PaymentAllocation(CompanyOwned):
    """How much of a payment settles one invoice, in the invoice's currency (`amount`) and in the
    payment's (`payment_amount`); a difference in base currency between the two rates is a realised
    exchange gain or loss."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations",
                                verbose_name=_("payment"))
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations",
                                verbose_name=_("invoice"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    payment_amount = models.DecimalField(_("amount in payment currency"), default=Decimal("0"), **MONEY)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [models.UniqueConstraint(fields=["payment", "invoice"], name="uniq_allocation_invoice")]

    def __str__(self) -> str:
        return f"{self.payment} -> {self.invoice}: {self.amount}"

"""Partners (customers and suppliers) and payment terms."""

import calendar
import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned, Currency
from tessera.core.validators import validate_tax_id_for_country


class TermBasis(models.TextChoices):
    INVOICE_DATE = "invoice_date", _("Days after the invoice date")
    END_OF_MONTH = "end_of_month", _("Days after the end of the invoice's month")


class PaymentTerm(CompanyOwned):
    """When an invoice falls due, and any early-payment discount: net 30, 2/10 net 30, end of month + 30."""

    code = models.CharField(_("code"), max_length=20, validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$")])
    name = models.CharField(_("name"), max_length=100)
    basis = models.CharField(_("basis"), max_length=20, choices=TermBasis.choices, default=TermBasis.INVOICE_DATE)
    days = models.PositiveSmallIntegerField(_("days"), default=30, validators=[MaxValueValidator(730)])
    discount_percent = models.DecimalField(
        _("early payment discount %"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    discount_days = models.PositiveSmallIntegerField(_("discount days"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "days", "code"]
        verbose_name = _("payment term")
        verbose_name_plural = _("payment terms")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_payment_term_code")]

    def __str__(self) -> str:
        return self.name

    def due_on(self, invoice_on: datetime.date) -> datetime.date:
        """The due date of an invoice dated `invoice_on`."""
        if self.basis == TermBasis.END_OF_MONTH:
            last_day = calendar.monthrange(invoice_on.year, invoice_on.month)[1]
            return invoice_on.replace(day=last_day) + datetime.timedelta(days=self.days)
        return invoice_on + datetime.timedelta(days=self.days)

    def discount_until(self, invoice_on: datetime.date) -> datetime.date | None:
        """The last day the early-payment discount applies, or None without a discount."""
        if not self.discount_percent:
            return None
        return invoice_on + datetime.timedelta(days=self.discount_days)


class Partner(CompanyOwned):
    """A customer, a supplier, or both. Receivables and payables are kept per partner."""

    code = models.CharField(_("code"), max_length=30, validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$")])
    name = models.CharField(_("name"), max_length=200)
    is_customer = models.BooleanField(_("customer"), default=False)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    country = models.CharField(_("country"), max_length=2, default="CN", validators=[RegexValidator(r"^[A-Z]{2}$")])
    tax_id = models.CharField(_("tax id"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    currency = models.ForeignKey(
        Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"),
        help_text=_("Leave empty to use the company's base currency."),
    )
    payment_term = models.ForeignKey(
        PaymentTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("payment term")
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=18, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))], help_text=_("Empty means no limit."),
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "code"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="uniq_partner_code"),
            models.CheckConstraint(
                condition=models.Q(is_customer=True) | models.Q(is_supplier=True), name="partner_customer_or_supplier",
                violation_error_message=_("A partner is a customer, a supplier or both."),
            ),
        ]
        indexes = [models.Index(fields=["company", "tax_id"]), models.Index(fields=["company", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        validate_tax_id_for_country(self.tax_id, self.country)

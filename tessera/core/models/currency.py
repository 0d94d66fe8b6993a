"""Currencies (ISO 4217) and exchange rates by date."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.Model):
    """An ISO 4217 currency.

    `decimal_places` is the precision amounts are stored and shown in; `rounding` is the smallest
    unit amounts are rounded to (0.01 for CNY, 0.05 for CHF cash rounding, 1 for JPY).
    """

    code = models.CharField(
        _("code"), max_length=3, unique=True, validators=[RegexValidator(r"^[A-Z]{3}$")]
    )
    name = models.CharField(_("name"), max_length=100)
    symbol = models.CharField(_("symbol"), max_length=8, blank=True)
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"), default=2, validators=[MaxValueValidator(6)]
    )
    rounding = models.DecimalField(_("rounding"), max_digits=12, decimal_places=6, default=Decimal("0.01"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        constraints = [models.CheckConstraint(condition=models.Q(rounding__gt=0), name="currency_rounding_positive")]

    def __str__(self) -> str:
        return self.code


class ExchangeRate(models.Model):
    """How many units of `quote_currency` one unit of `currency` is worth on `rate_on`.

    The rate in force on a day is the latest one dated on or before it (see `currency_rate`).
    """

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="rates", verbose_name=_("currency"))
    quote_currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("quote currency")
    )
    rate_on = models.DateField(_("date"))
    rate = models.DecimalField(
        _("rate"), max_digits=20, decimal_places=10, validators=[MinValueValidator(Decimal("0.0000000001"))]
    )

    class Meta:
        ordering = ["currency__code", "quote_currency__code", "-rate_on"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "quote_currency", "rate_on"], name="uniq_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
            models.CheckConstraint(
                condition=~models.Q(currency=models.F("quote_currency")), name="rate_distinct_currencies"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.quote_currency} ({self.rate_on})"

"""Writes the set-up screens need that the other core services do not offer as such."""

from django.db import transaction

from ..models import Currency, ExchangeRate
from ..permissions import require
from .base import record_update
from .currency import exchange_rate_set

RATE_FIELDS = {"quote_currency", "rate_on", "rate"}


def exchange_rate_save(
    *, actor, currency: Currency, data: dict, rate: ExchangeRate | None = None, company=None
) -> ExchangeRate:
    """Record a rate of `currency` from the rate lines of its page.

    A new line (rate None) or a line whose currency pair and day are unchanged goes through
    `exchange_rate_set` (one rate per pair and day: an existing one is corrected). A line moved to
    another day or quote currency is changed in place. Raises PermissionDenied, ValidationFailed.
    """
    if rate is not None and rate.currency_id != currency.pk:
        raise ValueError("The rate belongs to another currency.")
    quote, on, value = data.get("quote_currency"), data.get("rate_on"), data.get("rate")
    unchanged_key = rate is not None and rate.quote_currency_id == getattr(quote, "pk", None) and rate.rate_on == on
    if rate is None or unchanged_key:
        require(actor, "core.change_exchangerate" if rate else "core.add_exchangerate", company)
        with transaction.atomic():
            return exchange_rate_set(currency=currency, quote=quote, on=on, rate=value)
    return record_update(actor=actor, instance=rate, data=data, fields=RATE_FIELDS, company=company)

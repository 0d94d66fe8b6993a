"""Currency rounding, exchange-rate look-up and conversion."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import NotFound, ValidationFailed
from ..models import Currency, ExchangeRate
from ..permissions import require
from .base import validate


def currency_round(amount: Decimal, currency: Currency) -> Decimal:
    """Round half up to the currency's rounding unit, expressed with its decimal places."""
    if isinstance(amount, float):
        raise TypeError("Money is Decimal, never float.")
    units = (Decimal(amount) / currency.rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (units * currency.rounding).quantize(Decimal(1).scaleb(-currency.decimal_places))


def currency_rate(*, currency: Currency, quote: Currency, on: datetime.date) -> Decimal:
    """Units of `quote` for one unit of `currency` on date `on`: the latest rate on or before it.

    Uses the inverse of a quote->currency rate when only that one is recorded.
    Raises NotFound when neither exists.
    """
    if currency.pk == quote.pk:
        return Decimal(1)
    direct = ExchangeRate.objects.filter(currency=currency, quote_currency=quote, rate_on__lte=on).order_by("-rate_on")
    inverse = ExchangeRate.objects.filter(currency=quote, quote_currency=currency, rate_on__lte=on).order_by("-rate_on")
    found_direct, found_inverse = direct.first(), inverse.first()
    if found_direct and (not found_inverse or found_direct.rate_on >= found_inverse.rate_on):
        return found_direct.rate
    if found_inverse:
        return (Decimal(1) / found_inverse.rate).quantize(Decimal("0.0000000001"))
    raise NotFound(
        _("No exchange rate from %(from)s to %(to)s on or before %(date)s.")
        % {"from": currency.code, "to": quote.code, "date": on.isoformat()}
    )


def currency_convert(*, amount: Decimal, currency: Currency, quote: Currency, on: datetime.date) -> Decimal:
    return currency_round(Decimal(amount) * currency_rate(currency=currency, quote=quote, on=on), quote)


def exchange_rate_set(
    *, currency: Currency, quote: Currency, on: datetime.date, rate: Decimal, actor=None
) -> ExchangeRate:
    """Record (or correct) the rate for one day. With `actor`, checks core.add_exchangerate.

    Raises ValidationFailed for a float rate (money is Decimal) or an invalid one, PermissionDenied.
    """
    if actor is not None:
        require(actor, "core.add_exchangerate")
    if isinstance(rate, float):
        raise ValidationFailed(fields={"rate": [_("Send rates as decimal strings, not floats.")]})
    with transaction.atomic():
        existing = (
            ExchangeRate.objects.select_for_update()
            .filter(currency=currency, quote_currency=quote, rate_on=on)
            .first()
        )
        record = existing or ExchangeRate(currency=currency, quote_currency=quote, rate_on=on)
        record.rate = rate
        validate(record)
        record.save()
        return record

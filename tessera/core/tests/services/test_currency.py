"""Rounding to each currency's unit, rate look-up by date, and rates kept as Decimal."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.core.errors import NotFound, PermissionDenied, ValidationFailed
from tessera.core.models import Currency, ExchangeRate
from tessera.core.services.currency import currency_convert, currency_rate, currency_round, exchange_rate_set
from tessera.core.tests.factories import currency

D = datetime.date


def _unit(rounding: str, places: int) -> Currency:
    return Currency(code="TST", name="Test", decimal_places=places, rounding=Decimal(rounding))


@pytest.mark.django_db
def test_yen_rounds_to_whole_units():
    assert currency_round(Decimal("1234.5"), currency("JPY")) == Decimal("1235")
    assert currency_round(Decimal("1234.4"), currency("JPY")) == Decimal("1234")


@pytest.mark.django_db
def test_cny_rounds_half_up_to_the_fen():
    assert currency_round(Decimal("10.005"), currency("CNY")) == Decimal("10.01")
    assert currency_round(Decimal("-10.005"), currency("CNY")) == Decimal("-10.01")


def test_swiss_cash_rounding_goes_to_five_rappen():
    chf = _unit("0.05", 2)

    assert currency_round(Decimal("1.02"), chf) == Decimal("1.00")
    assert currency_round(Decimal("1.025"), chf) == Decimal("1.05")
    assert str(currency_round(Decimal("1.08"), chf)) == "1.10"


def test_rounding_refuses_floats():
    with pytest.raises(TypeError):
        currency_round(1.1, _unit("0.01", 2))


@settings(max_examples=300)
@given(
    amount=st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6, allow_nan=False),
    unit=st.sampled_from([("0.01", 2), ("1", 0), ("0.05", 2), ("0.001", 3)]),
)
def test_rounding_is_idempotent_and_within_half_a_unit(amount, unit):
    money = _unit(*unit)

    rounded = currency_round(amount, money)

    assert currency_round(rounded, money) == rounded
    assert abs(rounded - amount) <= money.rounding / 2
    assert rounded % money.rounding == 0


@pytest.fixture
def usd_cny(db):
    usd, cny = currency("USD"), currency("CNY")
    for day, rate in ((D(2026, 10, 1), "7.10"), (D(2026, 11, 1), "7.20")):
        ExchangeRate.objects.create(currency=usd, quote_currency=cny, rate_on=day, rate=Decimal(rate))
    return usd, cny


def test_the_rate_in_force_is_the_latest_on_or_before_the_date(usd_cny):
    usd, cny = usd_cny

    assert currency_rate(currency=usd, quote=cny, on=D(2026, 10, 31)) == Decimal("7.10")
    assert currency_rate(currency=usd, quote=cny, on=D(2026, 11, 1)) == Decimal("7.20")
    assert currency_rate(currency=usd, quote=cny, on=D(2027, 1, 1)) == Decimal("7.20")


def test_the_inverse_rate_is_used_when_only_that_one_exists(usd_cny):
    usd, cny = usd_cny

    assert currency_rate(currency=cny, quote=usd, on=D(2026, 11, 5)) == Decimal("0.1388888889")


def test_no_rate_before_the_first_one_is_not_found(usd_cny):
    usd, cny = usd_cny

    with pytest.raises(NotFound) as raised:
        currency_rate(currency=usd, quote=cny, on=D(2026, 9, 30))

    assert str(raised.value) == "No exchange rate from USD to CNY on or before 2026-09-30."


def test_conversion_rounds_to_the_quote_currency(usd_cny):
    usd, cny = usd_cny

    assert currency_convert(amount=Decimal("3.333"), currency=usd, quote=cny, on=D(2026, 11, 2)) == Decimal("24.00")


@pytest.mark.django_db
def test_a_float_rate_is_refused_and_nothing_written():
    with pytest.raises(ValidationFailed) as raised:
        exchange_rate_set(currency=currency("USD"), quote=currency("CNY"), on=D(2026, 11, 1), rate=7.2)

    assert raised.value.fields == {"rate": ["Send rates as decimal strings, not floats."]}
    assert not ExchangeRate.objects.exists()


def test_setting_a_rate_again_for_the_day_corrects_it(usd_cny):
    usd, cny = usd_cny

    exchange_rate_set(currency=usd, quote=cny, on=D(2026, 11, 1), rate=Decimal("7.25"))

    assert ExchangeRate.objects.get(currency=usd, rate_on=D(2026, 11, 1)).rate == Decimal("7.25")
    assert ExchangeRate.objects.count() == 2


@pytest.mark.django_db
def test_a_rate_needs_the_permission_of_the_actor(make_user):
    with pytest.raises(PermissionDenied):
        exchange_rate_set(actor=make_user("salesperson"), currency=currency("USD"), quote=currency("CNY"),
                          on=D(2026, 11, 1), rate=Decimal("7.2"))

    assert not ExchangeRate.objects.exists()


@pytest.mark.django_db
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=4))
def test_a_stored_rate_reads_back_exactly(rate):
    stored = exchange_rate_set(currency=currency("EUR"), quote=currency("CNY"), on=D(2026, 11, 1), rate=rate)

    assert ExchangeRate.objects.get(pk=stored.pk).rate == rate

"""Inline editing of lines (htmx), shown on the exchange rates of a currency."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.models import ExchangeRate
from tessera.core.tests.factories import currency


def url(op: str, *args) -> str:
    return reverse(f"core:currency_rates_{op}", args=args)


@pytest.mark.django_db
def test_the_currency_page_lists_its_rates_as_lines(admin_web, usd_rate):
    usd = currency("USD")
    response = admin_web.get(reverse("core:currency_detail", args=[usd.pk]))
    assert [row["line"] for row in response.context["inline"]["rows"]] == [usd_rate]
    assert f'hx-get="{url("edit", usd.pk, usd_rate.pk)}"' in response.content.decode()


@pytest.mark.django_db
def test_adding_a_line_creates_a_rate_and_answers_its_row(admin_web):
    usd, cny = currency("USD"), currency("CNY")
    response = admin_web.post(url("new", usd.pk), {"quote_currency": cny.pk, "rate_on": "2026-02-01",
                                                   "rate": "7.2500"})
    rate = ExchangeRate.objects.get(currency=usd, quote_currency=cny)
    assert (rate.rate_on, rate.rate) == (datetime.date(2026, 2, 1), Decimal("7.2500"))
    assert response.status_code == 200
    assert f'<tr id="line-{rate.pk}">' in response.content.decode()


@pytest.mark.django_db
def test_the_new_line_form_is_a_row(admin_web):
    content = admin_web.get(url("new", currency("USD").pk)).content.decode()
    assert content.strip().startswith('<tr class="table-warning"')
    assert 'name="rate"' in content


@pytest.mark.django_db
def test_editing_a_line_updates_the_rate(admin_web, usd_rate):
    usd = currency("USD")
    response = admin_web.post(url("edit", usd.pk, usd_rate.pk), {
        "quote_currency": currency("CNY").pk, "rate_on": "2026-01-05", "rate": "7.3000"})
    usd_rate.refresh_from_db()
    assert usd_rate.rate == Decimal("7.3000")
    assert ExchangeRate.objects.count() == 1
    assert "7.3" in response.content.decode()


@pytest.mark.django_db
def test_moving_a_line_to_another_day_changes_it_in_place(admin_web, usd_rate):
    admin_web.post(url("edit", currency("USD").pk, usd_rate.pk), {
        "quote_currency": currency("CNY").pk, "rate_on": "2026-01-06", "rate": "7.1000"})
    assert list(ExchangeRate.objects.values_list("pk", "rate_on")) == [(usd_rate.pk, datetime.date(2026, 1, 6))]


@pytest.mark.django_db
def test_a_bad_rate_comes_back_on_the_row_and_nothing_changes(admin_web, usd_rate):
    response = admin_web.post(url("edit", currency("USD").pk, usd_rate.pk), {
        "quote_currency": currency("CNY").pk, "rate_on": "2026-01-05", "rate": "seven"})
    assert response.context["form"].errors == {"rate": ["Enter a number."]}
    usd_rate.refresh_from_db()
    assert usd_rate.rate == Decimal("7.1000")


@pytest.mark.django_db
def test_a_rate_against_the_same_currency_is_refused_by_the_service(admin_web):
    usd = currency("USD")
    response = admin_web.post(url("new", usd.pk), {"quote_currency": usd.pk, "rate_on": "2026-02-01", "rate": "1"})
    assert response.context["form"].non_field_errors()
    assert not ExchangeRate.objects.exists()


@pytest.mark.django_db
def test_cancel_shows_the_row_again(admin_web, usd_rate):
    response = admin_web.get(url("row", currency("USD").pk, usd_rate.pk))
    assert response.context["row"]["line"] == usd_rate


@pytest.mark.django_db
def test_deleting_a_line_removes_the_rate(admin_web, usd_rate):
    response = admin_web.post(url("delete", currency("USD").pk, usd_rate.pk))
    assert (response.status_code, response.content) == (200, b"")
    assert not ExchangeRate.objects.exists()


@pytest.mark.django_db
def test_a_line_of_another_currency_is_not_found(admin_web, usd_rate):
    response = admin_web.post(url("delete", currency("EUR").pk, usd_rate.pk))
    assert response.status_code == 404
    assert ExchangeRate.objects.exists()


@pytest.mark.django_db
def test_a_salesperson_cannot_add_a_rate(sales_web):
    response = sales_web.post(url("new", currency("USD").pk), {
        "quote_currency": currency("CNY").pk, "rate_on": "2026-02-01", "rate": "7"})
    assert response.status_code == 403
    assert not ExchangeRate.objects.exists()

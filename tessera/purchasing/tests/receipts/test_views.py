"""Receive screen and receipt pages: prefilled open lines, partial receipt, lots and serials typed one per row,
errors on their line with nothing written, English and Chinese, no access without the permission."""

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.purchasing.models import Receipt
from tessera.purchasing.services.orders import order_cancel
from tessera.purchasing.services.receipts import order_receive
from tessera.purchasing.views.receipts import parse_lots

from ..conftest import TODAY, dec
from .factories import confirmed_order, line_of, on_hand, widget_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client_for, p):  # noqa: F811
    return client_for(p.clerk)


def test_the_screen_prefills_what_is_still_to_come(web, p):
    order = widget_order(p)
    line = line_of(order, p.widget)
    order_receive(actor=p.clerk, order=order, date=TODAY, lines=[{"line": line.pk, "quantity": "4"}])

    response = web.get(reverse("purchasing:order_receive", args=[order.pk]))

    assert response.status_code == 200
    assert f'name="quantity-{line.pk}" value="6"' in response.content.decode()


def test_partial_receipt_through_the_screen(web, p):
    order = widget_order(p)
    line = line_of(order, p.widget)

    response = web.post(reverse("purchasing:order_receive", args=[order.pk]), {
        "date": "2026-03-04", "reference": "DN-1", f"quantity-{line.pk}": "3"})

    receipt = Receipt.objects.get()
    assert response.status_code == 302 and response.url == reverse("purchasing:receipt_detail", args=[receipt.pk])
    assert (receipt.reference, str(receipt.date)) == ("DN-1", "2026-03-04")
    assert on_hand(p, p.widget) == dec(36)
    assert p.balance("220202") == dec("-360.00")


def test_lots_and_serials_typed_one_per_row(web, p):
    order = confirmed_order(p, {"product": p.phone, "quantity": "2", "unit_price": "1000"},
                            {"product": p.tea, "quantity": "5", "unit_price": "40"})
    phone, tea = line_of(order, p.phone), line_of(order, p.tea)

    response = web.post(reverse("purchasing:order_receive", args=[order.pk]), {
        "date": "2026-03-04", f"quantity-{phone.pk}": "2", f"lots-{phone.pk}": "SN-1\r\nSN-2\r\n",
        f"quantity-{tea.pk}": "5", f"lots-{tea.pk}": "T-1 2 2027-06-30\nT-2, 3"})

    assert response.status_code == 302
    assert (on_hand(p, p.phone, "SN-1"), on_hand(p, p.phone, "SN-2")) == (dec(1), dec(1))
    assert (on_hand(p, p.tea, "T-1"), on_hand(p, p.tea, "T-2")) == (dec(2), dec(3))
    assert p.balance("1405") == dec("2200.00")


def test_an_error_shows_on_its_line_and_writes_nothing(web, p):
    order = confirmed_order(p, {"product": p.phone, "quantity": "2", "unit_price": "1000"})
    phone = line_of(order, p.phone)

    response = web.post(reverse("purchasing:order_receive", args=[order.pk]), {
        "date": "2026-03-04", f"quantity-{phone.pk}": "2", f"lots-{phone.pk}": "SN-1\nSN-1"})

    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert not Receipt.objects.exists() and on_hand(p, p.phone) == 0


def test_a_cancelled_order_cannot_be_received(web, p):
    order = widget_order(p)
    order_cancel(actor=p.manager, order=order)

    response = web.get(reverse("purchasing:order_receive", args=[order.pk]))
    assert response.status_code == 200 and b"receive-form" not in response.content
    response = web.post(reverse("purchasing:order_receive", args=[order.pk]),
                        {f"quantity-{line_of(order, p.widget).pk}": "1"})
    assert response.status_code in (400, 409) and not Receipt.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render(web, p, language):
    order = widget_order(p)
    receipt = order_receive(actor=p.clerk, order=order, date=TODAY,
                            lines=[{"line": line_of(order, p.widget).pk, "quantity": "10"}])
    web.cookies["django_language"] = language
    urls = [reverse("purchasing:order_receive", args=[order.pk]), reverse("purchasing:receipt_list"),
            reverse("purchasing:receipt_detail", args=[receipt.pk])]
    assert {url: web.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code for url in urls} == {url: 200 for url in urls}


def test_no_access_without_the_permission(client_for, p):  # noqa: F811
    order = widget_order(p)
    web = client_for(p.employee)

    assert web.get(reverse("purchasing:order_receive", args=[order.pk])).status_code == 403
    assert web.post(reverse("purchasing:order_receive", args=[order.pk]),
                    {f"quantity-{line_of(order, p.widget).pk}": "1"}).status_code == 403
    assert web.get(reverse("purchasing:receipt_list")).status_code == 403
    assert not Receipt.objects.exists()


def test_parse_lots():
    assert parse_lots("A 2 2027-01-31\n\nB;3", serial=False) == [
        {"lot_name": "A", "quantity": "2", "expiry_on": "2027-01-31"}, {"lot_name": "B", "quantity": "3"}]
    assert parse_lots("SN1\nSN2 ", serial=True) == [{"lot_name": "SN1"}, {"lot_name": "SN2"}]

"""Return screens: a return from an order (its received lines listed), a free return, posting and cancelling
from the return's page, errors on the form, English and Chinese, no access without a role."""

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.purchasing.models import SupplierReturn
from tessera.purchasing.services.receipts import order_receive
from tessera.purchasing.services.returns import return_create

from ..conftest import TODAY, dec
from ..receipts.factories import line_of, on_hand, widget_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client_for, p):  # noqa: F811
    return client_for(p.clerk)


@pytest.fixture
def order(p):
    order = widget_order(p)
    order_receive(actor=p.clerk, order=order, date=TODAY, lines=[{"line": line_of(order, p.widget).pk,
                                                                  "quantity": "10"}])
    return order


def form_data(p, order=None, rows=(), **header):
    data = {"partner": p.s1.pk, "warehouse": p.warehouse.pk, "date": "2026-03-03", "reason": "Damaged",
            "refund_method": "offset", "is_quality_issue": "on", "lines-TOTAL_FORMS": str(len(rows)),
            "lines-INITIAL_FORMS": "0", **header}
    if order is not None:
        data["order"] = order.pk
    for index, row in enumerate(rows):
        data.update({f"lines-{index}-{key}": value for key, value in row.items()})
    return data


def test_the_form_lists_the_orders_received_lines(web, p, order):
    response = web.get(reverse("purchasing:return_create") + f"?order={order.pk}")

    assert response.status_code == 200
    content = response.content.decode()
    assert f'name="lines-0-order_line" value="{line_of(order, p.widget).pk}"' in content
    assert 'name="lines-TOTAL_FORMS" value="1"' in content


def test_a_return_from_an_order_then_sent_back(web, p, order):
    line = line_of(order, p.widget)
    response = web.post(reverse("purchasing:return_create") + f"?order={order.pk}",
                        form_data(p, order, [{"order_line": line.pk, "quantity": "2"}]))

    supplier_return = SupplierReturn.objects.get()
    assert response.status_code == 302 and response.url == reverse("purchasing:return_detail",
                                                                   args=[supplier_return.pk])
    assert (supplier_return.order, supplier_return.lines.get().quantity) == (order, dec(2))
    page = web.get(response.url)
    assert reverse("purchasing:return_post", args=[supplier_return.pk]) in page.content.decode()

    response = web.post(reverse("purchasing:return_post", args=[supplier_return.pk]))

    assert response.status_code == 302
    supplier_return.refresh_from_db()
    assert (supplier_return.state, supplier_return.number) == ("done", "RTV-2026-00001")
    assert on_hand(p, p.widget) == dec(96)
    assert p.balance("220202") == dec("-960.00")


def test_a_free_return_needs_its_price(web, p, order):
    response = web.post(reverse("purchasing:return_create"), form_data(p, rows=[
        {"product": p.widget.pk, "quantity": "5", "uom": p.pcs.pk}]))

    assert response.status_code == 400 and not SupplierReturn.objects.exists()
    response = web.post(reverse("purchasing:return_create"), form_data(p, rows=[
        {"product": p.widget.pk, "quantity": "5", "uom": p.pcs.pk, "unit_price": "10"}]))
    assert response.status_code == 302
    line = SupplierReturn.objects.get().lines.get()
    assert (line.order_line, line.quantity, line.uom, line.unit_price) == (None, dec(5), p.pcs, dec(10))


def test_cancel_from_the_page(web, p, order):
    supplier_return = return_create(actor=p.clerk, company=p.company, data={"order": order.pk, "reason": "x"},
                                    lines=[{"order_line": line_of(order, p.widget).pk, "quantity": "1"}])

    response = web.post(reverse("purchasing:return_cancel", args=[supplier_return.pk]))

    assert response.status_code == 302
    supplier_return.refresh_from_db()
    assert supplier_return.state == "cancelled"
    response = web.post(reverse("purchasing:return_post", args=[supplier_return.pk]), follow=True)
    assert response.status_code == 200 and on_hand(p, p.widget) == dec(120)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render(web, p, order, language):
    supplier_return = return_create(actor=p.clerk, company=p.company, data={"order": order.pk, "reason": "x"},
                                    lines=[{"order_line": line_of(order, p.widget).pk, "quantity": "1"}])
    web.cookies["django_language"] = language
    urls = [reverse("purchasing:return_list"), reverse("purchasing:return_create"),
            reverse("purchasing:return_create") + f"?order={order.pk}",
            reverse("purchasing:return_detail", args=[supplier_return.pk])]
    assert {url: web.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code for url in urls} == {url: 200 for url in urls}


def test_no_access_without_a_role(client_for, p, order):  # noqa: F811
    web = client_for(p.employee)
    assert web.get(reverse("purchasing:return_list")).status_code == 403
    assert web.post(reverse("purchasing:return_create"), form_data(p, rows=[
        {"product": p.widget.pk, "quantity": "1", "unit_price": "1"}])).status_code == 403
    assert not SupplierReturn.objects.exists()


def test_accounting_issues_the_credit_note_from_the_return_page(client_for, web, p, order):  # noqa: F811
    from tessera.purchasing.registrations.returns import returns_awaiting_credit_card
    from tessera.purchasing.services.returns import return_post

    from .test_services import billed

    billed(p, order)
    supplier_return = return_create(actor=p.clerk, company=p.company, data={"order": order.pk, "reason": "x"},
                                    lines=[{"order_line": line_of(order, p.widget).pk, "quantity": "4"}])
    return_post(actor=p.clerk, supplier_return=supplier_return)
    credit_url = reverse("purchasing:return_credit", args=[supplier_return.pk])
    detail_url = reverse("purchasing:return_detail", args=[supplier_return.pk])
    accountant = client_for(p.accountant)

    page = web.get(detail_url).content.decode()
    assert 'data-testid="return-credit-pending"' in page and credit_url not in page
    assert web.post(credit_url).status_code == 403
    page = accountant.get(detail_url).content.decode()
    assert 'data-testid="return-credit-pending"' in page and credit_url in page and "Issue credit note" in page
    listed = accountant.get(reverse("purchasing:return_list") + "?credit_pending=true").content.decode()
    assert "RTV-2026-00001" in listed

    class Request:
        user = p.accountant

    card = returns_awaiting_credit_card(Request, p.company)
    assert (card["value"], card["url"]) == (1, reverse("purchasing:return_list") + "?credit_pending=true")
    Request.user = p.clerk
    assert returns_awaiting_credit_card(Request, p.company) is None

    response = accountant.post(credit_url)

    assert (response.status_code, response.url) == (302, detail_url)
    supplier_return.refresh_from_db()
    assert supplier_return.credit_note.total == dec("542.40")
    page = accountant.get(detail_url).content.decode()
    assert credit_url not in page and 'data-testid="return-credit-note"' in page
    assert "RTV-2026-00001" not in accountant.get(reverse("purchasing:return_list") + "?credit_pending=true") \
        .content.decode()
    Request.user = p.accountant
    assert returns_awaiting_credit_card(Request, p.company)["value"] == 0

"""Transfer screens: pages render (English and Chinese), the form with inline lines creates a draft, the page's
buttons confirm and receive, a refusal shows as a message, no access without an inventory role."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.inventory.models import Transfer
from tessera.inventory.selectors import product_on_hand
from tessera.inventory.services.transfers import transfer_create

from ..conftest import receive
from ..factories import WarehouseFactory


@pytest.fixture
def web(client_for, stock):  # noqa: F811
    return client_for(stock.clerk)


@pytest.fixture
def second(stock):
    return WarehouseFactory(company=stock.company, code="BJ")


@pytest.fixture
def draft(stock, second):
    receive(stock, stock.widget, 10)
    return transfer_create(actor=stock.clerk, company=stock.company, data={
        "location": stock.stock, "location_dest": second.stock_location}, lines=[
        {"product": stock.widget.pk, "quantity": "4"}])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders(web, draft, language):
    web.cookies["django_language"] = language
    urls = [reverse("inventory:transfer_list"), reverse("inventory:transfer_create"),
            reverse("inventory:transfer_detail", args=[draft.pk]),
            reverse("inventory:transfer_update", args=[draft.pk])]
    statuses = {url: web.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code for url in urls}
    assert statuses == {url: 200 for url in urls}


def test_form_with_inline_lines_creates_a_draft(web, stock, second):
    response = web.post(reverse("inventory:transfer_create"), {
        "location": stock.stock.pk, "location_dest": second.stock_location.pk, "date": "2026-03-02",
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-0-product": stock.widget.pk,
        "lines-0-quantity": "3", "lines-1-product": ""})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response.url == reverse("inventory:transfer_detail", args=[transfer.pk])
    assert [(line.product, line.quantity, line.uom) for line in transfer.lines.all()] == [
        (stock.widget, Decimal("3"), stock.pcs)]


def test_form_errors_write_nothing(web, stock):
    response = web.post(reverse("inventory:transfer_create"), {
        "location": stock.stock.pk, "location_dest": stock.stock.pk, "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0", "lines-0-product": stock.widget.pk, "lines-0-quantity": "1"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Transfer.objects.exists()


def test_confirm_and_receive_from_the_page(web, stock, second, draft):
    web.post(reverse("inventory:transfer_confirm", args=[draft.pk]))
    web.post(reverse("inventory:transfer_done", args=[draft.pk]))
    draft.refresh_from_db()
    assert (draft.state, draft.number) == ("done", "TRF-2026-00001")
    assert product_on_hand(stock.company, stock.widget, warehouse=second) == Decimal("4")
    response = web.post(reverse("inventory:transfer_cancel", args=[draft.pk]), follow=True)
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_no_access_without_an_inventory_role(client_for, make_user, draft):  # noqa: F811
    web = client_for(make_user("hr_officer", username="hr2"))
    assert web.get(reverse("inventory:transfer_list")).status_code == 403
    web.post(reverse("inventory:transfer_confirm", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == "draft"

"""Requisition screens: pages render (English and Chinese), the form with inline lines, the approval buttons
(none on one's own), the convert screen and the replenishment screen; login required; own only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.inventory.services.replenishment import reorder_rule_create
from tessera.purchasing.models import PurchaseOrder, Requisition
from tessera.purchasing.services.requisitions import requisition_approve, requisition_submit

from .factories import requisition

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(p):
    return reorder_rule_create(actor=p.clerk, company=p.company, data={
        "product": p.widget, "warehouse": p.warehouse, "min_quantity": Decimal("10"), "max_quantity": Decimal("50"),
        "multiple": Decimal("12"), "supplier": p.s1})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders(p, client_for, rule, language):  # noqa: F811
    item = requisition(p, user=p.purchaser)
    web = client_for(p.purchaser)
    web.cookies["django_language"] = language
    urls = [reverse("purchasing:requisition_list"), reverse("purchasing:requisition_create"),
            reverse("purchasing:requisition_detail", args=[item.pk]),
            reverse("purchasing:requisition_update", args=[item.pk]),
            reverse("purchasing:requisition_convert"), reverse("purchasing:replenishment_requisition")]
    statuses = {url: web.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code for url in urls}
    assert statuses == {url: 200 for url in urls}


def test_every_url_needs_login(p, client):
    item = requisition(p)
    urls = [reverse("purchasing:requisition_list"), reverse("purchasing:requisition_detail", args=[item.pk]),
            reverse("purchasing:requisition_convert"), reverse("purchasing:replenishment_requisition")]
    assert {url: client.get(url).status_code for url in urls} == {url: 302 for url in urls}


def test_an_employee_raises_one_with_the_form_and_sees_only_their_own(p, client_for, make_user):  # noqa: F811
    other = requisition(p, user=make_user("employee", username="staff2"))
    web = client_for(p.employee)
    response = web.post(reverse("purchasing:requisition_create"), {
        "warehouse": p.warehouse.pk, "date": "2026-03-02", "description": "Paper",
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-0-product": p.widget.pk,
        "lines-0-quantity": "2", "lines-0-supplier": p.s1.pk, "lines-1-product": ""})
    item = Requisition.objects.get(requested_by=p.employee)
    assert response.status_code == 302 and response.url == reverse("purchasing:requisition_detail", args=[item.pk])
    assert [(line.product, line.quantity, line.uom) for line in item.lines.all()] == [(p.widget, Decimal("2"), p.box)]
    listing = web.get(reverse("purchasing:requisition_list")).content.decode()
    assert str(item) in listing and str(other) not in listing
    assert web.get(reverse("purchasing:requisition_detail", args=[other.pk])).status_code == 404
    assert web.get(reverse("purchasing:requisition_convert")).status_code == 403
    assert web.get(reverse("purchasing:replenishment_requisition")).status_code == 403


def test_form_errors_write_nothing(p, client_for):  # noqa: F811
    response = client_for(p.employee).post(reverse("purchasing:requisition_create"), {
        "warehouse": p.warehouse.pk, "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-product": p.widget.pk, "lines-0-quantity": "0.5"})
    assert response.status_code == 200 and "lines.0.quantity" in response.content.decode()
    assert not Requisition.objects.exists()


def test_the_manager_approves_on_the_page_but_not_their_own(p, client_for):  # noqa: F811
    item = requisition(p)
    requisition_submit(actor=p.employee, requisition=item)
    own = requisition(p, user=p.manager)
    requisition_submit(actor=p.manager, requisition=own)
    web = client_for(p.manager)
    page = web.get(reverse("purchasing:requisition_detail", args=[item.pk])).content.decode()
    assert reverse("purchasing:requisition_approve", args=[item.pk]) in page and 'data-testid="reject-form"' in page
    own_page = web.get(reverse("purchasing:requisition_detail", args=[own.pk])).content.decode()
    assert reverse("purchasing:requisition_approve", args=[own.pk]) not in own_page
    web.post(reverse("purchasing:requisition_approve", args=[own.pk]))
    web.post(reverse("purchasing:requisition_reject", args=[item.pk]), {"comment": "Not now"})
    item.refresh_from_db()
    own.refresh_from_db()
    assert (item.state, own.state) == ("rejected", "submitted")


def test_the_convert_screen_merges_ticked_requisitions_into_an_order(p, client_for):  # noqa: F811
    items = []
    for quantity in ("2", "3"):
        item = requisition(p, {"product": p.widget.pk, "quantity": quantity, "supplier": p.s1.pk})
        requisition_submit(actor=p.employee, requisition=item)
        items.append(requisition_approve(actor=p.manager, requisition=item))
    web = client_for(p.purchaser)
    page = web.get(reverse("purchasing:requisition_convert") + f"?ids={items[0].pk}").content.decode()
    assert f'value="{items[0].pk}" id="req-{items[0].pk}" checked' in page
    response = web.post(reverse("purchasing:requisition_convert"), {
        "requisitions": [item.pk for item in items], "to": "order"})
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302
    assert [(line.product, line.quantity) for line in order.lines.all()] == [(p.widget, Decimal("5"))]


def test_replenishment_screen_raises_a_requisition_with_the_changed_quantity(p, client_for, rule):  # noqa: F811
    web = client_for(p.purchaser)
    page = web.get(reverse("purchasing:replenishment_requisition")).content.decode()
    assert 'name="quantity_0" value="60' in page
    response = web.post(reverse("purchasing:replenishment_requisition"), {
        "pick_0": "on", "rule_0": rule.pk, "quantity_0": "48", "to": "requisition"})
    item = Requisition.objects.get()
    assert response.status_code == 302 and response.url == reverse("purchasing:requisition_detail", args=[item.pk])
    assert [(line.product, line.quantity, line.uom, line.supplier) for line in item.lines.all()] == [
        (p.widget, Decimal("48"), p.pcs, p.s1)]
    assert item.origin == "replenishment"

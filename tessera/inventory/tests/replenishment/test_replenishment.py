"""Replenishment: rules (validation, one per product and warehouse), the list (forecast = available + incoming,
max - forecast rounded up to the multiple), the below-reorder-point event once per crossing, the API (CRUD,
list, CSV; 400/403) and the screens (en, zh-hans)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import DomainEvent
from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.inventory.models import ReorderRule
from tessera.inventory.services import move_confirm, move_create, move_done
from tessera.inventory.services.replenishment import (
    BELOW_REORDER_POINT,
    reorder_point_check,
    reorder_rule_create,
    replenishment_rows,
    suggested_quantity,
)
from tessera.partners.tests.factories import PartnerFactory

from ..conftest import TODAY, dec, outgoing, receive

API = "/api/v1/inventory/"


@pytest.fixture
def vendor(stock):
    return PartnerFactory(company=stock.company, code="S9", name="Paper Co", is_customer=False, is_supplier=True)


@pytest.fixture
def rule(stock, vendor):
    receive(stock, stock.widget, 12)
    return reorder_rule_create(actor=stock.clerk, company=stock.company, data={
        "product": stock.widget, "warehouse": stock.warehouse, "min_quantity": dec("10"), "max_quantity": dec("30"),
        "multiple": dec("6"), "supplier": vendor, "lead_days": 5})


def test_suggestion_rounds_up_to_the_multiple():
    assert suggested_quantity(forecast=dec("7"), min_quantity=dec("10"), max_quantity=dec("30"),
                              multiple=dec("6")) == dec("24")
    assert suggested_quantity(forecast=dec("10"), min_quantity=dec("10"), max_quantity=dec("30"),
                              multiple=dec("6")) == dec("0")
    assert suggested_quantity(forecast=dec("-2"), min_quantity=dec("0"), max_quantity=dec("5"),
                              multiple=dec("1")) == dec("7")


def test_rows_use_available_plus_incoming(stock, rule):
    assert replenishment_rows(stock.company) == []  # 12 available >= 10
    move_confirm(actor=stock.clerk, move=outgoing(stock, stock.widget, 8))  # 4 available
    incoming = move_create(actor=stock.clerk, company=stock.company, data={
        "product": stock.widget, "quantity": dec("1"), "location": stock.supplier, "location_dest": stock.stock,
        "unit_cost": dec("10")})
    move_confirm(actor=stock.clerk, move=incoming)
    [row] = replenishment_rows(stock.company, stock.warehouse, today=TODAY)
    assert (row["available"], row["incoming"], row["forecast"], row["quantity"], row["supplier"].code,
            row["lead_days"], row["arrives_on"].isoformat()) == (dec("4"), dec("1"), dec("5"), dec("30"), "S9", 5,
                                                                 "2026-03-07")


def test_rules_are_validated_and_need_permission(stock, rule, make_user):
    with pytest.raises(ValidationFailed) as error:
        reorder_rule_create(actor=stock.clerk, company=stock.company, data={
            "product": stock.widget, "warehouse": stock.warehouse, "min_quantity": dec("1"),
            "max_quantity": dec("2")})
    assert set(error.value.fields) == {"product"}
    with pytest.raises(ValidationFailed):
        reorder_rule_create(actor=stock.clerk, company=stock.company, data={
            "product": stock.tea, "warehouse": stock.warehouse, "min_quantity": dec("5"), "max_quantity": dec("2")})
    with pytest.raises(PermissionDenied):
        reorder_rule_create(actor=make_user("hr_officer", username="hr9"), company=stock.company, data={
            "product": stock.tea, "warehouse": stock.warehouse, "min_quantity": dec("1"), "max_quantity": dec("2")})
    assert ReorderRule.objects.count() == 1


def test_below_reorder_point_once_per_crossing(stock, rule):
    move_done(actor=stock.clerk, move=outgoing(stock, stock.widget, 3))  # 12 -> 9: crosses
    assert DomainEvent.objects.filter(name=BELOW_REORDER_POINT).count() == 1
    second = move_done(actor=stock.clerk, move=outgoing(stock, stock.widget, 1))  # 9 -> 8: already below
    assert reorder_point_check(move=second) == 0
    assert DomainEvent.objects.filter(name=BELOW_REORDER_POINT).count() == 1


@pytest.fixture
def api(api_client_for, stock):
    return api_client_for(stock.clerk)


def test_api_rules_and_list(api, stock, rule, vendor):
    response = api.post(API + "reorder-rules/", {"product": stock.tea.pk, "warehouse": stock.warehouse.pk,
                                                 "min_quantity": "2", "max_quantity": "5"}, format="json")
    assert response.status_code == 201, response.json()
    response = api.post(API + "reorder-rules/", {"product": stock.tea.pk, "warehouse": stock.warehouse.pk,
                                                 "min_quantity": "2", "max_quantity": "5"}, format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["product"])
    response = api.get(API + "replenishment/")
    assert response.status_code == 200
    assert [(row["sku"], row["forecast"], row["quantity"]) for row in response.json()["results"]] == [
        ("TEA", "0.0000", "5.0000")]
    response = api.get(API + "replenishment/", {"format": "csv"})
    assert response.status_code == 200 and "TEA" in response.content.decode("utf-8-sig")
    response = api.get(API + "replenishment/", {"warehouse": 999999})
    assert response.status_code == 400


def test_api_needs_permission(api_client_for, make_user, stock, rule):
    other = api_client_for(make_user("hr_officer", username="hr8"))
    assert other.get(API + "replenishment/").status_code == 403
    response = other.post(API + "reorder-rules/", {"product": stock.tea.pk, "warehouse": stock.warehouse.pk,
                                                   "min_quantity": "2", "max_quantity": "5"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_screens_render(client_for, stock, rule, language):  # noqa: F811
    web = client_for(stock.clerk)
    web.cookies["django_language"] = language
    urls = [reverse("inventory:replenishment"), reverse("inventory:reorderrule_list"),
            reverse("inventory:reorderrule_create"), reverse("inventory:reorderrule_update", args=[rule.pk])]
    assert {url: web.get(url).status_code for url in urls} == {url: 200 for url in urls}
    response = web.get(reverse("inventory:replenishment") + "?export=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_rule_form_creates_a_rule(client_for, stock, rule):  # noqa: F811
    web = client_for(stock.clerk)
    response = web.post(reverse("inventory:reorderrule_create"), {
        "product": stock.tea.pk, "warehouse": stock.warehouse.pk, "min_quantity": "1", "max_quantity": "4",
        "multiple": "1", "lead_days": "2", "is_active": "on"})
    assert response.status_code == 302
    assert ReorderRule.objects.get(product=stock.tea).max_quantity == Decimal("4")


def test_the_list_links_to_purchasing_to_turn_it_into_a_requisition(client_for, stock, rule):  # noqa: F811
    page = client_for(stock.clerk).get(reverse("inventory:replenishment") + f"?warehouse={stock.warehouse.pk}")

    link = reverse("purchasing:replenishment_requisition") + f"?warehouse={stock.warehouse.pk}"
    assert f'href="{link}"' in page.content.decode()

"""`purchasing/requisitions/`: nested lines, own-only visibility, transitions, convert, error shapes."""

import pytest

from tessera.purchasing.models import PurchaseOrder, Requisition
from tessera.purchasing.tests.conftest import TODAY

from .factories import requisition

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchasing/requisitions/"


def test_an_employee_raises_and_submits_through_the_api_and_sees_only_their_own(p, api_client_for, make_user):
    requisition(p, user=make_user("employee", username="staff2"))
    client = api_client_for(p.employee)
    created = client.post(URL, {"warehouse": p.warehouse.pk, "date": "2026-03-02", "description": "Printer paper",
                                "lines": [{"product": p.widget.pk, "quantity": "3", "supplier": p.s1.pk,
                                           "estimated_price": "60.00"}]}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["number"], body["requested_by"], body["amount"]) == (
        "draft", None, p.employee.pk, "180.00")
    assert [(line["product"], line["quantity"], line["uom"]) for line in body["lines"]] == [
        (p.widget.pk, "3.0000", p.box.pk)]
    listed = client.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    submitted = client.post(f"{URL}{body['id']}/submit/")
    assert (submitted.status_code, submitted.json()["state"], submitted.json()["number"]) == (
        200, "submitted", "PR-2026-00001")
    again = client.post(f"{URL}{body['id']}/submit/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"


def test_approving_your_own_requisition_is_forbidden(p, api_client_for):
    item = requisition(p, user=p.manager)
    client = api_client_for(p.manager)
    client.post(f"{URL}{item.pk}/submit/")
    answer = client.post(f"{URL}{item.pk}/approve/", {}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "permission_denied"
    item.refresh_from_db()
    assert item.state == "submitted"


def test_an_employee_may_not_approve_and_a_rejection_needs_a_comment(p, api_client_for):
    item = requisition(p)
    api_client_for(p.employee).post(f"{URL}{item.pk}/submit/")
    denied = api_client_for(p.employee).post(f"{URL}{item.pk}/approve/", {}, format="json")
    assert denied.status_code == 403
    manager = api_client_for(p.manager)
    missing = manager.post(f"{URL}{item.pk}/reject/", {}, format="json")
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "validation_error" and "comment" in missing.json()["error"]["fields"]
    rejected = manager.post(f"{URL}{item.pk}/reject/", {"comment": "Use the old stock"}, format="json")
    assert (rejected.status_code, rejected.json()["state"]) == (200, "rejected")


def test_bad_input_gets_field_errors(p, api_client_for):
    client = api_client_for(p.employee)
    answer = client.post(URL, {"warehouse": p.warehouse.pk, "state": "approved",
                               "lines": [{"product": p.widget.pk, "quantity": "2"}]}, format="json")
    assert answer.status_code == 400 and list(answer.json()["error"]["fields"]) == ["state"]
    floats = client.post(URL, {"warehouse": p.warehouse.pk, "lines": [{"product": p.widget.pk, "quantity": 2}]},
                         format="json")
    assert floats.status_code == 400 and list(floats.json()["error"]["fields"]) == ["lines.0.quantity"]
    empty = client.post(URL, {"warehouse": p.warehouse.pk, "lines": []}, format="json")
    assert empty.status_code == 400 and list(empty.json()["error"]["fields"]) == ["lines"]
    assert Requisition.objects.count() == 0


def test_purchasers_convert_several_requisitions_into_one_order(p, api_client_for, make_user):
    ids = []
    for user, quantity in ((p.employee, "2"), (make_user("employee", username="staff2"), "3")):
        item = requisition(p, {"product": p.widget.pk, "quantity": quantity, "supplier": p.s1.pk}, user=user)
        api_client_for(user).post(f"{URL}{item.pk}/submit/")
        api_client_for(p.manager).post(f"{URL}{item.pk}/approve/", {}, format="json")
        ids.append(item.pk)
    refused = api_client_for(p.employee).post(f"{URL}convert/", {"requisitions": ids}, format="json")
    assert refused.status_code == 403
    answer = api_client_for(p.purchaser).post(f"{URL}convert/", {"requisitions": ids, "to": "order"}, format="json")
    assert answer.status_code == 200, answer.content
    order = PurchaseOrder.objects.get()
    assert answer.json() == {"requisitions": sorted(ids), "orders": [order.pk], "rfq": None}
    assert [str(line.quantity) for line in order.lines.all()] == ["5.0000"]
    detail = api_client_for(p.purchaser).get(f"{URL}{ids[0]}/").json()
    assert (detail["state"], detail["orders"]) == ("ordered", [order.pk])
    again = api_client_for(p.purchaser).post(f"{URL}{ids[0]}/convert/", {"to": "rfq"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"


def test_a_requisition_of_someone_else_is_not_found_for_an_employee(p, api_client_for, make_user):
    other = requisition(p, user=make_user("employee", username="staff2"), date=TODAY)
    assert api_client_for(p.employee).get(f"{URL}{other.pk}/").status_code == 404
    assert api_client_for(p.purchaser).get(f"{URL}{other.pk}/").status_code == 200

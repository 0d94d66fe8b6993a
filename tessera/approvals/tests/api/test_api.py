"""The approvals API: rules with nested conditions and steps, submit, inbox, approve/reject/withdraw
with their 400/403/409 answers, delegations and the document types."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tessera.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalRule
from tessera.approvals.services import approval_submit

from ..factories import role

pytestmark = pytest.mark.django_db
BASE = "/api/v1/approvals/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(api_client_for, people):
    """api("pm1") -> an API client of that person."""
    return lambda name: api_client_for(getattr(people, name))


@pytest.fixture
def pending(rule, people, make_request):
    return approval_submit(actor=people.purchaser, document=make_request("250000.00"))


def rule_body(**changes):
    return {"name": "Big purchases", "document_type": "core.job", "kind": "purchase", "priority": 5,
            "conditions": [{"field": "amount", "operator": "gt", "value": "50000"}],
            "steps": [{"level": 1, "name": "Purchasing manager", "approver_type": "role",
                       "role": role("purchasing_manager").pk, "min_approvals": 2},
                      {"level": 2, "name": "Finance", "approver_type": "role", "role": role("accounting_manager").pk,
                       "amount_over": "200000.00"}], **changes}


# --- rules ---------------------------------------------------------------------------------------------

def test_create_a_rule_with_conditions_and_steps(api):
    response = api("pm1").post(BASE + "rules/", rule_body(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(c["field"], c["operator"], c["value"]) for c in body["conditions"]] == [("amount", "gt", "50000")]
    assert [(s["level"], s["min_approvals"], s["amount_over"]) for s in body["steps"]] == [
        (1, 2, None), (2, 1, "200000.00")]


def test_a_bad_rule_is_400_with_line_fields_and_writes_nothing(api):
    body = rule_body(conditions=[{"field": "colour", "operator": "eq", "value": "red"}],
                     steps=[{"level": 1, "approver_type": "manager"}])

    response = api("pm1").post(BASE + "rules/", body, format="json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"conditions.0.field", "steps.0.approver_type"}
    assert "HR module" in fields["steps.0.approver_type"][0]
    assert ApprovalRule.objects.count() == 0


def test_amounts_are_decimal_strings(api):
    body = rule_body(steps=[{"level": 1, "approver_type": "role", "role": role("purchasing_manager").pk,
                             "amount_over": 1000}])

    response = api("pm1").post(BASE + "rules/", body, format="json")

    assert response.status_code == 400
    assert "steps.0.amount_over" in response.json()["error"]["fields"]


def test_patch_replaces_the_steps_sent(api, rule):
    response = api("pm1").patch(BASE + f"rules/{rule.pk}/", {"steps": [
        {"level": 1, "approver_type": "user", "user": None}]}, format="json")
    assert response.status_code == 400  # a user step names its user

    response = api("pm1").patch(BASE + f"rules/{rule.pk}/", {"priority": 1, "steps": [
        {"level": 1, "approver_type": "role", "role": role("administrator").pk}]}, format="json")

    assert response.status_code == 200
    rule.refresh_from_db()
    assert rule.priority == 1
    assert [(s.level, s.role.code) for s in rule.steps.all()] == [(1, "administrator")]


def test_a_purchaser_may_not_manage_rules(api, rule):
    assert api("purchaser").get(BASE + "rules/").status_code == 403
    assert api("purchaser").post(BASE + "rules/", rule_body(), format="json").status_code == 403


def test_delete_a_rule(api, rule):
    assert api("admin").delete(BASE + f"rules/{rule.pk}/").status_code == 204
    assert ApprovalRule.objects.count() == 0


# --- requests ------------------------------------------------------------------------------------------

def test_submit_a_document(api, rule, make_request):
    document = make_request("60000.00")

    response = api("purchaser").post(BASE + "requests/", {"document": f"core.job:{document.pk}"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["amount"], body["currency"], body["document"]) == (
        "pending", "60000.00", "CNY", f"core.job:{document.pk}")
    assert body["steps"][0]["state"] == "pending"
    assert sorted(body["current_approvers"]) == sorted(body["steps"][0]["approvers"])


def test_submit_twice_is_409_and_idempotency_key_replays(api, rule, make_request):
    document = make_request("60000.00")
    client = api("purchaser")
    first = client.post(BASE + "requests/", {"document": f"core.job:{document.pk}"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="sub-1")
    replay = client.post(BASE + "requests/", {"document": f"core.job:{document.pk}"}, format="json",
                         HTTP_IDEMPOTENCY_KEY="sub-1")
    again = client.post(BASE + "requests/", {"document": f"core.job:{document.pk}"}, format="json")

    assert (first.status_code, replay.status_code, replay["Idempotent-Replayed"]) == (201, 201, "true")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "approval_pending")
    assert ApprovalRequest.objects.count() == 1


@pytest.mark.parametrize(("document", "status", "code"), [
    ("nonsense", 400, "validation_error"),
    ("core.job:999999", 404, "not_found"),
])
def test_submit_a_bad_document_reference(api, rule, document, status, code):
    response = api("purchaser").post(BASE + "requests/", {"document": document}, format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


def test_submit_when_no_rule_applies_is_409(api, rule, make_request):
    document = make_request("10.00")

    response = api("purchaser").post(BASE + "requests/", {"document": f"core.job:{document.pk}"}, format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "approval_not_required")


def test_the_inbox_lists_what_waits_for_me(api, pending):
    assert [row["id"] for row in api("pm1").get(BASE + "inbox/").json()["results"]] == [pending.pk]
    assert api("fm").get(BASE + "inbox/").json()["results"] == []
    assert api("purchaser").get(BASE + "inbox/").json()["results"] == []


def test_approve_then_the_next_level_approves(api, pending):
    first = api("pm1").post(BASE + f"requests/{pending.pk}/approve/", {"comment": "OK"}, format="json")
    second = api("fm").post(BASE + f"requests/{pending.pk}/approve/", {}, format="json")

    assert (first.status_code, first.json()["current_level"], first.json()["state"]) == (200, 2, "pending")
    assert (second.status_code, second.json()["state"]) == (200, "approved")
    assert [(d["approver_name"], d["verdict"], d["level"]) for d in second.json()["decisions"]] == [
        ("pm1", "approve", 1), ("fm1", "approve", 2)]


def test_approving_ones_own_request_is_403_and_changes_nothing(api, pending):
    response = api("purchaser").post(BASE + f"requests/{pending.pk}/approve/", {}, format="json")

    assert response.status_code == 403
    assert "segregation of duties" in response.json()["error"]["message"]
    assert ApprovalDecision.objects.count() == 0


def test_someone_not_an_approver_gets_403(api, pending):
    response = api("fm").post(BASE + f"requests/{pending.pk}/approve/", {}, format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")


def test_reject_needs_a_comment(api, pending):
    response = api("pm1").post(BASE + f"requests/{pending.pk}/reject/", {}, format="json")

    assert response.status_code == 400
    assert "comment" in response.json()["error"]["fields"]
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_reject_then_deciding_again_is_409(api, pending):
    rejected = api("pm1").post(BASE + f"requests/{pending.pk}/reject/", {"comment": "No"}, format="json")
    late = api("pm2").post(BASE + f"requests/{pending.pk}/approve/", {}, format="json")

    assert rejected.json()["state"] == "rejected"
    assert (late.status_code, late.json()["error"]["code"]) == (409, "invalid_state")


def test_deciding_twice_is_409_already_decided(api, company, people, make_request):
    from ..factories import RuleFactory, StepFactory

    rule = RuleFactory(company=company)
    StepFactory(rule=rule, role=role("purchasing_manager"), min_approvals=2)
    request = approval_submit(actor=people.purchaser, document=make_request())
    api("pm1").post(BASE + f"requests/{request.pk}/approve/", {}, format="json")

    response = api("pm1").post(BASE + f"requests/{request.pk}/approve/", {}, format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "already_decided")


def test_withdraw_by_the_requester_only(api, pending):
    assert api("pm1").post(BASE + f"requests/{pending.pk}/withdraw/").status_code == 403
    response = api("purchaser").post(BASE + f"requests/{pending.pk}/withdraw/")

    assert (response.status_code, response.json()["state"]) == (200, "withdrawn")


def test_requests_are_filtered_by_document(api, pending):
    found = api("purchaser").get(BASE + f"requests/?document=core.job:{pending.object_id}").json()["results"]

    assert [row["id"] for row in found] == [pending.pk]


def test_someone_uninvolved_without_the_document_permission_sees_no_request(api_client_for, make_user, pending):
    clerk = api_client_for(make_user("warehouse_clerk", username="clerk"))

    assert clerk.get(BASE + "requests/").json()["results"] == []
    assert clerk.get(BASE + f"requests/{pending.pk}/").status_code == 404


def test_the_module_must_be_active(api, company, pending):
    from tessera.core.models import CompanyModule

    CompanyModule.objects.filter(company=company, module="approvals").update(is_active=False)

    assert api("pm1").get(BASE + "inbox/").status_code == 403


def test_not_signed_in_is_401(client, pending):
    assert client.get(BASE + "inbox/").status_code == 401


# --- delegations and document types -------------------------------------------------------------------

def test_create_my_delegation_and_a_delegate_approves(api, people, pending):
    today = timezone.localdate()
    response = api("pm1").post(BASE + "delegations/", {
        "delegate": people.purchaser.pk, "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3)).isoformat()}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["user"] == people.pm1.pk

    own = api("purchaser").post(BASE + f"requests/{pending.pk}/approve/", {}, format="json")

    assert own.status_code == 403  # the delegate raised this request: never through a delegation either


def test_a_delegation_to_oneself_is_400(api, people):
    today = timezone.localdate().isoformat()

    response = api("purchaser").post(BASE + "delegations/", {"delegate": people.purchaser.pk, "starts_on": today,
                                                            "ends_on": today}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["delegate"] == ["Delegate to someone else."]


def test_delegating_someone_elses_approvals_needs_rule_management(api, people):
    today = timezone.localdate().isoformat()

    response = api("purchaser").post(BASE + "delegations/", {"user": people.pm1.pk, "delegate": people.pm2.pk,
                                                            "starts_on": today, "ends_on": today}, format="json")

    assert response.status_code == 403


def test_document_types_list_fields_and_operators(api):
    types = {item["key"]: item for item in api("purchaser").get(BASE + "document-types/").json()}

    fields = {field["name"]: field for field in types["core.job"]["fields"]}
    assert types["core.job"]["kinds"] == {"purchase": "Purchase", "travel": "Travel"}
    assert fields["amount"]["operators"] == ["eq", "ne", "gt", "gte", "lt", "lte"]
    assert fields["partner"]["operators"] == ["eq", "ne", "in", "not_in"]

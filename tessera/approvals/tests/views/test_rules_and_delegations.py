"""The rule screens (form, page with its conditions and steps edited in place) and the delegation screens."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tessera.approvals.models import ApprovalCondition, ApprovalRule, ApprovalStep, Delegation

from ..factories import role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_manager_creates_a_rule_and_lands_on_its_page(web):
    response = web("pm1").post(reverse("approvals:approvalrule_create"), {
        "name": "Big purchases", "document_type": "core.job", "kind": "purchase", "priority": "5",
        "is_active": "on", "description": ""})

    rule = ApprovalRule.objects.get()
    assert response["Location"] == reverse("approvals:approvalrule_detail", args=[rule.pk])
    assert (rule.document_type, rule.kind, rule.priority) == ("core.job", "purchase", 5)


def test_a_kind_of_another_type_is_refused_on_the_field(web):
    response = web("pm1").post(reverse("approvals:approvalrule_create"), {
        "name": "Odd", "document_type": "core.job", "kind": "", "priority": "5", "is_active": "on"})
    assert response.status_code == 302
    response = web("pm1").post(reverse("approvals:approvalrule_create"), {
        "name": "Odd", "document_type": "core.job", "kind": "purchase", "priority": "5", "is_active": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Another rule of this company has this name."]
    assert ApprovalRule.objects.count() == 1


def test_a_purchaser_cannot_open_the_rule_form(web):
    assert web("purchaser").get(reverse("approvals:approvalrule_create")).status_code == 403


def test_the_rule_page_shows_its_conditions_and_steps(web, rule):
    page = web("pm1").get(reverse("approvals:approvalrule_detail", args=[rule.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert [row["line"].name for row in page.context["steps"]["rows"]] == ["Purchasing manager", "Finance manager"]
    assert 'data-testid="rule-conditions"' in html and 'data-testid="add-line"' in html


def test_add_a_condition_in_place(web, rule):
    url = reverse("approvals:rule_conditions_new", args=[rule.pk])
    form = web("pm1").get(url, **HTMX)
    assert form.status_code == 200
    assert ("partner", "Partner") in form.context["form"].fields["field"].choices

    response = web("pm1").post(url, {"field": "partner", "operator": "in", "value": "S001, S002"}, **HTMX)

    assert response.status_code == 200
    condition = ApprovalCondition.objects.get()
    assert (condition.rule, condition.field, condition.operator, condition.value) == (rule, "partner", "in",
                                                                                      "S001, S002")


def test_a_condition_with_a_bad_number_comes_back_with_the_error(web, rule):
    response = web("pm1").post(reverse("approvals:rule_conditions_new", args=[rule.pk]),
                               {"field": "amount", "operator": "gt", "value": "lots"}, **HTMX)

    assert response.context["form"].errors["value"] == ["Enter a number, such as 50000."]
    assert ApprovalCondition.objects.count() == 0


def test_a_text_field_refuses_number_operators(web, rule):
    response = web("pm1").post(reverse("approvals:rule_conditions_new", args=[rule.pk]),
                               {"field": "partner", "operator": "gt", "value": "S001"}, **HTMX)

    assert "operator" in response.context["form"].errors
    assert ApprovalCondition.objects.count() == 0


def test_add_a_step_in_place(web, rule):
    response = web("pm1").post(reverse("approvals:rule_steps_new", args=[rule.pk]), {
        "level": "3", "name": "CEO", "approver_type": "role", "role": role("administrator").pk, "user": "",
        "min_approvals": "1", "amount_over": "1000000", "escalate_after_days": "", "escalate_to": "",
        "escalate_role": ""}, **HTMX)

    assert response.status_code == 200
    step = ApprovalStep.objects.get(name="CEO")
    assert (step.level, step.role.code, str(step.amount_over)) == (3, "administrator", "1000000.00")


def test_a_manager_step_is_refused_until_hr_registers_it(web, rule):
    response = web("pm1").post(reverse("approvals:rule_steps_new", args=[rule.pk]), {
        "level": "1", "name": "Manager", "approver_type": "manager", "role": "", "user": "", "min_approvals": "1",
        "amount_over": "", "escalate_after_days": "", "escalate_to": "", "escalate_role": ""}, **HTMX)

    assert "HR module" in response.context["form"].errors["approver_type"][0]
    assert not ApprovalStep.objects.filter(name="Manager").exists()


def test_escalating_to_a_next_level_that_does_not_exist_is_refused(web, rule):
    step = rule.steps.get(level=2)

    response = web("pm1").post(reverse("approvals:rule_steps_edit", args=[rule.pk, step.pk]), {
        "level": "2", "name": "Finance manager", "approver_type": "role", "role": role("accounting_manager").pk,
        "user": "", "min_approvals": "1", "amount_over": "200000", "escalate_after_days": "2",
        "escalate_to": "next_level", "escalate_role": ""}, **HTMX)

    assert response.context["form"].errors["escalate_to"] == ["There is no next level: escalate to a role."]
    step.refresh_from_db()
    assert step.escalate_to == ""


def test_delete_a_step_in_place(web, rule):
    step = rule.steps.get(level=2)

    response = web("pm1").post(reverse("approvals:rule_steps_delete", args=[rule.pk, step.pk]), **HTMX)

    assert response.status_code == 200
    assert list(rule.steps.values_list("level", flat=True)) == [1]


# --- delegations -------------------------------------------------------------------------------------------

def test_i_delegate_my_approvals_while_away(web, people):
    today = timezone.localdate()
    response = web("pm1").post(reverse("approvals:delegation_create"), {
        "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=5)).isoformat(),
        "delegate": people.pm2.pk, "reason": "Holiday"})

    delegation = Delegation.objects.get()
    assert response["Location"] == reverse("approvals:delegation_detail", args=[delegation.pk])
    assert (delegation.user, delegation.delegate) == (people.pm1, people.pm2)


def test_the_delegation_form_offers_whose_approvals_only_to_rule_managers(web):
    assert "user" not in web("purchaser").get(reverse("approvals:delegation_create")).context["form"].fields
    assert "user" in web("admin").get(reverse("approvals:delegation_create")).context["form"].fields


def test_the_delegation_list_shows_mine_and_those_to_me_and_all_to_rule_managers(web, people):
    today = timezone.localdate()
    Delegation.objects.create(company=people.pm1.profile.default_company, user=people.pm1,
                              delegate=people.purchaser, starts_on=today, ends_on=today)
    Delegation.objects.create(company=people.pm1.profile.default_company, user=people.fm, delegate=people.admin,
                              starts_on=today, ends_on=today)

    rows = web("purchaser").get(reverse("approvals:delegation_list")).context["rows"]
    every = web("admin").get(reverse("approvals:delegation_list")).context["rows"]

    assert [(obj.user.username, cells[-1]) for obj, cells, _url in rows] == [("pm1", True)]
    assert len(every) == 2


def test_the_step_row_form_offers_roles_and_the_company_users(web, rule, people):
    response = web("pm1").get(reverse("approvals:rule_steps_new", args=[rule.pk]), **HTMX)

    form = response.context["form"]
    assert response.status_code == 200
    assert people.purchaser in form.fields["user"].queryset
    assert ("manager", "The requester's manager") in form.fields["approver_type"].choices
    assert 'name="escalate_after_days"' in response.content.decode()

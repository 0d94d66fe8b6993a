"""Which rule applies and with how many steps: conditions with each operator, kinds, priorities, and
hypothesis over amounts and thresholds (the issue's rule gives 0, 1 or 2 steps exactly by amount)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.approvals.evaluation import compare, steps_for
from tessera.approvals.services.rules import approval_rules_matching

from ..factories import ConditionFactory, RuleFactory, StepFactory, role

pytestmark = pytest.mark.django_db

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)


class Step:
    def __init__(self, amount_over):
        self.amount_over = amount_over


@given(amount=AMOUNTS, low=AMOUNTS, high=AMOUNTS)
def test_steps_apply_exactly_to_amounts_over_their_threshold(amount, low, high):
    low, high = min(low, high), max(low, high)

    applying = steps_for([Step(low), Step(high)], amount)

    assert len(applying) == (amount > low) + (amount > high)


@given(amount=AMOUNTS, threshold=AMOUNTS)
def test_number_operators_compare_like_decimals(amount, threshold):
    outcomes = {op: compare("number", op, str(threshold), [amount]) for op in ("eq", "ne", "gt", "gte", "lt", "lte")}

    assert outcomes == {"eq": amount == threshold, "ne": amount != threshold, "gt": amount > threshold,
                        "gte": amount >= threshold, "lt": amount < threshold, "lte": amount <= threshold}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=AMOUNTS)
def test_the_issue_rule_gives_zero_one_or_two_steps_by_amount(rule, make_request, amount):
    document = make_request(str(amount))

    matching = approval_rules_matching(document)

    expected = 0 if amount <= 50000 else (1 if amount <= 200000 else 2)
    steps = len(steps_for(matching[0].steps.all(), amount)) if matching else 0
    assert steps == expected
    assert (matching == [rule]) == (expected > 0)


def test_amount_exactly_on_the_threshold_needs_no_approval(rule, make_request):
    assert approval_rules_matching(make_request("50000.00")) == []
    assert approval_rules_matching(make_request("50000.01")) == [rule]


def test_text_conditions_match_any_listed_value_case_insensitively():
    assert compare("text", "in", "s001, S002", ["s002"]) is True
    assert compare("text", "not_in", "S001,S002", ["S003"]) is True
    assert compare("text", "not_in", "S001,S002", ["S001"]) is False
    assert compare("text", "eq", "S001", []) is False
    assert compare("text", "ne", "S001", []) is True


def test_a_list_valued_field_matches_when_any_value_does():
    assert compare("text", "in", "Laptops", ["Paper", "laptops"]) is True
    assert compare("text", "not_in", "Laptops", ["Paper", "laptops"]) is False
    assert compare("number", "gt", "10", [Decimal("5"), Decimal("12")]) is True


def test_number_condition_with_grouping_commas(company, people, make_request):
    rule = RuleFactory(company=company)
    ConditionFactory(rule=rule, field="amount", operator="gte", value="1,000.00")
    StepFactory(rule=rule, role=role("purchasing_manager"))

    assert approval_rules_matching(make_request("1000.00")) == [rule]
    assert approval_rules_matching(make_request("999.99")) == []


def test_all_conditions_must_hold(company, people, make_request):
    rule = RuleFactory(company=company)
    ConditionFactory(rule=rule, field="partner", operator="in", value="S001,S002")
    ConditionFactory(rule=rule, field="discount", operator="gt", value="10")
    StepFactory(rule=rule, role=role("purchasing_manager"))

    assert approval_rules_matching(make_request(partner="S001", discount="15")) == [rule]
    assert approval_rules_matching(make_request(partner="S001", discount="10")) == []
    assert approval_rules_matching(make_request(partner="S009", discount="15")) == []
    assert approval_rules_matching(make_request(partner="S001")) == []


def test_kind_restricts_the_rule(company, people, make_request):
    rule = RuleFactory(company=company, kind="travel")
    StepFactory(rule=rule, role=role("purchasing_manager"))

    assert approval_rules_matching(make_request(kind="purchase")) == []
    assert approval_rules_matching(make_request(kind="travel")) == [rule]


def test_a_kind_the_type_does_not_register_is_never_approved(company, people, make_request):
    StepFactory(rule=RuleFactory(company=company), role=role("purchasing_manager"))

    assert approval_rules_matching(make_request(kind="core.export_audit")) == []


def test_rules_are_tried_by_priority(company, people, make_request):
    late = RuleFactory(company=company, name="Late", priority=20)
    StepFactory(rule=late, role=role("purchasing_manager"))
    early = RuleFactory(company=company, name="Early", priority=5)
    StepFactory(rule=early, role=role("accounting_manager"))

    assert approval_rules_matching(make_request()) == [early, late]


def test_inactive_rules_and_other_companies_rules_do_not_apply(company, other_company, people, make_request):
    StepFactory(rule=RuleFactory(company=company, is_active=False), role=role("purchasing_manager"))
    StepFactory(rule=RuleFactory(company=other_company), role=role("purchasing_manager"))

    assert approval_rules_matching(make_request()) == []


def test_a_condition_on_a_field_no_longer_registered_never_matches(company, people, make_request):
    rule = RuleFactory(company=company)
    ConditionFactory(rule=rule, field="department", operator="eq", value="IT")
    StepFactory(rule=rule, role=role("purchasing_manager"))

    assert approval_rules_matching(make_request()) == []

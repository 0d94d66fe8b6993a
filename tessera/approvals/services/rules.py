"""Approval rules: create, change and delete them with their conditions and steps, and find the rules
that apply to a document.

A rule is written whole (header, conditions, steps: the API) or line by line (the rule page edits its
conditions and steps in place). Either way every line is checked against the rule's document type:
fields and operators it registers, values that parse, approvers that exist in the company, and
approver types whose resolver is registered (see registry: "manager" and "department_head" come with
the HR module and are refused until then).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company, Role
from tessera.core.permissions import require

from ..choices import ApproverType, EscalateTo
from ..evaluation import DocumentValues, condition_errors, steps_for
from ..models import ApprovalCondition, ApprovalRule, ApprovalStep
from ..registry import approver_resolver, document_type, document_type_of

User = get_user_model()

RULE_FIELDS = {"name", "document_type", "kind", "priority", "is_active", "description"}
CONDITION_FIELDS = {"field", "operator", "value"}
STEP_FIELDS = {"level", "name", "approver_type", "role", "user", "min_approvals", "amount_over",
               "escalate_after_days", "escalate_to", "escalate_role"}


def _unknown(data: dict, allowed: set[str]) -> dict:
    return {name: [_("This field cannot be set.")] for name in sorted(set(data) - allowed)}


def _set(instance, data: dict, allowed: set[str]) -> dict:
    """Assign the allowed fields; a related field takes an instance or an id."""
    errors = _unknown(data, allowed)
    for name in set(data) & allowed:
        value = data[name]
        field = instance._meta.get_field(name)
        if field.many_to_one:
            if value in ("", None):
                setattr(instance, field.attname, None)
            elif hasattr(value, "pk"):
                setattr(instance, name, value)
            else:
                setattr(instance, field.attname, value)
        else:
            setattr(instance, name, value)
    return errors


def _clean(instance, exclude: list[str]) -> dict:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as error:
        return ValidationFailed.from_django(error).fields
    return {}


def is_company_user(user, company: Company) -> bool:
    return user.is_active and user.profile.companies.filter(pk=company.pk).exists()


# --- validation ---------------------------------------------------------------------------------

def rule_header_errors(rule: ApprovalRule) -> dict:
    errors = _clean(rule, exclude=["company"])
    definition = document_type(rule.document_type)
    if definition is None:
        errors.setdefault("document_type", []).append(
            _("Choose a document type that can be approved."))
    elif rule.kind and rule.kind not in definition.kinds:
        errors.setdefault("kind", []).append(
            _("Choose one of the kinds of %(type)s, or leave it empty.") % {"type": definition.label})
    if rule.name and ApprovalRule.objects.filter(company=rule.company, name=rule.name).exclude(pk=rule.pk).exists():
        errors.setdefault("name", []).append(_("Another rule of this company has this name."))
    return errors


def condition_line_errors(rule: ApprovalRule, condition: ApprovalCondition) -> dict:
    errors = _clean(condition, exclude=["company", "rule", "operator"])
    definition = document_type(rule.document_type)
    if definition is None:
        return {"field": [_("The rule's document type cannot be approved.")]}
    for name, messages in condition_errors(definition, rule.company, field=condition.field,
                                           operator=condition.operator, value=condition.value).items():
        errors.setdefault(name, messages)
    return errors


def _related_in_company(step: ApprovalStep, company: Company) -> dict:
    errors = {}
    for name in ("role", "escalate_role"):
        pk = getattr(step, f"{name}_id")
        if pk is not None and not Role.objects.filter(pk=pk).exists():
            errors[name] = [_("Choose an existing role.")]
    if step.user_id is not None:
        user = User.objects.filter(pk=step.user_id).first()
        if user is None or not is_company_user(user, company):
            errors["user"] = [_("Choose an active user of this company.")]
    return errors


def step_line_errors(rule: ApprovalRule, step: ApprovalStep) -> dict:
    """A step's field errors, on its own (the levels of the whole rule: `rule_steps_errors`)."""
    errors = _related_in_company(step, rule.company)
    errors.update({name: messages for name, messages in _clean(
        step, exclude=["company", "rule", "role", "user", "escalate_role"]).items() if name not in errors})
    kind = step.approver_type
    if kind == ApproverType.ROLE:
        if step.role_id is None and "role" not in errors:
            errors["role"] = [_("Choose the role that approves.")]
        if step.user_id is not None:
            errors["user"] = [_("A step approved by a role names no user.")]
    elif kind == ApproverType.USER:
        if step.user_id is None and "user" not in errors:
            errors["user"] = [_("Choose the user who approves.")]
        if step.role_id is not None:
            errors["role"] = [_("A step approved by a named user names no role.")]
        if step.min_approvals and step.min_approvals > 1:
            errors["min_approvals"] = [_("A named user gives one approval: ask for 1, or use a role.")]
    elif kind in (ApproverType.MANAGER, ApproverType.DEPARTMENT_HEAD):
        if approver_resolver(kind) is None:
            errors["approver_type"] = [
                _("“%(approver)s” is known only once the HR module is installed: choose a role or a named user "
                  "for now.") % {"approver": ApproverType(kind).label}]
        if step.role_id is not None or step.user_id is not None:
            errors.setdefault("approver_type", []).append(_("This approver type names no role and no user."))
    if step.escalate_after_days and not step.escalate_to:
        errors["escalate_to"] = [_("Say whom to escalate to.")]
    if step.escalate_to and not step.escalate_after_days:
        errors["escalate_after_days"] = [_("Say after how many days to escalate.")]
    if step.escalate_to == EscalateTo.ROLE and step.escalate_role_id is None and "escalate_role" not in errors:
        errors["escalate_role"] = [_("Choose the role to escalate to.")]
    if step.escalate_to != EscalateTo.ROLE and step.escalate_role_id is not None:
        errors["escalate_role"] = [_("A role is named only when escalating to a role.")]
    return errors


def rule_steps_errors(steps: list[ApprovalStep]) -> dict:
    """Errors of the steps taken together: escalating to the next level needs one."""
    top = max((step.level for step in steps if step.level), default=0)
    errors = {}
    for index, step in enumerate(steps):
        if step.escalate_to == EscalateTo.NEXT_LEVEL and step.level == top:
            errors[f"steps.{index}.escalate_to"] = [_("There is no next level: escalate to a role.")]
    return errors


# --- whole rules (API) ----------------------------------------------------------------------------

def _build(rule: ApprovalRule, conditions, steps) -> tuple[list, list, dict]:
    built_conditions, built_steps, errors = [], [], {}
    for key, rows, model, allowed, check in (
        ("conditions", conditions, ApprovalCondition, CONDITION_FIELDS, condition_line_errors),
        ("steps", steps, ApprovalStep, STEP_FIELDS, step_line_errors),
    ):
        if rows is None:
            continue
        if not isinstance(rows, list | tuple):
            errors[key] = [_("Send a list.")]
            continue
        for index, row in enumerate(rows):
            line = model(company=rule.company)
            line.rule = rule
            if not isinstance(row, dict):
                errors[f"{key}.{index}.non_field_errors"] = [_("Send each line as an object.")]
                continue
            line_errors = _set(line, row, allowed)
            line_errors.update({name: messages for name, messages in check(rule, line).items()
                                if name not in line_errors})
            errors.update({f"{key}.{index}.{name}": messages for name, messages in line_errors.items()})
            (built_conditions if key == "conditions" else built_steps).append(line)
    if steps is not None and not errors:
        errors.update(rule_steps_errors(built_steps))
    return built_conditions, built_steps, errors


def _save(rule: ApprovalRule, conditions, steps, built_conditions, built_steps) -> None:
    rule.save()
    if conditions is not None:
        rule.conditions.all().delete()
        for line in built_conditions:
            line.rule = rule
            line.save()
    if steps is not None:
        rule.steps.all().delete()
        for line in built_steps:
            line.rule = rule
            line.save()


def rule_create(*, actor, company: Company, data: dict, conditions: list[dict] | None = None,
                steps: list[dict] | None = None) -> ApprovalRule:
    """A rule with its conditions and steps (lists of dicts). Raises PermissionDenied
    (approvals.add_approvalrule), ValidationFailed (`conditions.<i>.<field>`, `steps.<i>.<field>`);
    nothing is written on failure."""
    require(actor, "approvals.add_approvalrule", company)
    rule = ApprovalRule(company=company)
    errors = _set(rule, data, RULE_FIELDS)
    errors.update({name: messages for name, messages in rule_header_errors(rule).items() if name not in errors})
    if errors:
        raise ValidationFailed(fields=errors)
    built_conditions, built_steps, errors = _build(rule, conditions or [], steps or [])
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        _save(rule, conditions or [], steps or [], built_conditions, built_steps)
    return rule


def _lock(rule: ApprovalRule) -> ApprovalRule:
    return ApprovalRule.objects.select_for_update(of=("self",)).select_related("company").get(pk=rule.pk)


def rule_update(*, actor, rule: ApprovalRule, data: dict, conditions: list[dict] | None = None,
                steps: list[dict] | None = None) -> ApprovalRule:
    """Change a rule; `conditions`/`steps` sent replace all of them. The document type is fixed once the
    rule has conditions or steps (they were checked against it). Requests already made keep their own
    copy of the steps. Raises PermissionDenied, ValidationFailed."""
    require(actor, "approvals.change_approvalrule", rule.company)
    with transaction.atomic():
        rule = _lock(rule)
        before_type = rule.document_type
        errors = _set(rule, data, RULE_FIELDS)
        errors.update({name: messages for name, messages in rule_header_errors(rule).items() if name not in errors})
        if (rule.document_type != before_type and "document_type" not in errors
                and ((conditions is None and rule.conditions.exists()) or (steps is None and rule.steps.exists()))):
            errors["document_type"] = [_("Its conditions and steps were made for another document type: send "
                                         "new ones with it, or make a new rule.")]
        if errors:
            raise ValidationFailed(fields=errors)
        built_conditions, built_steps, errors = _build(rule, conditions, steps)
        if errors:
            raise ValidationFailed(fields=errors)
        _save(rule, conditions, steps, built_conditions, built_steps)
    return rule


def rule_delete(*, actor, rule: ApprovalRule) -> None:
    """Delete a rule with its lines. Requests made under it keep its name and their steps."""
    require(actor, "approvals.delete_approvalrule", rule.company)
    with transaction.atomic():
        _lock(rule).delete()


# --- lines one by one (the rule page) -------------------------------------------------------------

def condition_save(*, actor, rule: ApprovalRule, condition: ApprovalCondition | None, data: dict) -> ApprovalCondition:
    """Add (condition None) or change one condition of a rule. Raises PermissionDenied, ValidationFailed."""
    require(actor, "approvals.change_approvalrule", rule.company)
    with transaction.atomic():
        rule = _lock(rule)
        line = (ApprovalCondition.objects.select_for_update().get(pk=condition.pk, rule=rule) if condition
                else ApprovalCondition(company=rule.company, rule=rule))
        errors = _set(line, data, CONDITION_FIELDS)
        errors.update({name: messages for name, messages in condition_line_errors(rule, line).items()
                       if name not in errors})
        if errors:
            raise ValidationFailed(fields=errors)
        line.save()
    return line


def step_save(*, actor, rule: ApprovalRule, step: ApprovalStep | None, data: dict) -> ApprovalStep:
    """Add (step None) or change one step of a rule. Raises PermissionDenied, ValidationFailed."""
    require(actor, "approvals.change_approvalrule", rule.company)
    with transaction.atomic():
        rule = _lock(rule)
        line = (ApprovalStep.objects.select_for_update().get(pk=step.pk, rule=rule) if step
                else ApprovalStep(company=rule.company, rule=rule))
        errors = _set(line, data, STEP_FIELDS)
        errors.update({name: messages for name, messages in step_line_errors(rule, line).items()
                       if name not in errors})
        if not errors:
            others = [other for other in rule.steps.exclude(pk=line.pk)] + [line]
            top = max(other.level for other in others)
            if line.escalate_to == EscalateTo.NEXT_LEVEL and line.level == top:
                errors["escalate_to"] = [_("There is no next level: escalate to a role.")]
        if errors:
            raise ValidationFailed(fields=errors)
        line.save()
    return line


def rule_line_delete(*, actor, rule: ApprovalRule, line) -> None:
    """Remove a condition or a step from a rule."""
    require(actor, "approvals.change_approvalrule", rule.company)
    with transaction.atomic():
        _lock(rule)
        type(line).objects.filter(pk=line.pk, rule=rule).delete()


# --- which rules apply ------------------------------------------------------------------------------

def approval_rules_matching(document, *, values: DocumentValues | None = None) -> list[ApprovalRule]:
    """The active rules of the document's company and type whose conditions all hold and that have at
    least one step for its amount, in the order they are tried (priority, then age). The first one is
    the rule that applies. A document of an unregistered type or kind matches nothing."""
    definition = document_type_of(document)
    if definition is None or not definition.covers(document):
        return []
    rules = list(ApprovalRule.objects.filter(company_id=document.company_id, document_type=definition.key,
                                             is_active=True).prefetch_related("conditions", "steps")
                 .order_by("priority", "pk"))
    if not rules:
        return []
    values = values or DocumentValues(definition, document)
    kind = definition.kind_of(document)
    matching = []
    for rule in rules:
        if rule.kind and rule.kind != kind:
            continue
        if not all(values.holds(condition) for condition in rule.conditions.all()):
            continue
        if steps_for(rule.steps.all(), values.amount):
            matching.append(rule)
    return matching

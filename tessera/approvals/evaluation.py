"""Rule evaluation without writes: does a condition hold, which steps apply to an amount, what was
submitted (the fingerprint). Pure functions over registered document fields, so they are tested
exhaustively (hypothesis) apart from the database."""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _

from .choices import NUMBER_OPERATORS, TEXT_OPERATORS, Operator
from .registry import NUMBER, REFERENCE, DocumentField, DocumentType


def parse_number(text) -> Decimal | None:
    """A condition's number: "50000", "50,000.00" (grouping commas allowed); None when it is not one."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, float):
        return None
    try:
        value = Decimal(str(text).replace(",", "").replace(" ", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def listed(text: str) -> list[str]:
    """The values of "is one of": separated by commas (or the Chinese comma), compared case-insensitively."""
    return [part.strip().lower() for part in str(text).replace("，", ",").split(",") if part.strip()]


def keys_of(value) -> set[str]:
    """What a condition may call a document value: a record by its id, code or name; else its text."""
    if isinstance(value, models.Model):
        keys = {str(value.pk)}
        for attribute in ("code", "name", "username", "sku"):
            found = getattr(value, attribute, None)
            if isinstance(found, str) and found:
                keys.add(found.strip().lower())
        return keys
    return {str(value).strip().lower()}


def compare(field_type: str, operator: str, expected: str, values: list) -> bool:
    """Whether document `values` (a field's values) pass `operator expected`.

    Numbers: any value compares true (none: false). Text and records: "equals"/"is one of" when any
    value is listed; "does not equal"/"is none of" when none is.
    """
    if field_type == NUMBER:
        target = parse_number(expected)
        if target is None:
            return False
        numbers = [Decimal(value) for value in values if not isinstance(value, float)]
        tests = {
            Operator.EQ: lambda number: number == target, Operator.NE: lambda number: number != target,
            Operator.GT: lambda number: number > target, Operator.GTE: lambda number: number >= target,
            Operator.LT: lambda number: number < target, Operator.LTE: lambda number: number <= target,
        }
        test = tests.get(operator)
        if test is None:
            return False
        if operator == Operator.NE:
            return all(test(number) for number in numbers)
        return any(test(number) for number in numbers)
    wanted = set(listed(expected)) if operator in (Operator.IN, Operator.NOT_IN) else {str(expected).strip().lower()}
    found = any(keys_of(value) & wanted for value in values)
    if operator in (Operator.EQ, Operator.IN):
        return found
    if operator in (Operator.NE, Operator.NOT_IN):
        return not found
    return False


def operators_for(field_type: str) -> tuple:
    return NUMBER_OPERATORS if field_type == NUMBER else TEXT_OPERATORS


class DocumentValues:
    """A document's field values, each read once while the rules of its type are tried."""

    def __init__(self, definition: DocumentType, document):
        self.definition = definition
        self.document = document
        self.fields = definition.all_fields()
        self._values: dict[str, list] = {}

    def values(self, name: str) -> list:
        if name not in self._values:
            field = self.fields.get(name)
            self._values[name] = field.values(self.document) if field is not None else []
        return self._values[name]

    @property
    def amount(self) -> Decimal:
        values = self.values("amount")
        return Decimal(values[0]) if values else Decimal("0")

    def holds(self, condition) -> bool:
        field = self.fields.get(condition.field)
        if field is None:  # a field no longer registered never matches: the rule must be fixed
            return False
        return compare(field.type, condition.operator, condition.value, self.values(condition.field))

    def fingerprint(self) -> str:
        """A hash of the amount, the kind and every registered field: what an approval covers."""
        def plain(value):
            if isinstance(value, models.Model):
                return f"{value._meta.label_lower}:{value.pk}"
            return str(value)

        fields = {name: sorted(plain(value) for value in self.values(name)) for name in sorted(self.fields)}
        content = {"type": self.definition.key, "kind": self.definition.kind_of(self.document), "fields": fields}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def steps_for(steps, amount: Decimal) -> list:
    """The rule's steps that apply to `amount`: those without `amount_over`, and those whose
    `amount_over` the amount is over."""
    return [step for step in steps if step.amount_over is None or amount > step.amount_over]


def condition_errors(definition: DocumentType, company, *, field: str, operator: str, value) -> dict:
    """Field errors of a condition (unknown field, operator of another type, value not a number or naming
    no record of the company)."""
    fields = definition.all_fields()
    spec: DocumentField | None = fields.get(field)
    if spec is None:
        return {"field": [_("Choose one of: %(fields)s.") % {"fields": ", ".join(fields)}]}
    allowed = operators_for(spec.type)
    if operator not in allowed:
        names = ", ".join(str(Operator(op).label) for op in allowed)
        return {"operator": [_("For %(field)s choose one of: %(operators)s.") % {"field": spec.label,
                                                                                 "operators": names}]}
    if not str(value or "").strip():
        return {"value": [_("Enter the value to compare with.")]}
    if spec.type == NUMBER and parse_number(value) is None:
        return {"value": [_("Enter a number, such as 50000.")]}
    if spec.type == REFERENCE and spec.model:
        missing = unknown_references(spec.model, company, listed(value) if operator in (Operator.IN, Operator.NOT_IN)
                                     else [str(value).strip().lower()])
        if missing:
            return {"value": [_("Not found in this company: %(values)s.") % {"values": ", ".join(missing)}]}
    return {}


def unknown_references(model_label: str, company, names: list[str]) -> list[str]:
    """The names (id, code or name) that name no record of `model_label` in `company`."""
    from django.apps import apps

    model = apps.get_model(model_label)
    records = model._default_manager.all()
    names_of_fields = {f.name for f in model._meta.concrete_fields}
    if "company" in names_of_fields:
        records = records.filter(company=company)
    missing = []
    for name in names:
        match = models.Q(pk=int(name)) if name.isdigit() else models.Q(pk__in=[])
        for attribute in ("code", "name", "username", "sku"):
            if attribute in names_of_fields:
                match |= models.Q(**{f"{attribute}__iexact": name})
        if not records.filter(match).exists():
            missing.append(name)
    return missing

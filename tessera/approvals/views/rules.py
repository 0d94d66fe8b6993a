"""Approval rules: list, detail with its conditions and steps edited in place, create, edit, delete."""

import functools

import django_filters
from django.utils.translation import gettext_lazy

from tessera.core.views.generic import Column, CreateView, DeleteView, DetailView, ListView, UpdateView, YesNoFilter
from tessera.core.views.lines import InlineLinesView

from ..forms import ConditionLineForm, RuleForm, StepLineForm
from ..models import ApprovalCondition, ApprovalRule, ApprovalStep
from ..registry import document_type, document_type_choices
from ..services.rules import condition_save, rule_create, rule_delete, rule_line_delete, rule_update, step_save


class Approvals:
    """Mixed into every approvals screen (before the generic view)."""

    module = "approvals"
    url_namespace = "approvals"


def type_label(key: str) -> str:
    definition = document_type(key)
    return str(definition.label) if definition is not None else key


def kind_label(rule) -> str:
    definition = document_type(rule.document_type)
    if not rule.kind:
        return ""
    return str(definition.kinds.get(rule.kind, rule.kind)) if definition is not None else rule.kind


class RuleFilter(django_filters.FilterSet):
    document_type = django_filters.ChoiceFilter(choices=document_type_choices, label=gettext_lazy("Document type"))
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = ApprovalRule
        fields = ["document_type", "is_active"]


class RuleListView(Approvals, ListView):
    model = ApprovalRule
    columns = [Column("name", link=True), Column("document_type", value=lambda rule: type_label(rule.document_type)),
               Column("kind", value=kind_label), "priority", "is_active",
               Column("steps", gettext_lazy("Steps"), value=lambda rule: rule.steps.count(), sort=None)]
    search_fields = ["name", "description"]
    filterset_class = RuleFilter
    ordering = ["document_type", "priority", "pk"]


class RuleLinesView(Approvals, InlineLinesView):
    parent_model = ApprovalRule
    line_form = None

    @functools.cached_property
    def parent(self):
        return self.get_parent()

    @property
    def form_class(self):
        return functools.partial(self.line_form, rule=self.parent)

    def delete_line(self, parent, line):
        rule_line_delete(actor=self.request.user, rule=parent, line=line)


def _field_label(condition) -> str:
    definition = document_type(condition.rule.document_type)
    spec = definition.all_fields().get(condition.field) if definition is not None else None
    return str(spec.label) if spec is not None else condition.field


class ConditionLinesView(RuleLinesView):
    model = ApprovalCondition
    line_form = ConditionLineForm
    columns = [Column("field", value=_field_label), "operator", "value"]
    url_name = "approvals:rule_conditions"
    add_label = gettext_lazy("Add a condition")

    def get_lines(self, parent):
        return parent.conditions.select_related("rule").order_by("pk")

    def save_line(self, parent, line, data):
        return condition_save(actor=self.request.user, rule=parent, condition=line, data=data)


class StepLinesView(RuleLinesView):
    model = ApprovalStep
    line_form = StepLineForm
    columns = ["level", "name", "approver_type", "role", "user", "min_approvals", "amount_over",
               "escalate_after_days", "escalate_to", "escalate_role"]
    url_name = "approvals:rule_steps"
    add_label = gettext_lazy("Add a step")

    def get_lines(self, parent):
        return parent.steps.select_related("role__group", "user", "escalate_role__group").order_by("level", "pk")

    def save_line(self, parent, line, data):
        return step_save(actor=self.request.user, rule=parent, step=line, data=data)


class RuleDetailView(Approvals, DetailView):
    model = ApprovalRule
    fields = ["name", Column("document_type", value=lambda rule: type_label(rule.document_type)),
              Column("kind", value=kind_label), "priority", "is_active", "description"]
    template_name = "approvals/rules/detail.html"

    def get_tab_context(self, obj):
        return {"conditions": ConditionLinesView.table_context(self.request, obj),
                "steps": StepLinesView.table_context(self.request, obj)}


class RuleFormMixin(Approvals):
    form_class = RuleForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "company": self.company}


class RuleCreateView(RuleFormMixin, CreateView):
    model = ApprovalRule
    success_message = gettext_lazy("Rule saved: now add its conditions and steps.")

    def perform(self, form):
        return rule_create(actor=self.request.user, company=self.company, data=form.cleaned_data)


class RuleUpdateView(RuleFormMixin, UpdateView):
    model = ApprovalRule

    def perform(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if not form.fields[name].disabled}
        return rule_update(actor=self.request.user, rule=self.object, data=data)


class RuleDeleteView(Approvals, DeleteView):
    model = ApprovalRule

    def perform(self, obj):
        rule_delete(actor=self.request.user, rule=obj)

"""Forms of the approval screens. They parse input only; the services validate and write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tessera.core.forms import DateInput, ServiceModelForm
from tessera.core.models import Role

from .choices import NUMBER_OPERATORS, TEXT_OPERATORS, ApproverType, EscalateTo, Operator
from .models import ApprovalCondition, ApprovalRule, ApprovalStep, Delegation
from .registry import NUMBER, document_type, document_type_choices, document_types

User = get_user_model()


def company_users(company):
    return User.objects.filter(is_active=True, profile__companies=company).order_by("username").distinct()


def kind_choices() -> list:
    """Every registered kind, grouped by document type (the service checks it belongs to the rule's type)."""
    groups = [("", _("Every kind"))]
    for definition in document_types():
        if definition.kinds:
            groups.append((str(definition.label), [(code, str(label)) for code, label in definition.kinds.items()]))
    return groups


class RuleForm(ServiceModelForm):
    document_type = forms.ChoiceField(label=_("Document type"), choices=())
    kind = forms.ChoiceField(label=_("Only of kind"), choices=(), required=False,
                             help_text=_("Left empty, the rule applies to every kind of the document type."))

    class Meta:
        model = ApprovalRule
        fields = ["name", "document_type", "kind", "priority", "is_active", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = document_type_choices()
        self.fields["kind"].choices = kind_choices()
        if self.instance.pk and (self.instance.conditions.exists() or self.instance.steps.exists()):
            self.fields["document_type"].disabled = True
            self.fields["document_type"].help_text = _("Fixed: the conditions and steps were made for it.")


class ConditionLineForm(ServiceModelForm):
    """A condition in place on the rule's page: the fields its document type registers."""

    field = forms.ChoiceField(label=_("Field"), choices=())

    class Meta:
        model = ApprovalCondition
        fields = ["field", "operator", "value"]

    def __init__(self, *args, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        definition = document_type(rule.document_type) if rule is not None else None
        fields = definition.all_fields() if definition is not None else {}
        self.fields["field"].choices = [(name, str(spec.label)) for name, spec in fields.items()]
        numbers = [name for name, spec in fields.items() if spec.type == NUMBER]
        self.fields["operator"].choices = [(op.value, op.label) for op in Operator]
        self.fields["operator"].widget.attrs["title"] = str(_("%(numbers)s compare as numbers (%(ops)s); the others "
                                                              "as text or records (%(text)s).") % {
            "numbers": ", ".join(numbers), "ops": ", ".join(str(op.label) for op in NUMBER_OPERATORS),
            "text": ", ".join(str(op.label) for op in TEXT_OPERATORS)})


class StepLineForm(ServiceModelForm):
    class Meta:
        model = ApprovalStep
        fields = ["level", "name", "approver_type", "role", "user", "min_approvals", "amount_over",
                  "escalate_after_days", "escalate_to", "escalate_role"]

    def __init__(self, *args, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver_type"].choices = ApproverType.choices
        self.fields["escalate_to"].choices = EscalateTo.choices
        self.fields["role"].queryset = Role.objects.select_related("group").order_by("code")
        self.fields["escalate_role"].queryset = Role.objects.select_related("group").order_by("code")
        self.fields["user"].queryset = company_users(rule.company) if rule is not None else User.objects.none()
        self.fields["amount_over"].localize = False


class DelegationForm(ServiceModelForm):
    class Meta:
        model = Delegation
        fields = ["user", "starts_on", "ends_on", "delegate", "reason"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        labels = {"user": _("Whose approvals"), "starts_on": _("Away from"), "ends_on": _("Away until"),
                  "delegate": _("Delegate to")}

    def __init__(self, *args, company=None, actor=None, manage_others=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        users = company_users(company)
        self.fields["delegate"].queryset = users.exclude(pk=actor.pk) if actor is not None else users
        if manage_others:
            self.fields["user"].queryset = users
            self.fields["user"].required = False
            self.fields["user"].help_text = _("Left empty: your own.")
        else:
            del self.fields["user"]

    def clean_user(self):
        return self.cleaned_data.get("user") or self.actor


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.TextInput(attrs={"placeholder": _("Comment (needed to reject)")}))

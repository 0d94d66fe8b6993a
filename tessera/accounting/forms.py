"""Forms of the accounting screens. They parse input only; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.core.forms import DateInput
from tessera.partners.forms import CompanyModelForm

from .models import Account, CostCenter, Journal, JournalEntry, JournalEntryLine, Tax


class AccountForm(CompanyModelForm):
    fixed_fields = ()  # accounts may be renumbered (the service keeps codes unique)

    class Meta:
        model = Account
        fields = ["code", "name", "name_en", "parent", "type", "role", "is_reconcilable", "currency",
                  "cash_flow_category", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An account is never its own ancestor.
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)


class JournalForm(CompanyModelForm):
    class Meta:
        model = Journal
        fields = ["code", "name", "kind", "sequence_code", "default_account", "is_active"]


class TaxForm(CompanyModelForm):
    class Meta:
        model = Tax
        fields = ["name", "kind", "rate", "price_included", "is_exempt", "account", "is_active"]


class CostCenterForm(CompanyModelForm):
    class Meta:
        model = CostCenter
        fields = ["code", "name", "is_active"]


class FiscalYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999,
                              help_text=_("The calendar year the fiscal year starts in."))


class ChartInstallForm(forms.Form):
    template = forms.ChoiceField(label=_("Chart of accounts"), widget=forms.RadioSelect)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = templates


class ReverseForm(forms.Form):
    date = forms.DateField(label=_("Reversal date"), widget=DateInput())


# --- The entry form: a header and its lines --------------------------------------------------

class EntryForm(CompanyModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attachment = forms.FileField(label=_("Attach a file"), required=False,
                                 help_text=_("A receipt, invoice or contract supporting the entry (原始凭证)."))

    class Meta:
        model = JournalEntry
        fields = ["journal", "date", "reference", "description"]
        widgets = {"date": DateInput()}

    def clean_attachment(self):
        from tessera.core.errors import ValidationFailed
        from tessera.core.services.attachments import attachment_validate

        file = self.cleaned_data.get("attachment")
        if file:
            try:
                attachment_validate(file)
            except ValidationFailed as error:
                raise forms.ValidationError(error.fields["file"]) from error
        return file

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class EntryLineForm(CompanyModelForm):
    """One line of the entry form. Debit and credit are plain decimals: the service checks that a
    line has one of them, so the rule lives in one place."""

    class Meta:
        model = JournalEntryLine
        fields = ["account", "partner", "description", "debit", "credit", "cost_center"]
        field_classes = {"account": AccountChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Postings go to leaf accounts only.
        self.fields["account"].queryset = self.fields["account"].queryset.filter(children__isnull=True)
        for name in ("debit", "credit"):
            field = self.fields[name]
            field.required = False
            if not self.initial.get(name):
                self.initial[name] = None  # a zero shows as an empty cell, not "0.00"
            field.widget.attrs.update({"data-amount": name, "inputmode": "decimal", "step": "0.01", "min": "0"})
        self.fields["account"].required = False  # a blank row is left out; a filled one needs its account

    def has_changed(self) -> bool:
        # A line counts when anything is filled in, whatever it started as (a blank row is skipped).
        return any(self.data.get(self.add_prefix(name)) not in (None, "") for name in self.fields)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("account") and "account" not in self.errors:
            self.add_error("account", _("Choose the account."))
        return data

    def line_data(self) -> dict:
        """The line as the service takes it."""
        data = dict(self.cleaned_data)
        data["debit"] = data.get("debit") or 0
        data["credit"] = data.get("credit") or 0
        return {name: value for name, value in data.items() if name not in {"id", "DELETE"}}


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, company=None, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"company": self.company}

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True  # blank rows are fine: they are left out
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, renderer=self.renderer, company=self.company)
        self.add_fields(form, None)
        return form

    def filled_forms(self) -> list[EntryLineForm]:
        """The lines the user filled in, in order: what goes to the service (its `lines.<n>` index them)."""
        return [form for form in self.forms if form.has_changed()]


LineFormSet = forms.formset_factory(EntryLineForm, formset=BaseLineFormSet, extra=0, max_num=500, absolute_max=500)

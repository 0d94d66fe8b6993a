"""Forms of the bank screens: bank accounts, the statement upload and its column mapping, the forms of the
reconciliation screen (an entry or a payment from a statement line, undoing a match) and the report's
date. They parse input only; services.bank, bank_import and bank_reconcile validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.core.forms import DateInput
from tessera.core.models import Currency
from tessera.partners.forms import CompanyModelForm
from tessera.partners.models import Partner

from .choices import JournalKind, TaxKind
from .forms import AccountChoiceField
from .models import Account, BankAccount, CostCenter, Journal, Tax
from .services.bank_csv import (
    COLUMN_KEYS,
    COLUMN_LABELS,
    DATE_FORMATS,
    DECIMAL_SEPARATORS,
    DELIMITERS,
    ENCODINGS,
    MAX_FILE_SIZE,
    THOUSANDS_SEPARATORS,
)


class BankAccountCreateForm(CompanyModelForm):
    fixed_fields = ()
    account = AccountChoiceField(
        label=_("Ledger account"), queryset=Account.objects.none(), required=False,
        empty_label=_("A new sub-account of the company's bank account (银行存款)"),
        help_text=_("Leave empty to add a sub-account for this bank account; choose a leaf account when the bank "
                    "account already has one (an account with postings cannot take sub-accounts)."))

    class Meta:
        model = BankAccount
        fields = ["name", "bank_name", "account_number", "currency", "journal"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(
            company=self.company, type="asset", is_active=True, children__isnull=True,
            role__in=["bank", ""]).order_by("code")
        self.fields["currency"].queryset = Currency.objects.filter(is_active=True)
        self.fields["currency"].required = False
        self.fields["currency"].empty_label = _("The ledger account's")
        self.fields["journal"].queryset = Journal.objects.filter(company=self.company, kind=JournalKind.BANK,
                                                                 bank_account__isnull=True, is_active=True)
        self.fields["journal"].required = False
        self.fields["journal"].empty_label = _("Its own (taken or created)")
        self.order_fields(["name", "bank_name", "account_number", "currency", "account", "journal"])


class BankAccountUpdateForm(CompanyModelForm):
    fixed_fields = ()

    class Meta:
        model = BankAccount
        fields = ["name", "bank_name", "account_number", "is_active"]


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Statement file (CSV)"), help_text=_(
        "As the bank exports it: UTF-8 or GBK, comma, semicolon or tab separated, at most 5 MB."))
    opening_balance = forms.DecimalField(label=_("Opening balance"), required=False, max_digits=18, decimal_places=2,
                                         help_text=_("Empty: from the file's balance column."))
    closing_balance = forms.DecimalField(label=_("Closing balance"), required=False, max_digits=18, decimal_places=2,
                                         help_text=_("Empty: from the file's balance column."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than %(size)s MB: split the statement.")
                                        % {"size": MAX_FILE_SIZE // (1024 * 1024)})
        return upload


class MappingForm(forms.Form):
    """Which column holds what: the file's headers are the choices."""

    opening_balance = forms.DecimalField(label=_("Opening balance"), required=False, max_digits=18, decimal_places=2,
                                         help_text=_("Empty: from the file's balance column."))
    closing_balance = forms.DecimalField(label=_("Closing balance"), required=False, max_digits=18, decimal_places=2,
                                         help_text=_("Empty: from the file's balance column."))
    date_format = forms.ChoiceField(label=_("Date format"), choices=[
        ("auto", _("Detect")), *[(key, example) for key, example in DATE_FORMATS.items()]])
    decimal_separator = forms.ChoiceField(label=_("Decimal mark"), choices=list(DECIMAL_SEPARATORS.items()))
    thousands_separator = forms.ChoiceField(label=_("Thousands separator"), choices=list(THOUSANDS_SEPARATORS.items()),
                                            required=False)
    encoding = forms.ChoiceField(label=_("Encoding"), choices=list(ENCODINGS.items()))
    delimiter = forms.ChoiceField(label=_("Delimiter"), choices=list(DELIMITERS.items()))
    header_row = forms.IntegerField(label=_("Header row"), required=False, min_value=1,
                                    help_text=_("Empty: found by its column names."))

    def __init__(self, *args, headers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *[(header, header) for header in headers]]
        for key in COLUMN_KEYS:
            if key == "description":
                self.fields[key] = forms.MultipleChoiceField(
                    label=COLUMN_LABELS[key], required=False, choices=choices[1:],
                    widget=forms.CheckboxSelectMultiple, help_text=_("Several columns are joined."))
            else:
                self.fields[key] = forms.ChoiceField(label=COLUMN_LABELS[key], choices=choices, required=False)
        self.order_fields([*COLUMN_KEYS, "date_format", "decimal_separator", "thousands_separator", "encoding",
                           "delimiter", "header_row", "opening_balance", "closing_balance"])

    @staticmethod
    def initial_from(mapping: dict, balances: dict | None = None) -> dict:
        """The form's initial values: the mapping used and the balances the user entered (the file's own
        balances are shown beside, not copied: changing the balance column must still take effect)."""
        initial = {key: value for key, value in (mapping or {}).items()}
        initial["header_row"] = None if initial.get("header_row") in (None, "auto") else initial["header_row"]
        initial.update({key: value for key, value in (balances or {}).items() if value is not None})
        return initial

    def mapping(self) -> dict:
        data = self.cleaned_data
        mapping = {key: data.get(key) or ([] if key == "description" else "") for key in COLUMN_KEYS}
        mapping.update({key: data.get(key) if data.get(key) is not None else "" for key in (
            "date_format", "decimal_separator", "thousands_separator", "encoding", "delimiter")})
        mapping["header_row"] = data.get("header_row") or "auto"
        return mapping

    def column_fields(self):
        return [self[key] for key in COLUMN_KEYS]

    def option_fields(self):
        return [self[key] for key in ("date_format", "decimal_separator", "thousands_separator", "encoding",
                                      "delimiter", "header_row")]


class CreateEntryForm(forms.Form):
    account = AccountChoiceField(label=_("Account"), queryset=Account.objects.none())
    description = forms.CharField(label=_("Description"), required=False, max_length=255)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    cost_center = forms.ModelChoiceField(label=_("Cost centre"), queryset=CostCenter.objects.none(), required=False)
    tax = forms.ModelChoiceField(label=_("Tax included"), queryset=Tax.objects.none(), required=False)

    def __init__(self, *args, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        company = line.company
        self.fields["account"].queryset = (Account.objects.filter(company=company, is_active=True,
                                                                  children__isnull=True)
                                           .exclude(pk=line.bank_account.journal.default_account_id).order_by("code"))
        self.fields["partner"].queryset = Partner.objects.filter(company=company, is_active=True)
        self.fields["cost_center"].queryset = CostCenter.objects.filter(company=company, is_active=True)
        self.fields["tax"].queryset = Tax.objects.filter(
            company=company, is_active=True, kind=TaxKind.PURCHASE if line.amount < 0 else TaxKind.SALES)
        self.fields["description"].widget.attrs["placeholder"] = line.description
        for name in self.fields:
            self.fields[name].widget.attrs["id"] = f"line-{line.pk}-{name}"


class CreatePaymentForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)
    description = forms.CharField(label=_("Description"), required=False, max_length=255)

    def __init__(self, *args, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(company=line.company, is_active=True)
        self.fields["reference"].widget.attrs["placeholder"] = line.reference
        self.fields["description"].widget.attrs["placeholder"] = line.description
        for name in self.fields:
            self.fields[name].widget.attrs["id"] = f"line-{line.pk}-payment-{name}"


class UnmatchForm(forms.Form):
    date = forms.DateField(label=_("Reversal date"), required=False, widget=DateInput(), help_text=_(
        "Empty: the entry's own date."))


class ReconciliationDateForm(forms.Form):
    date = forms.DateField(label=_("As of"), widget=DateInput())

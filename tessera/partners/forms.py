"""Forms of the partner screens. They parse input only; the services validate and write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tessera.core.forms import ServiceModelForm

from .models import Partner, PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag, PaymentTerm


class CompanyModelForm(ServiceModelForm):
    """A form for a company's record: choices of company-owned records list only that company's
    (active) ones; the record's current choice stays selectable even when it was made inactive.
    `fixed_fields` identify the record and cannot change once it exists."""

    fixed_fields = ("code",)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        for name in self.fixed_fields:
            if self.instance.pk and name in self.fields:
                self.fields[name].disabled = True
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            model = queryset.model
            if any(f.name == "company" for f in model._meta.fields):
                queryset = queryset.filter(company=company)
            if any(f.name == "is_active" for f in model._meta.fields):
                keep = Q(is_active=True)
                current = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
                if current:
                    keep |= Q(pk=current)
                queryset = queryset.filter(keep)
            field.queryset = queryset


# Edited on the partner's page (addresses, contacts, bank accounts tabs) once the partner exists; on a new
# partner they are the first address, contact and bank account.
MAIN_FIELDS = ("address", "contact_name", "phone", "email", "bank_name", "bank_account")


class PartnerForm(CompanyModelForm):
    # Shown (by the template) only once the service answered "possible duplicate": the user saw the matches.
    create_anyway = forms.BooleanField(
        label=_("Create anyway"), required=False,
        help_text=_("Tick to save although partners with the same name or tax id exist."),
    )

    class Meta:
        model = Partner
        fields = ["code", "name", "is_customer", "is_supplier", "country", "tax_id", "address", "contact_name",
                  "phone", "email", "currency", "payment_term", "credit_limit", "bank_name", "bank_account", "tags",
                  "notes", "is_active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3}),
                   "tags": forms.CheckboxSelectMultiple}
        help_texts = {
            "tax_id": _("For Chinese partners: the 18-character unified social credit code (统一社会信用代码)."),
            "address": _("The invoice address. More addresses, contacts and bank accounts are added on the "
                         "partner's page."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in MAIN_FIELDS:
                del self.fields[name]
        if not self.fields["tags"].queryset.exists():
            self.fields["tags"].help_text = _("No tags yet: create them under Master data › Partner tags.")

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()

    def clean_tax_id(self):
        return (self.cleaned_data.get("tax_id") or "").strip().upper()


class PaymentTermForm(CompanyModelForm):
    class Meta:
        model = PaymentTerm
        fields = ["code", "name", "basis", "days", "discount_percent", "discount_days", "is_active"]


class PartnerTagForm(CompanyModelForm):
    fixed_fields = ()

    class Meta:
        model = PartnerTag
        fields = ["name", "colour"]


class PartnerRowForm(ServiceModelForm):
    """A row edited in place in a table on the partner's page (htmx): small inputs, one line each."""

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 1


class PartnerAddressForm(PartnerRowForm):
    class Meta:
        model = PartnerAddress
        fields = ["kind", "name", "street", "city", "province", "postal_code", "country", "is_default"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and self.partner is not None:
            self.initial.setdefault("country", self.partner.country)
        self.fields["country"].widget.attrs["size"] = 3

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()


class PartnerContactForm(PartnerRowForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "job_title", "phone", "mobile", "email", "is_primary", "notes"]


class PartnerBankAccountForm(PartnerRowForm):
    class Meta:
        model = PartnerBankAccount
        fields = ["bank_name", "branch", "account_number", "account_holder", "swift_bic", "currency", "is_default"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].queryset = self.fields["currency"].queryset.filter(is_active=True)

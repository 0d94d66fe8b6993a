"""Forms of the invoice and payment screens. They parse input only; the invoice and payment services
validate and write. The invoice lines reuse the entry form's line formset (`BaseLineFormSet`)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.core.forms import DateInput
from tessera.core.models import Currency
from tessera.partners.forms import CompanyModelForm

from .choices import JournalKind
from .forms import AccountChoiceField, BaseLineFormSet
from .models import Invoice, InvoiceLine, Payment, Tax


class VersionedForm(CompanyModelForm):
    """A document header sending back the version it was loaded at (the service refuses a stale save)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "currency" in self.fields:
            self.fields["currency"].queryset = Currency.objects.filter(is_active=True)
            self.fields["currency"].required = False  # the service defaults it
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class InvoiceForm(VersionedForm):
    class Meta:
        model = Invoice
        fields = ["kind", "partner", "date", "due_on", "payment_term", "currency", "reference", "description",
                  "tax_rounding"]
        widgets = {"date": DateInput(), "due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the service takes the partner's; the empty choice says so (no help text needed).
        self.fields["payment_term"].empty_label = _("The partner's")
        self.fields["currency"].empty_label = _("The partner's")
        self.fields["due_on"].help_text = _("Empty: from the payment term.")
        self.fields["reference"].help_text = ""


class TaxSelect(forms.SelectMultiple):
    """Each option says its tax kind (sales/purchase): the form's script shows only the invoice side's."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-kind"] = instance.kind
        return option


class TaxChoiceField(forms.ModelMultipleChoiceField):
    widget = TaxSelect

    def label_from_instance(self, obj):
        return obj.name


class InvoiceLineForm(CompanyModelForm):
    """One invoice line. A row counts as filled when any of its own inputs is (quantity and discount
    come prefilled, so they alone do not make a line)."""

    fixed_fields = ()
    filled_markers = ("product", "description", "account", "unit_price", "taxes", "cost_center")

    class Meta:
        model = InvoiceLine
        fields = ["product", "description", "account", "quantity", "uom", "unit_price", "discount", "taxes",
                  "cost_center"]
        field_classes = {"account": AccountChoiceField, "taxes": TaxChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = self.fields["account"].queryset.filter(children__isnull=True)
        self.fields["taxes"].widget.attrs.update({"data-line": "taxes", "size": "3"})
        for name in ("quantity", "unit_price", "discount"):
            field = self.fields[name]
            field.required = False
            field.widget.attrs.update({"data-line": name, "inputmode": "decimal"})
        for name in ("description", "account"):
            self.fields[name].required = False  # a blank row is left out; a filled one needs them (clean)
        self.fields["product"].queryset = self.fields["product"].queryset.filter(is_active=True)
        self.fields["product"].help_text = _("Fills what is left empty: description, account, unit, price, taxes.")
        self.fields["uom"].queryset = self.fields["uom"].queryset.filter(is_active=True)
        self.fields["uom"].empty_label = _("The product's")

    def has_changed(self) -> bool:
        return any(self.data.get(self.add_prefix(name)) not in (None, "") for name in self.filled_markers)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("product"):
            for name, message in (("description", _("Describe the line.")), ("account", _("Choose the account."))):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def line_data(self) -> dict:
        """The line as the service takes it (empty quantity 1, empty discount 0, empty price 0)."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in {"id", "DELETE"}}
        data["quantity"] = Decimal("1") if data.get("quantity") is None else data["quantity"]
        data["discount"] = data.get("discount") or Decimal("0")
        data["unit_price"] = Decimal("0") if data.get("unit_price") is None else data["unit_price"]
        data["taxes"] = list(data.get("taxes") or [])
        if data.get("product"):  # what is left empty comes from the product (services.invoices)
            if self.cleaned_data.get("unit_price") is None:
                del data["unit_price"]
            for name in ("description", "account", "uom", "taxes"):
                if not data.get(name):
                    data.pop(name, None)
        return data


InvoiceLineFormSet = forms.formset_factory(InvoiceLineForm, formset=BaseLineFormSet, extra=0, max_num=500,
                                           absolute_max=500)


def tax_rates(company) -> dict:
    """What the form's script needs to estimate taxes: rate, included in price, exempt, per tax id."""
    return {str(tax.pk): {"rate": str(tax.rate), "included": tax.price_included, "exempt": tax.is_exempt}
            for tax in Tax.objects.filter(company=company, is_active=True)}


class PaymentForm(VersionedForm):
    class Meta:
        model = Payment
        fields = ["kind", "partner", "journal", "date", "amount", "currency", "reference", "description",
                  "writeoff_account", "writeoff_amount"]
        widgets = {"date": DateInput()}
        field_classes = {"writeoff_account": AccountChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Money moves through bank and cash journals only.
        self.fields["journal"].queryset = self.fields["journal"].queryset.filter(
            kind__in=[JournalKind.BANK, JournalKind.CASH])
        self.fields["writeoff_account"].queryset = self.fields["writeoff_account"].queryset.filter(
            children__isnull=True)
        self.fields["writeoff_amount"].required = False
        self.fields["amount"].widget.attrs.update({"data-payment-amount": "1", "inputmode": "decimal"})
        # Changing the partner or the kind reloads the partner's open invoices (htmx).
        for name in ("partner", "kind"):
            self.fields[name].widget.attrs.update({"data-reload-allocations": "1"})

    def clean_writeoff_amount(self):
        return self.cleaned_data.get("writeoff_amount") or Decimal("0")

"""What the inventory screens share: the module and url namespace, company-scoped forms, POST buttons that run
one service and go back to the record, and the forms."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tessera.core.forms import ServiceModelForm
from tessera.core.views.actions import ActionView as CoreActionView

from ..choices import LocationUsage
from ..models import Location, Lot, Warehouse


class Inventory:
    """Mixed into every inventory screen (before the generic view)."""

    module = "inventory"
    url_namespace = "inventory"


class CompanyFormKwargs:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "company": self.company}


class ActionView(Inventory, CoreActionView):
    """POST only: run `run(obj)` (a service, which checks its own permission) and go back to the record's
    page; a refusal shows there as a message (core's ActionView)."""


class CompanyForm(ServiceModelForm):
    """Choices list only the company's records (active ones, plus the record's current choice)."""

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            queryset = queryset.filter(company=company)
            if any(f.name == "is_active" for f in queryset.model._meta.fields):
                keep = Q(is_active=True)
                current = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
                if current:
                    keep |= Q(pk=current)
                queryset = queryset.filter(keep)
            field.queryset = queryset


class WarehouseForm(CompanyForm):
    class Meta:
        model = Warehouse
        fields = ["code", "name", "address", "allow_negative_stock", "stock_location"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["stock_location"].queryset = self.fields["stock_location"].queryset.filter(
                warehouse=self.instance, usage=LocationUsage.INTERNAL)
            self.fields["stock_location"].required = True
        else:
            del self.fields["stock_location"]  # created with the warehouse: "<CODE>/Stock"


class LocationForm(CompanyForm):
    class Meta:
        model = Location
        fields = ["name", "parent", "usage", "barcode", "is_active"]
        help_texts = {"barcode": _("Scan or type the label's barcode.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].label_from_instance = lambda location: location.full_name
        self.fields["parent"].queryset = self.fields["parent"].queryset.order_by("full_name")
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                Q(pk=self.instance.pk) | Q(full_name__startswith=self.instance.full_name + "/"))
        self.fields["barcode"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})


class LotForm(CompanyForm):
    class Meta:
        model = Lot
        fields = ["product", "name", "expiry_on", "notes"]
        widgets = {"expiry_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = self.fields["product"].queryset.exclude(tracking="none")
        if self.instance.pk:
            del self.fields["product"]

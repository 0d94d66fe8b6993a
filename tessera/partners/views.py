"""Partner screens: customers and suppliers (list, detail with history, create, edit), payment terms."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.views.generic import Column, CreateView, DetailView, ListView, UpdateView, YesNoFilter, form_data

from . import services
from .forms import PartnerForm, PaymentTermForm
from .models import Partner, PaymentTerm

# --- Partners --------------------------------------------------------------------------------


class PartnerFilter(django_filters.FilterSet):
    is_customer = YesNoFilter(label=gettext_lazy("Customer"))
    is_supplier = YesNoFilter(label=gettext_lazy("Supplier"))
    is_active = YesNoFilter(label=gettext_lazy("Active"))
    country = django_filters.CharFilter(label=gettext_lazy("Country"), method="filter_country")

    class Meta:
        model = Partner
        fields = ["is_customer", "is_supplier", "is_active", "country"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper()) if value.strip() else queryset


class PartnerScreen:
    model = Partner
    module = "masterdata"
    url_namespace = "partners"

    def get_queryset(self):
        return super().get_queryset().select_related("payment_term", "currency")


class PartnerListView(PartnerScreen, ListView):
    columns = ["code", "name", "is_customer", "is_supplier", "country", "tax_id", "contact_name", "phone",
               Column("email", default=False),
               Column("payment_term__name", gettext_lazy("Payment term"), default=False),
               Column("credit_limit", default=False), "is_active"]
    search_fields = ["code", "name", "tax_id", "contact_name", "phone", "email"]
    filterset_class = PartnerFilter


class PartnerDetailView(PartnerScreen, DetailView):
    fields = ["code", "name", "is_customer", "is_supplier", "country", "tax_id", "address", "contact_name", "phone",
              "email", "currency", "payment_term", "credit_limit", "bank_name", "bank_account", "notes", "is_active"]


class PartnerFormMixin(PartnerScreen):
    """The partner form with the duplicate check: when the service answers "possible duplicate" the
    form comes back with the matches and a "Create anyway" box; ticking it saves all the same."""

    form_class = PartnerForm
    template_name = "partners/partner_form.html"
    duplicates = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "company": self.company}

    def perform(self, form):
        data = form_data(form)
        allow_duplicate = data.pop("create_anyway", False)
        try:
            return self.save(data, allow_duplicate=allow_duplicate)
        except errors.DomainError as error:
            self.duplicates = services.duplicates_of(error)
            raise

    def render_form(self, form, status=200):
        # The box shows once the user has seen matches (and stays while they fix other fields).
        show_anyway = bool(self.duplicates) or bool(form.is_bound and form.data.get("create_anyway"))
        return self.render({"form": form, "object": getattr(self, "object", None), "duplicates": self.duplicates,
                            "show_create_anyway": show_anyway, "submit_label": self.submit_label,
                            "cancel_url": self.get_cancel_url()}, status=status)


class PartnerCreateView(PartnerFormMixin, CreateView):
    def save(self, data, *, allow_duplicate):
        return services.partner_create(actor=self.request.user, company=self.company, data=data,
                                       allow_duplicate=allow_duplicate)


class PartnerUpdateView(PartnerFormMixin, UpdateView):
    def save(self, data, *, allow_duplicate):
        data.pop("code", None)  # the code names the partner in documents and imports: it never changes
        return services.partner_update(actor=self.request.user, company=self.company, partner=self.object, data=data,
                                       allow_duplicate=allow_duplicate)

    def get_title(self):
        return _("Edit %(record)s") % {"record": self.object}


# --- Payment terms ---------------------------------------------------------------------------

class PaymentTermScreen:
    model = PaymentTerm
    module = "masterdata"
    url_namespace = "partners"


class PaymentTermListView(PaymentTermScreen, ListView):
    columns = ["code", "name", "basis", "days", "discount_percent", "discount_days", "is_active"]
    search_fields = ["code", "name"]


class PaymentTermDetailView(PaymentTermScreen, DetailView):
    fields = ["code", "name", "basis", "days", "discount_percent", "discount_days", "is_active"]


class PaymentTermCreateView(PaymentTermScreen, CreateView):
    form_class = PaymentTermForm

    def get_form_kwargs(self):
        return {"company": self.company}

    def perform(self, form):
        return services.payment_term_create(actor=self.request.user, company=self.company, data=form_data(form))


class PaymentTermUpdateView(PaymentTermScreen, UpdateView):
    form_class = PaymentTermForm

    def get_form_kwargs(self):
        return {"instance": self.object, "company": self.company}

    def perform(self, form):
        data = form_data(form)
        data.pop("code", None)
        return services.payment_term_update(actor=self.request.user, company=self.company, instance=self.object,
                                            data=data)

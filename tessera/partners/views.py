"""Partner screens: customers and suppliers (list with tag chips and filter, detail with addresses,
contacts and bank accounts edited in place, history, create, edit), partner tags, payment terms."""

import functools

import django_filters
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.views.generic import (
    Column,
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    Tab,
    UpdateView,
    YesNoFilter,
    form_data,
)
from tessera.core.views.lines import InlineLinesView

from . import services, services_details
from .forms import (
    PartnerAddressForm,
    PartnerBankAccountForm,
    PartnerContactForm,
    PartnerForm,
    PartnerTagForm,
    PaymentTermForm,
)
from .models import Partner, PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag, PaymentTerm


class TagChips(SafeString):
    """Tags as coloured chips linking to the partner list filtered by the tag. The page shows the HTML;
    `str()` (CSV/XLSX export) gives the plain names."""

    def __new__(cls, tags):
        tags = list(tags)
        url = reverse("partners:partner_list")
        html = format_html_join(" ", '<a class="badge rounded-pill text-bg-{} text-decoration-none" href="{}?tag={}" '
                                     'data-testid="tag-chip">{}</a>',
                                ((tag.colour, url, tag.pk, tag.name) for tag in tags))
        chips = super().__new__(cls, html)
        chips.names = ", ".join(tag.name for tag in tags)
        return chips

    def __str__(self) -> str:
        return self.names


def tag_chips(partner) -> TagChips:
    return TagChips(partner.tags.all())

# --- Partners --------------------------------------------------------------------------------


class PartnerFilter(django_filters.FilterSet):
    is_customer = YesNoFilter(label=gettext_lazy("Customer"))
    is_supplier = YesNoFilter(label=gettext_lazy("Supplier"))
    is_active = YesNoFilter(label=gettext_lazy("Active"))
    country = django_filters.CharFilter(label=gettext_lazy("Country"), method="filter_country")
    tag = django_filters.ModelChoiceFilter(label=gettext_lazy("Tag"), queryset=PartnerTag.objects.none(),
                                           field_name="tags", distinct=True)

    class Meta:
        model = Partner
        fields = ["is_customer", "is_supplier", "is_active", "country", "tag"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        company = getattr(request, "company", None)
        self.filters["tag"].queryset = PartnerTag.objects.filter(company=company)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper()) if value.strip() else queryset


class PartnerScreen:
    model = Partner
    module = "masterdata"
    url_namespace = "partners"

    def get_queryset(self):
        return super().get_queryset().select_related("payment_term", "currency").prefetch_related("tags")


class PartnerListView(PartnerScreen, ListView):
    columns = ["code", "name", "is_customer", "is_supplier", "country", "tax_id", "contact_name", "phone",
               Column("email", default=False),
               Column("payment_term__name", gettext_lazy("Payment term"), default=False),
               Column("credit_limit", default=False),
               Column("tags", gettext_lazy("Tags"), value=tag_chips, sort=None), "is_active"]
    search_fields = ["code", "name", "tax_id", "contact_name", "phone", "email"]
    filterset_class = PartnerFilter


# --- A partner's rows, edited in place on its page ---------------------------------------------------


class PartnerRowsView(PartnerScreen, InlineLinesView):
    """Addresses, contacts or bank accounts of one partner in a table on its page. Moving a default flag
    changes other rows too: the answer carries those rows out of band, so the table stays right."""

    parent_model = Partner
    row_template = "partners/_row.html"
    line_form = None
    create = update = delete = None
    row_argument = ""

    @functools.cached_property
    def parent(self):
        return self.get_parent()

    @property
    def form_class(self):
        return functools.partial(self.line_form, partner=self.parent)

    def get_queryset(self):
        return self.model._default_manager.filter(company=self.company)

    def get_lines(self, parent):
        return self.model._default_manager.filter(partner=parent).select_related("partner").order_by(
            *self.model._meta.ordering[1:])

    def save_line(self, parent, line, data):
        if line is None:
            saved = type(self).create(actor=self.request.user, partner=parent, data=data, company=self.company)
        else:
            saved = type(self).update(actor=self.request.user, data=data, company=self.company,
                                      **{self.row_argument: line})
        self.changed = True
        return saved

    def delete_line(self, parent, line):
        type(self).delete(actor=self.request.user, company=self.company, **{self.row_argument: line})
        self.changed = True

    def post(self, request, *args, op, **kwargs):
        self.changed = False
        response = super().post(request, *args, op=op, **kwargs)
        if self.changed:
            # The other rows, whose default flag may have moved, swapped by their ids (htmx out of band).
            shown = self.kwargs.get("line_pk")
            others = "".join(
                self.render_row(self.parent, line).content.decode().replace("<tr ", '<tr hx-swap-oob="true" ', 1)
                for line in self.get_lines(self.parent) if line.pk != shown)
            response.content = response.content + f"<template>{others}</template>".encode()
        return response


class AddressLinesView(PartnerRowsView):
    model = PartnerAddress
    line_form = PartnerAddressForm
    columns = ["kind", "name", "street", "city", "province", "postal_code", "country", "is_default"]
    url_name = "partners:partner_addresses"
    add_label = gettext_lazy("Add an address")
    create = services_details.partner_address_create
    update = services_details.partner_address_update
    delete = services_details.partner_address_delete
    row_argument = "address"


class ContactLinesView(PartnerRowsView):
    model = PartnerContact
    line_form = PartnerContactForm
    columns = ["name", "job_title", "phone", "mobile", "email", "is_primary", "notes"]
    url_name = "partners:partner_contacts"
    add_label = gettext_lazy("Add a contact")
    create = services_details.partner_contact_create
    update = services_details.partner_contact_update
    delete = services_details.partner_contact_delete
    row_argument = "contact"


class BankAccountLinesView(PartnerRowsView):
    model = PartnerBankAccount
    line_form = PartnerBankAccountForm
    columns = ["bank_name", "branch", "account_number", "account_holder", "swift_bic", "currency", "is_default"]
    url_name = "partners:partner_bank_accounts"
    add_label = gettext_lazy("Add a bank account")
    create = services_details.partner_bank_account_create
    update = services_details.partner_bank_account_update
    delete = services_details.partner_bank_account_delete
    row_argument = "bank_account"


class PartnerDetailView(PartnerScreen, DetailView):
    template_name = "partners/partner_detail.html"
    fields = ["code", "name", "is_customer", "is_supplier", "country", "tax_id",
              Column("tags", gettext_lazy("Tags"), value=tag_chips), "address", "contact_name", "phone",
              "email", "currency", "payment_term", "credit_limit", "bank_name", "bank_account", "notes", "is_active"]
    rows = (("addresses", gettext_lazy("Addresses"), AddressLinesView),
            ("contacts", gettext_lazy("Contacts"), ContactLinesView),
            ("bank_accounts", gettext_lazy("Bank accounts"), BankAccountLinesView))

    def get_tab_context(self, obj):
        # One tab per kind of row the user may see (no counts in the labels: rows are added in place).
        context, tabs = {}, []
        for code, label, view in self.rows:
            context[code] = view.table_context(self.request, obj)
            if not context[code].get("hidden"):
                tabs.append(Tab(code, label, f"partners/_tab_{code}.html"))
        return {**context, "tabs": tabs}


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


# --- Partner tags ------------------------------------------------------------------------------


class PartnerTagScreen:
    model = PartnerTag
    module = "masterdata"
    url_namespace = "partners"

    def get_queryset(self):
        return super().get_queryset().annotate(partner_count=Count("partners"))


def _tag_chip(tag) -> TagChips:
    return TagChips([tag])


def _tag_partners(tag):
    url = reverse("partners:partner_list")
    return format_html('<a href="{}?tag={}">{}</a>', url, tag.pk, tag.partner_count)


class PartnerTagListView(PartnerTagScreen, ListView):
    columns = [Column("name", link=True), Column("colour", gettext_lazy("Chip"), value=_tag_chip, sort=None),
               Column("partner_count", gettext_lazy("Partners"), value=lambda tag: tag.partner_count,
                      sort="partner_count")]
    search_fields = ["name"]
    ordering = ["name"]


class PartnerTagDetailView(PartnerTagScreen, DetailView):
    fields = ["name", "colour", Column("partners", gettext_lazy("Partners"), value=_tag_partners)]
    show_attachments = False
    show_activity = False


class PartnerTagCreateView(PartnerTagScreen, CreateView):
    form_class = PartnerTagForm

    def get_form_kwargs(self):
        return {"company": self.company}

    def perform(self, form):
        return services_details.partner_tag_create(actor=self.request.user, company=self.company,
                                                   data=form_data(form))


class PartnerTagUpdateView(PartnerTagScreen, UpdateView):
    form_class = PartnerTagForm

    def get_form_kwargs(self):
        return {"instance": self.object, "company": self.company}

    def perform(self, form):
        return services_details.partner_tag_update(actor=self.request.user, company=self.company, tag=self.object,
                                                   data=form_data(form))


class PartnerTagDeleteView(PartnerTagScreen, DeleteView):
    def perform(self, obj):
        services_details.partner_tag_delete(actor=self.request.user, tag=obj, company=self.company)

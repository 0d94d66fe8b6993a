"""The partners API: customers and suppliers at `partners/` (with `?tag=<id or name>`), payment terms at
`partners/payment-terms/`, tags at `partners/tags/`, and each partner's rows at
`partners/{id}/addresses/`, `partners/{id}/contacts/` and `partners/{id}/bank-accounts/` (GET, POST,
PATCH, DELETE; the default flags move as the services say).

Writes go through the partner services, so the API refuses what the screens refuse: an invalid
unified social credit code, another company's payment term, a likely duplicate (409
`possible_duplicate` until the client resends with `"allow_duplicate": true`), deleting a partner
that is in use.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema

from tessera.core.api.base import RecordViewSet
from tessera.core.api.collaboration import RecordExtrasMixin
from tessera.core.errors import NotFound

from .. import services_details as details
from ..models import Partner, PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag, PaymentTerm
from ..selectors import partner_list, partner_tag_list, payment_term_list
from ..services import (
    partner_create,
    partner_delete,
    partner_update,
    payment_term_create,
    payment_term_delete,
    payment_term_update,
)
from .serializers import (
    PartnerAddressSerializer,
    PartnerBankAccountSerializer,
    PartnerContactSerializer,
    PartnerSerializer,
    PartnerTagSerializer,
    PaymentTermSerializer,
)


class PartnerFilter(django_filters.FilterSet):
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag (id or name)"))

    class Meta:
        model = Partner
        fields = ["is_customer", "is_supplier", "is_active", "country", "payment_term", "currency"]

    def filter_tag(self, queryset, name, value):
        value = value.strip()
        tags = queryset.filter(tags__pk=int(value)) if value.isdigit() else queryset.filter(tags__name__iexact=value)
        return tags.distinct()


class PartnerViewSet(RecordExtrasMixin, RecordViewSet):
    """`partners/`: customers and suppliers of the request's company, with their addresses, contacts,
    bank accounts and tags."""

    module = "masterdata"
    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    lookup_value_regex = r"\d+"  # the collection is the router's root: keep `payment-terms/` out of the ids
    filterset_class = PartnerFilter
    search_fields = ["code", "name", "tax_id"]
    ordering_fields = ["code", "name", "country"]
    ordering = ["code"]

    def select(self):
        return partner_list(self.request.user, self.request.company).prefetch_related(
            "tags", Prefetch("addresses", PartnerAddress.objects.select_related("partner")), "contacts",
            "bank_accounts")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        allow_duplicate = data.pop("allow_duplicate", False)
        serializer.instance = partner_create(actor=self.request.user, company=self.request.company, data=data,
                                             allow_duplicate=allow_duplicate)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        allow_duplicate = data.pop("allow_duplicate", False)
        serializer.instance = partner_update(actor=self.request.user, partner=serializer.instance, data=data,
                                             company=self.request.company, allow_duplicate=allow_duplicate)

    def perform_destroy(self, instance):
        partner_delete(actor=self.request.user, partner=instance, company=self.request.company)


class PaymentTermViewSet(RecordViewSet):
    """`partners/payment-terms/`: when invoices fall due (net 30, 2/10 net 30, end of month + 30...)."""

    module = "masterdata"
    queryset = PaymentTerm.objects.all()
    serializer_class = PaymentTermSerializer
    filterset_fields = ["basis", "is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "days"]
    ordering = ["days", "code"]

    def select(self):
        return payment_term_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = payment_term_create(actor=self.request.user, company=self.request.company,
                                                  data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = payment_term_update(actor=self.request.user, instance=serializer.instance,
                                                  data=dict(serializer.validated_data), company=self.request.company)

    def perform_destroy(self, instance):
        payment_term_delete(actor=self.request.user, instance=instance, company=self.request.company)


class PartnerTagViewSet(RecordViewSet):
    """`partners/tags/`: the company's partner tags (`name` unique per company, `colour`)."""

    module = "masterdata"
    queryset = PartnerTag.objects.all()
    serializer_class = PartnerTagSerializer
    search_fields = ["name"]
    ordering_fields = ["name"]
    ordering = ["name"]

    def select(self):
        return partner_tag_list(self.request.user, self.request.company)

    def perform_create(self, serializer):
        serializer.instance = details.partner_tag_create(actor=self.request.user, company=self.request.company,
                                                         data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = details.partner_tag_update(actor=self.request.user, tag=serializer.instance,
                                                         data=dict(serializer.validated_data),
                                                         company=self.request.company)

    def perform_destroy(self, instance):
        details.partner_tag_delete(actor=self.request.user, tag=instance, company=self.request.company)


@extend_schema(parameters=[OpenApiParameter("partner_pk", int, OpenApiParameter.PATH,
                                            description="The partner's id.")])
class PartnerRowsViewSet(RecordViewSet):
    """Base of `partners/{id}/<rows>/`: the rows of one partner of the request's company (404 otherwise)."""

    module = "masterdata"
    create_service = update_service = delete_service = None
    row_argument = ""

    def get_partner(self) -> Partner:
        partner = partner_list(self.request.user, self.request.company).filter(pk=self.kwargs["partner_pk"]).first()
        if partner is None:
            raise NotFound()
        return partner

    def select(self):
        return self.queryset.filter(partner=self.get_partner()).select_related("partner")

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            actor=self.request.user, partner=self.get_partner(), data=dict(serializer.validated_data),
            company=self.request.company)

    def perform_update(self, serializer):
        serializer.instance = type(self).update_service(
            actor=self.request.user, data=dict(serializer.validated_data), company=self.request.company,
            **{self.row_argument: serializer.instance})

    def perform_destroy(self, instance):
        type(self).delete_service(actor=self.request.user, company=self.request.company,
                                  **{self.row_argument: instance})


class PartnerAddressViewSet(PartnerRowsViewSet):
    """`partners/{id}/addresses/`: invoice, delivery and other addresses; one default per kind."""

    queryset = PartnerAddress.objects.all()
    serializer_class = PartnerAddressSerializer
    filterset_fields = ["kind", "is_default"]
    create_service = details.partner_address_create
    update_service = details.partner_address_update
    delete_service = details.partner_address_delete
    row_argument = "address"


class PartnerContactViewSet(PartnerRowsViewSet):
    """`partners/{id}/contacts/`: the people at the partner; one is primary."""

    queryset = PartnerContact.objects.all()
    serializer_class = PartnerContactSerializer
    filterset_fields = ["is_primary"]
    create_service = details.partner_contact_create
    update_service = details.partner_contact_update
    delete_service = details.partner_contact_delete
    row_argument = "contact"


class PartnerBankAccountViewSet(PartnerRowsViewSet):
    """`partners/{id}/bank-accounts/`: where the partner is paid or pays from; one is the default."""

    queryset = PartnerBankAccount.objects.all()
    serializer_class = PartnerBankAccountSerializer
    filterset_fields = ["is_default", "currency"]
    create_service = details.partner_bank_account_create
    update_service = details.partner_bank_account_update
    delete_service = details.partner_bank_account_delete
    row_argument = "bank_account"

"""The partners API: customers and suppliers at `partners/`, payment terms at `partners/payment-terms/`.

Writes go through the partner services, so the API refuses what the screens refuse: an invalid
unified social credit code, another company's payment term, a likely duplicate (409
`possible_duplicate` until the client resends with `"allow_duplicate": true`), deleting a partner
that is in use.
"""

from tessera.core.api.base import RecordViewSet
from tessera.core.api.collaboration import RecordExtrasMixin

from ..models import Partner, PaymentTerm
from ..selectors import partner_list, payment_term_list
from ..services import (
    partner_create,
    partner_delete,
    partner_update,
    payment_term_create,
    payment_term_delete,
    payment_term_update,
)
from .serializers import PartnerSerializer, PaymentTermSerializer


class PartnerViewSet(RecordExtrasMixin, RecordViewSet):
    """`partners/`: customers and suppliers of the request's company."""

    module = "masterdata"
    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    lookup_value_regex = r"\d+"  # the collection is the router's root: keep `payment-terms/` out of the ids
    filterset_fields = ["is_customer", "is_supplier", "is_active", "country", "payment_term", "currency"]
    search_fields = ["code", "name", "tax_id"]
    ordering_fields = ["code", "name", "country"]
    ordering = ["code"]

    def select(self):
        return partner_list(self.request.user, self.request.company)

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

"""Serializers of the partners API (API.md `partners/`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.base import ModelSerializer

from ..models import Partner, PaymentTerm


class PaymentTermSerializer(ModelSerializer):
    class Meta:
        model = PaymentTerm
        fields = ["id", "company", "code", "name", "basis", "days", "discount_percent", "discount_days", "is_active"]
        validators = []  # (company, code) is unique: the service checks it with the company set


class PartnerSerializer(ModelSerializer):
    payment_term_display = serializers.CharField(source="payment_term.name", read_only=True, default=None)
    allow_duplicate = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text=_("Save even though a partner with the same tax id or a near-identical name exists "
                    "(the first attempt answers 409 possible_duplicate listing them)."),
    )

    class Meta:
        model = Partner
        fields = ["id", "company", "code", "name", "is_customer", "is_supplier", "country", "tax_id", "address",
                  "contact_name", "phone", "email", "currency", "payment_term", "payment_term_display",
                  "credit_limit", "bank_name", "bank_account", "notes", "is_active", "allow_duplicate"]
        validators = []  # (company, code) is unique: the service checks it with the company set

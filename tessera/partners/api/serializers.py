"""Serializers of the partners API (API.md `partners/`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.base import ModelSerializer

from ..models import Partner, PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag, PaymentTerm


class PaymentTermSerializer(ModelSerializer):
    class Meta:
        model = PaymentTerm
        fields = ["id", "company", "code", "name", "basis", "days", "discount_percent", "discount_days", "is_active"]
        validators = []  # (company, code) is unique: the service checks it with the company set


class PartnerTagSerializer(ModelSerializer):
    class Meta:
        model = PartnerTag
        fields = ["id", "company", "name", "colour"]
        validators = []  # the name is unique per company: the service checks it with the company set


class PartnerAddressSerializer(ModelSerializer):
    formatted = serializers.CharField(read_only=True, help_text=_("The address as printed on documents."))

    class Meta:
        model = PartnerAddress
        fields = ["id", "partner", "kind", "name", "street", "city", "province", "postal_code", "country",
                  "is_default", "formatted"]
        read_only_fields = ["partner"]


class PartnerContactSerializer(ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["id", "partner", "name", "job_title", "phone", "mobile", "email", "is_primary", "notes"]
        read_only_fields = ["partner"]


class PartnerBankAccountSerializer(ModelSerializer):
    class Meta:
        model = PartnerBankAccount
        fields = ["id", "partner", "bank_name", "branch", "account_number", "account_holder", "swift_bic", "currency",
                  "is_default"]
        read_only_fields = ["partner"]
        validators = []  # (partner, account number) is unique: the service compares normalised numbers


class PartnerSerializer(ModelSerializer):
    payment_term_display = serializers.CharField(source="payment_term.name", read_only=True, default=None)
    allow_duplicate = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text=_("Save even though a partner with the same tax id or a near-identical name exists "
                    "(the first attempt answers 409 possible_duplicate listing them)."),
    )
    tags = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=PartnerTag.objects.all(),
        help_text=_("Ids of the company's partner tags; sent, they replace the partner's tags."),
    )
    tags_display = PartnerTagSerializer(source="tags", many=True, read_only=True)
    addresses = PartnerAddressSerializer(many=True, read_only=True,
                                         help_text=_("Written at partners/{id}/addresses/."))
    contacts = PartnerContactSerializer(many=True, read_only=True, help_text=_("Written at partners/{id}/contacts/."))
    bank_accounts = PartnerBankAccountSerializer(many=True, read_only=True,
                                                 help_text=_("Written at partners/{id}/bank-accounts/."))

    class Meta:
        model = Partner
        fields = ["id", "company", "code", "name", "is_customer", "is_supplier", "country", "tax_id", "address",
                  "contact_name", "phone", "email", "currency", "payment_term", "payment_term_display",
                  "credit_limit", "bank_name", "bank_account", "notes", "is_active", "tags", "tags_display",
                  "addresses", "contacts", "bank_accounts", "allow_duplicate"]
        validators = []  # (company, code) is unique: the service checks it with the company set
        extra_kwargs = {
            "address": {"help_text": _("The main (default invoice) address; writing it changes that address.")},
            "contact_name": {"help_text": _("The primary contact's name; writing it changes that contact.")},
            "bank_account": {"help_text": _("The default bank account's number; writing it changes that account.")},
        }

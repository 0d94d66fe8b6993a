"""Serializers of the accounting API (API.md `accounting/`): ledger set-up and journal entries."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tessera.core.api.base import SERVER_SET_FIELDS, ModelSerializer, Serializer

from ..models import Account, CostCenter, FiscalYear, Journal, JournalEntry, JournalEntryLine, Period, Tax

# --- Set-up ------------------------------------------------------------------------------------


class AccountSerializer(ModelSerializer):
    is_leaf = serializers.SerializerMethodField(help_text=_("Only leaf accounts (without sub-accounts) take postings."))

    class Meta:
        model = Account
        fields = ["id", "company", "code", "name", "name_en", "parent", "type", "role", "is_reconcilable", "currency",
                  "cash_flow_category", "is_active", "is_leaf"]
        validators = []  # (company, code) is unique: the service checks it with the company set

    def get_is_leaf(self, account) -> bool:
        has_children = getattr(account, "has_children", None)  # annotated by the list query
        return not (account.children.exists() if has_children is None else has_children)


class JournalSerializer(ModelSerializer):
    class Meta:
        model = Journal
        fields = ["id", "company", "code", "name", "kind", "sequence_code", "default_account", "is_active"]
        validators = []


class TaxSerializer(ModelSerializer):
    class Meta:
        model = Tax
        fields = ["id", "company", "name", "kind", "rate", "price_included", "is_exempt", "account", "is_active"]
        validators = []


class CostCenterSerializer(ModelSerializer):
    class Meta:
        model = CostCenter
        fields = ["id", "company", "code", "name", "is_active"]
        validators = []


class FiscalYearSerializer(ModelSerializer):
    class Meta:
        model = FiscalYear
        fields = ["id", "company", "name", "start_on", "end_on", "state", "closing_entry"]
        read_only_fields = fields


class FiscalYearCreateSerializer(Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2999, help_text=_(
        "The calendar year in which the fiscal year starts; its twelve monthly periods are opened with it."))


class PeriodSerializer(ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "company", "fiscal_year", "name", "start_on", "end_on", "state"]
        read_only_fields = fields


# --- Journal entries ---------------------------------------------------------------------------

# Set by posting: sending any of them is refused, so a client learns instead of being ignored.
ENTRY_SERVER_SET_FIELDS = (*SERVER_SET_FIELDS, "period", "total_debit", "total_credit", "hash", "previous_hash",
                           "chain_index", "posted_at", "posted_by", "reversal_of", "reversed_by", "source")


class EntryLineSerializer(ModelSerializer):
    account_code = serializers.CharField(source="account.code", read_only=True)

    class Meta:
        model = JournalEntryLine
        fields = ["id", "account", "account_code", "partner", "description", "debit", "credit", "currency",
                  "amount_currency", "cost_center"]


class EntrySerializer(ModelSerializer):
    server_set_fields = ENTRY_SERVER_SET_FIELDS
    lines = EntryLineSerializer(many=True, help_text=_("On PATCH, lines sent replace all the lines of the draft."))
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "On PATCH, send the version you read: the change is refused (409) if someone saved the entry meanwhile."))
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = JournalEntry
        fields = ["id", "company", "journal", "number", "date", "reference", "description", "state", "period",
                  "total_debit", "total_credit", "reversal_of", "reversed_by", "source", "posted_at", "posted_by",
                  "chain_index", "previous_hash", "hash", "version", "lines"]
        read_only_fields = ["period", "total_debit", "total_credit", "reversal_of", "source", "posted_at",
                            "posted_by", "chain_index", "previous_hash", "hash"]
        validators = []

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, entry) -> int | None:
        reversal = getattr(entry, "reversed_by", None)
        return reversal.pk if reversal is not None else None

    def validate_version(self, value):
        if self.instance is None:
            raise serializers.ValidationError(_("Send the version only when changing an entry."))
        return value


class EntryReverseSerializer(Serializer):
    date = serializers.DateField(required=False, help_text=_("Date of the reversing entry (default: today); "
                                                             "it must fall in an open period."))
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)

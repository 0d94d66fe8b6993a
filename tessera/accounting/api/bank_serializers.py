"""Serializers of the bank API (views in bank.py): bank accounts, the import and its preview, the
reconciliation statement, statements and their lines, the reconciliation actions' input, suggestions."""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.base import DecimalField, ModelSerializer, Serializer

from ..models import Account, BankAccount, BankMatch, BankStatement, BankStatementLine
from ..models.ledger import MONEY
from ..services.bank import line_amount
from ..services.bank_csv import MAX_FILE_SIZE


class BankAccountSerializer(ModelSerializer):
    server_set_fields = ("company", "statement_mapping", "journal_code", "account_code", "unreconciled")
    account = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.all(), required=False, allow_null=True, help_text=_(
            "The ledger account (a leaf) the statements are reconciled against. On creation, leave it out to "
            "get a new sub-account of `parent` (default: the company's bank account, 1002 银行存款)."))
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.all(), required=False, allow_null=True, write_only=True,
        help_text=_("On creation: the account the new sub-account goes under."))
    account_code = serializers.CharField(source="journal.default_account.code", read_only=True)
    journal_code = serializers.CharField(source="journal.code", read_only=True)
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    unreconciled = serializers.IntegerField(read_only=True, source="unreconciled_count", default=0,
                                            help_text=_("Statement lines left to reconcile."))

    class Meta:
        model = BankAccount
        fields = ["id", "company", "name", "bank_name", "account_number", "currency", "currency_code", "journal",
                  "journal_code", "account", "account_code", "parent", "statement_mapping", "is_active",
                  "unreconciled"]
        read_only_fields = ["statement_mapping"]
        extra_kwargs = {
            "currency": {"required": False, "help_text": _("Default: the ledger account's, else the company's.")},
            "journal": {"required": False, "help_text": _(
                "A bank journal to take; default: the free bank journal of the account, else a new one.")},
        }
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["account"] = instance.journal.default_account_id
        return data


class BankImportSerializer(Serializer):
    file = serializers.FileField(help_text=_("The statement as CSV (UTF-8 or GBK), at most 5 MB."))
    mapping = serializers.JSONField(required=False, help_text=_(
        "Which column holds what, by header text: date, amount (signed) or withdrawal and deposit, direction, "
        "reference, description (one or a list), partner_name, partner_account, balance; and date_format "
        "(a strptime format or auto), decimal_separator, thousands_separator, encoding, delimiter, header_row. "
        "Default: the bank account's saved mapping when it fits the file, else a guess from the headers."))
    dry_run = serializers.BooleanField(default=False, help_text=_("true: only preview, write nothing."))
    opening_balance = DecimalField(required=False, allow_null=True, **MONEY)
    closing_balance = DecimalField(required=False, allow_null=True, **MONEY)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate_mapping(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise serializers.ValidationError(_("Send the mapping as a JSON object.")) from None
        if value is not None and not isinstance(value, dict):
            raise serializers.ValidationError(_("Send the mapping as a JSON object."))
        return value or None

    def validate_file(self, value):
        if value.size > MAX_FILE_SIZE:
            raise serializers.ValidationError(_("The file is larger than %(size)s MB: split the statement.")
                                              % {"size": MAX_FILE_SIZE // (1024 * 1024)})
        return value


class BankImportRowSerializer(Serializer):
    row = serializers.IntegerField(source="parsed.row", help_text=_("The row's number in the file (1 = first line)."))
    status = serializers.ChoiceField(choices=["new", "duplicate", "skipped", "error"])
    message = serializers.CharField()
    date = serializers.DateField(source="parsed.date", allow_null=True)
    amount = DecimalField(source="parsed.amount", allow_null=True, **MONEY)
    reference = serializers.CharField(source="parsed.reference")
    description = serializers.CharField(source="parsed.description")
    partner_name = serializers.CharField(source="parsed.partner_name")
    partner_account = serializers.CharField(source="parsed.partner_account")
    balance = DecimalField(source="parsed.balance", allow_null=True, **MONEY)
    partner = serializers.IntegerField(source="partner.pk", allow_null=True, default=None)


class BankImportPreviewSerializer(Serializer):
    filename = serializers.CharField()
    encoding = serializers.CharField(source="parsed.encoding")
    delimiter = serializers.CharField(source="parsed.delimiter")
    header_row = serializers.IntegerField(source="parsed.header_row")
    headers = serializers.ListField(child=serializers.CharField(), source="parsed.headers")
    mapping = serializers.DictField(source="parsed.mapping")
    mapping_source = serializers.ChoiceField(source="parsed.mapping_source", choices=["given", "saved", "guessed"])
    mapping_errors = serializers.DictField(source="parsed.mapping_errors", child=serializers.ListField(
        child=serializers.CharField()))
    rows = BankImportRowSerializer(many=True)
    errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    start_on = serializers.DateField(allow_null=True)
    end_on = serializers.DateField(allow_null=True)
    opening_balance = DecimalField(allow_null=True, **MONEY)
    closing_balance = DecimalField(allow_null=True, **MONEY)
    total_in = DecimalField(**MONEY)
    total_out = DecimalField(**MONEY)
    new = serializers.SerializerMethodField()
    duplicates = serializers.SerializerMethodField()
    can_import = serializers.BooleanField()

    def get_new(self, preview) -> int:
        return preview.count("new")

    def get_duplicates(self, preview) -> int:
        return preview.count("duplicate")


class BankReconciliationQuerySerializer(Serializer):
    date = serializers.DateField(required=False, help_text=_("As of this day (default: today)."))
    format = serializers.ChoiceField(choices=["json", "csv", "xlsx", "pdf"], default="json")


class BankReconciliationItemSerializer(Serializer):
    date = serializers.DateField()
    reference = serializers.CharField()
    description = serializers.CharField()
    amount = DecimalField(**MONEY, help_text=_("Signed: money in positive."))
    statement_line = serializers.IntegerField(allow_null=True)
    journal_line = serializers.IntegerField(allow_null=True)
    entry = serializers.IntegerField(allow_null=True)


class BankReconciliationSerializer(Serializer):
    bank_account = serializers.IntegerField(source="bank_account.pk")
    date = serializers.DateField()
    currency = serializers.CharField()
    ledger_balance = DecimalField(**MONEY)
    bank_balance = DecimalField(**MONEY)
    bank_balance_source = serializers.CharField()
    bank_not_in_books = BankReconciliationItemSerializer(many=True)
    books_not_in_bank = BankReconciliationItemSerializer(many=True)
    received_not_booked = DecimalField(**MONEY)
    paid_not_booked = DecimalField(**MONEY)
    booked_not_received = DecimalField(**MONEY)
    booked_not_paid = DecimalField(**MONEY)
    adjusted_book_balance = DecimalField(**MONEY)
    adjusted_bank_balance = DecimalField(**MONEY)
    difference = DecimalField(**MONEY)
    ignored_total = DecimalField(**MONEY)


class BankLedgerLineSerializer(Serializer):
    id = serializers.IntegerField(source="pk")
    entry = serializers.IntegerField(source="entry_id")
    number = serializers.CharField(source="entry.number")
    date = serializers.DateField()
    description = serializers.CharField()
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    amount = serializers.SerializerMethodField(help_text=_("As the bank sees it: debit positive."))
    matched = serializers.SerializerMethodField()

    def get_amount(self, line) -> str:
        return DecimalField(**MONEY).to_representation(line_amount(line, self.context["foreign"]))

    def get_matched(self, line) -> bool:
        return hasattr(line, "bank_match")


class BankLedgerLinesQuerySerializer(Serializer):
    unmatched = serializers.BooleanField(default=True)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class BankMatchSerializer(ModelSerializer):
    entry = serializers.IntegerField(source="journal_line.entry_id", read_only=True)
    entry_number = serializers.CharField(source="journal_line.entry.number", read_only=True)
    date = serializers.DateField(source="journal_line.date", read_only=True)
    description = serializers.CharField(source="journal_line.description", read_only=True)

    class Meta:
        model = BankMatch
        fields = ["id", "journal_line", "entry", "entry_number", "date", "description", "created_entry"]
        read_only_fields = fields


class BankStatementLineSerializer(ModelSerializer):
    matches = BankMatchSerializer(many=True, read_only=True)
    # Plain text in the schema: an enum named "state" would collide with the other documents' states.
    state = serializers.CharField(read_only=True, help_text=_("unreconciled, reconciled or ignored."))
    partner_display = serializers.CharField(source="partner.name", read_only=True, default=None)

    class Meta:
        model = BankStatementLine
        fields = ["id", "company", "statement", "bank_account", "sequence", "date", "amount", "reference",
                  "description", "partner_name", "partner_account", "partner", "partner_display", "balance", "state",
                  "reconciled_at", "reconciled_by", "version", "matches"]
        read_only_fields = fields


class BankStatementSerializer(ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=_("open, or reconciled once no line is left unreconciled."))
    lines_count = serializers.IntegerField(read_only=True, default=0)
    unreconciled = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = BankStatement
        fields = ["id", "company", "bank_account", "name", "date", "start_on", "end_on", "opening_balance",
                  "closing_balance", "filename", "state", "imported_at", "imported_by", "lines_count",
                  "unreconciled"]
        read_only_fields = fields


class BankStatementDetailSerializer(BankStatementSerializer):
    lines = BankStatementLineSerializer(many=True, read_only=True)

    class Meta(BankStatementSerializer.Meta):
        fields = [*BankStatementSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class BankLineVersionSerializer(Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "The version you read: refused (409) when someone changed the line meanwhile."))


class BankLineMatchSerializer(BankLineVersionSerializer):
    lines = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, help_text=_(
        "Ids of posted ledger lines of the bank's ledger account whose amounts add up to the statement line's."))


class BankLineCreateEntrySerializer(BankLineVersionSerializer):
    account = serializers.IntegerField(help_text=_("The counterpart account (bank charges, interest, ...)."))
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)
    partner = serializers.IntegerField(required=False, allow_null=True)
    cost_center = serializers.IntegerField(required=False, allow_null=True)
    tax = serializers.IntegerField(required=False, allow_null=True, help_text=_(
        "A tax included in the amount: its part goes to the tax's account."))


class BankLineAllocationSerializer(Serializer):
    invoice = serializers.IntegerField()
    amount = DecimalField(required=False, allow_null=True, **MONEY, help_text=_(
        "Default: what the invoice still owes, up to what is left of the line."))


class BankLineCreatePaymentSerializer(BankLineVersionSerializer):
    partner = serializers.IntegerField()
    allocations = BankLineAllocationSerializer(many=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    writeoff_account = serializers.IntegerField(required=False, allow_null=True)
    writeoff_amount = DecimalField(required=False, allow_null=True, **MONEY)


class BankLineUnmatchSerializer(BankLineVersionSerializer):
    date = serializers.DateField(required=False, help_text=_(
        "Date of the reversal of an entry written from the line (default: the entry's date)."))


class BankLineSuggestionSerializer(Serializer):
    kind = serializers.ChoiceField(choices=["ledger", "invoice"], help_text=_(
        "ledger: match `lines`; invoice: create the payment of `invoice`."))
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    why = serializers.CharField()
    date = serializers.DateField()
    amount = DecimalField(**MONEY)
    label = serializers.CharField()
    description = serializers.CharField()
    lines = serializers.SerializerMethodField()
    invoice = serializers.IntegerField(source="invoice.pk", allow_null=True, default=None)
    partner = serializers.IntegerField(source="partner.pk", allow_null=True, default=None)
    partner_name = serializers.CharField(source="partner.name", allow_null=True, default=None)

    def get_lines(self, suggestion) -> list[int]:
        return [line.pk for line in suggestion.lines]


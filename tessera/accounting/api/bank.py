"""Bank accounts, statements and reconciliation (API.md conventions) at /api/v1/accounting/:

    bank-accounts/                          CRUD (DELETE only without statements)
    bank-accounts/{id}/import/              POST multipart `file`, `mapping` (JSON), `dry_run`, balances
    bank-accounts/{id}/reconciliation/      GET ?date= (&format=csv|xlsx|pdf): 银行存款余额调节表
    bank-accounts/{id}/ledger-lines/        GET the bank ledger account's posted lines (?unmatched=true)
    bank-statements/                        list, detail (with lines), DELETE while no line is reconciled
    bank-statements/{id}/auto-match/        POST
    bank-statement-lines/                   list (?bank_account=&statement=&state=), detail
    bank-statement-lines/{id}/suggestions/  GET
    bank-statement-lines/{id}/match/, create-entry/, create-payment/, ignore/, unignore/, unmatch/   POST

Every write goes through services.bank, bank_import and bank_reconcile; the reconciliation actions
need accounting.reconcile_bankaccount (403 with the reason otherwise), a state that forbids them 409.
"""

import json

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from tessera.core.api.base import (
    DecimalField,
    ModelSerializer,
    ReadOnlyViewSet,
    RecordViewSet,
    Serializer,
    idempotent,
)
from tessera.core.exports import export_response
from tessera.core.services import idempotency

from ..models import Account, BankAccount, BankMatch, BankStatement, BankStatementLine, JournalEntryLine
from ..models.ledger import MONEY
from ..reports_bank import bank_reconciliation, bank_reconciliation_table
from ..services.bank import (
    RECONCILE_PERMISSION,
    bank_account_create,
    bank_account_delete,
    bank_account_update,
    is_foreign,
    line_amount,
    statement_delete,
)
from ..services.bank_csv import MAX_FILE_SIZE, file_hash
from ..services.bank_import import IMPORT_PERMISSION, statement_import, statement_import_preview
from ..services.bank_matching import statement_line_suggestions, unmatched_ledger_lines
from ..services.bank_reconcile import (
    statement_auto_match,
    statement_line_create_entry,
    statement_line_create_payment,
    statement_line_ignore,
    statement_line_match,
    statement_line_unignore,
    statement_line_unmatch,
)

FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description=_("With ?format=csv, xlsx or pdf: the file."))


# --- Bank accounts -------------------------------------------------------------------------------

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


class BankAccountFilter(django_filters.FilterSet):
    class Meta:
        model = BankAccount
        fields = ["is_active", "currency"]


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


# --- Statements and their lines ------------------------------------------------------------------

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


LINES_PREFETCH = Prefetch("lines", queryset=BankStatementLine.objects.prefetch_related(
    "matches__journal_line__entry").select_related("partner").order_by("sequence", "pk"))


def statements():
    return BankStatement.objects.annotate(
        lines_count=Count("lines"), unreconciled=Count("lines", filter=Q(lines__state="unreconciled")))


def statement_payload(statement: BankStatement) -> dict:
    """The statement's detail, with what its import skipped and warned about."""
    data = BankStatementDetailSerializer(statements().prefetch_related(LINES_PREFETCH).get(pk=statement.pk)).data
    data["duplicates_skipped"] = getattr(statement, "import_duplicates", 0)
    data["warnings"] = getattr(statement, "import_warnings", [])
    return data


class BankAccountViewSet(RecordViewSet):
    """`accounting/bank-accounts/`: the company's bank accounts, their statement import and reconciliation."""

    module = "accounting"
    queryset = BankAccount.objects.select_related("currency", "journal__default_account").annotate(
        unreconciled_count=Count("statement_lines", filter=Q(statement_lines__state="unreconciled")))
    serializer_class = BankAccountSerializer
    filterset_class = BankAccountFilter
    search_fields = ["name", "bank_name", "account_number"]
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]
    permission_map = {"import_statement": IMPORT_PERMISSION, "reconciliation": "accounting.view_bankaccount",
                      "ledger_lines": "accounting.view_bankaccount"}

    def perform_create(self, serializer):
        created = bank_account_create(actor=self.request.user, company=self.request.company,
                                      data=dict(serializer.validated_data))
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_update(self, serializer):
        updated = bank_account_update(actor=self.request.user, bank_account=serializer.instance,
                                      data=dict(serializer.validated_data), company=self.request.company)
        serializer.instance = self.get_queryset().get(pk=updated.pk)

    def perform_destroy(self, instance):
        bank_account_delete(actor=self.request.user, bank_account=instance, company=self.request.company)

    @extend_schema(operation_id="accounting_bank_accounts_import",
                   request={"multipart/form-data": BankImportSerializer},
                   responses={200: BankImportPreviewSerializer, 201: BankStatementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="import", url_name="import",
            parser_classes=[MultiPartParser, FormParser])
    def import_statement(self, request, pk=None):
        """Import a CSV statement: `dry_run=true` answers the preview (every row read or its error, the
        balances, warnings and the mapping used) and writes nothing; otherwise 201 with the statement.
        400 for bad rows (`rows.<n>`) or a mapping that does not fit (`mapping.<key>`), nothing written;
        409 `duplicate_file` (the same file again) or `already_imported` (no new transaction)."""
        bank_account = self.get_object()
        serializer = BankImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        upload = params.pop("file")
        content = upload.read()
        kwargs = {"actor": request.user, "bank_account": bank_account, "content": content,
                  "filename": upload.name or "", "mapping": params.get("mapping"),
                  "opening_balance": params.get("opening_balance"), "closing_balance": params.get("closing_balance")}
        if params["dry_run"]:
            return Response(BankImportPreviewSerializer(statement_import_preview(**kwargs)).data)

        def work():
            statement = statement_import(**kwargs, name=params.get("name") or "")
            return status.HTTP_201_CREATED, statement_payload(statement)

        key = request.headers.get("Idempotency-Key")
        if key is None:
            code, body = work()
            return Response(body, status=code)
        # The body is multipart: its file counts by its SHA-256.
        body = {"file": file_hash(content), **{name: str(value) if value is not None else None
                                               for name, value in params.items()}}
        outcome = idempotency.idempotency_run(user=request.user, key=key, method="POST", path=request.path,
                                              body=body, scope=request.company.code, work=work)
        response = Response(outcome.body, status=outcome.status)
        if outcome.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    import_statement.idempotent = True

    @extend_schema(operation_id="accounting_bank_accounts_reconciliation",
                   parameters=[BankReconciliationQuerySerializer],
                   responses={(200, "application/json"): BankReconciliationSerializer,
                              (200, "application/octet-stream"): FILE_RESPONSE})
    @action(detail=True, methods=["get"], url_path="reconciliation", url_name="reconciliation")
    def reconciliation(self, request, pk=None):
        """The bank reconciliation statement (银行存款余额调节表) as of `date`: the balances per books and per
        bank, what each side has that the other has not, both adjusted balances and their difference."""
        bank_account = self.get_object()
        query = BankReconciliationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = bank_reconciliation(bank_account, query.validated_data.get("date") or timezone.localdate())
        if query.validated_data["format"] != "json":
            return export_response(bank_reconciliation_table(report), query.validated_data["format"])
        return Response(BankReconciliationSerializer(report).data)

    def perform_content_negotiation(self, request, force=False):
        # `?format=csv|xlsx|pdf` asks for a file made here, not for one of DRF's renderers.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(operation_id="accounting_bank_accounts_ledger_lines", parameters=[BankLedgerLinesQuerySerializer],
                   responses={200: BankLedgerLineSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="ledger-lines", url_name="ledger-lines")
    def ledger_lines(self, request, pk=None):
        """Posted lines of the bank's ledger account, oldest first: with `unmatched=true` (the default) those
        no statement line cleared yet (the books' side of the reconciliation, and what `match` takes)."""
        bank_account = self.get_object()
        query = BankLedgerLinesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        lines = unmatched_ledger_lines(bank_account) if params["unmatched"] else (
            JournalEntryLine.objects.filter(company=bank_account.company, is_posted=True,
                                            account_id=bank_account.journal.default_account_id)
            .select_related("entry", "bank_match").order_by("date", "pk"))
        if params.get("date_from"):
            lines = lines.filter(date__gte=params["date_from"])
        if params.get("date_to"):
            lines = lines.filter(date__lte=params["date_to"])
        context = {"foreign": is_foreign(bank_account)}
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(BankLedgerLineSerializer(page, many=True, context=context).data)


class BankStatementFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = BankStatement
        fields = ["bank_account", "state"]


class BankStatementViewSet(mixins.DestroyModelMixin, ReadOnlyViewSet):
    """`accounting/bank-statements/`: imported statements (`/{id}/` with their lines)."""

    module = "accounting"
    queryset = BankStatement.objects.all()
    serializer_class = BankStatementSerializer
    filterset_class = BankStatementFilter
    search_fields = ["name", "filename"]
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    permission_map = {"auto_match": RECONCILE_PERMISSION}

    def select(self):
        queryset = statements().select_related("bank_account")
        return queryset.prefetch_related(LINES_PREFETCH) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return BankStatementDetailSerializer if self.action in ("retrieve", "auto_match") else BankStatementSerializer

    def perform_destroy(self, instance):
        statement_delete(actor=self.request.user, statement=instance, company=self.request.company)

    @extend_schema(operation_id="accounting_bank_statements_auto_match", request=None,
                   responses={200: BankStatementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="auto-match", url_name="auto-match")
    @idempotent
    def auto_match(self, request, pk=None):
        """Match every unreconciled line that has exactly one exact ledger candidate, wanted by no other line,
        whose reference is in the line's text or whose date is within 3 days. Answers the statement with
        `matched`: the ids of the lines matched."""
        matched = statement_auto_match(actor=request.user, statement=self.get_object())
        data = BankStatementDetailSerializer(self.select().prefetch_related(LINES_PREFETCH).get(pk=pk)).data
        return Response({**data, "matched": [line.pk for line in matched]})


class BankStatementLineFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = BankStatementLine
        fields = ["bank_account", "statement", "state", "partner"]


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


def _schema(name, request, summary):
    return extend_schema(operation_id=f"accounting_bank_statement_lines_{name}", request=request,
                         responses={200: BankStatementLineSerializer}, summary=summary)


class BankStatementLineViewSet(ReadOnlyViewSet):
    """`accounting/bank-statement-lines/`: the transactions of the statements, and the reconciliation actions."""

    module = "accounting"
    queryset = BankStatementLine.objects.all()
    serializer_class = BankStatementLineSerializer
    filterset_class = BankStatementLineFilter
    search_fields = ["reference", "description", "partner_name"]
    ordering_fields = ["date", "amount", "id"]
    ordering = ["date", "sequence", "id"]
    permission_map = {name: RECONCILE_PERMISSION for name in (
        "match", "create_entry", "create_payment", "ignore", "unignore", "unmatch")}
    permission_map["suggestions"] = "accounting.view_bankstatementline"

    def select(self):
        return BankStatementLine.objects.select_related("partner").prefetch_related("matches__journal_line__entry")

    def _answer(self, line):
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(operation_id="accounting_bank_statement_lines_suggestions",
                   responses={200: BankLineSuggestionSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="suggestions", url_name="suggestions", pagination_class=None)
    def suggestions(self, request, pk=None):
        """Ways to reconcile the line, best first, each with its score and why: ledger lines of the same
        amount near its date, open invoices of the counterparty of the same amount."""
        return Response(BankLineSuggestionSerializer(statement_line_suggestions(self.get_object()), many=True).data)

    @_schema("match", BankLineMatchSerializer, _("Match the line with ledger lines"))
    @action(detail=True, methods=["post"], url_path="match", url_name="match")
    @idempotent
    def match(self, request, pk=None):
        """Clear the line with posted ledger lines of the bank's account adding up to its amount. 409
        `amount_mismatch`, `already_matched`, `invalid_state`; 400 for lines of another account."""
        data = self._input(BankLineMatchSerializer)
        return self._answer(statement_line_match(actor=request.user, line=self.get_object(), lines=data["lines"],
                                                 version=data.get("version")))

    @_schema("create_entry", BankLineCreateEntrySerializer, _("Write an entry for the line and match it"))
    @action(detail=True, methods=["post"], url_path="create-entry", url_name="create-entry")
    @idempotent
    def create_entry(self, request, pk=None):
        """Post an entry in the bank's journal on the line's date against `account` (bank charges, interest,
        transfers) and match it. 409 `period_closed`."""
        data = self._input(BankLineCreateEntrySerializer)
        version = data.pop("version", None)
        return self._answer(statement_line_create_entry(actor=request.user, line=self.get_object(), data=data,
                                                        version=version))

    @_schema("create_payment", BankLineCreatePaymentSerializer, _("Register the payment of the line and match it"))
    @action(detail=True, methods=["post"], url_path="create-payment", url_name="create-payment")
    @idempotent
    def create_payment(self, request, pk=None):
        """Post a receipt (money in) or disbursement (money out) of `partner` on the line's date, allocated to
        `allocations`, and match it; the invoices paid become paid. 409 `period_closed`."""
        data = self._input(BankLineCreatePaymentSerializer)
        version = data.pop("version", None)
        if "allocations" in data:
            data["allocations"] = [dict(item) for item in data["allocations"]]
        return self._answer(statement_line_create_payment(actor=request.user, line=self.get_object(), data=data,
                                                          version=version))

    @_schema("ignore", BankLineVersionSerializer, _("Leave the line out of the reconciliation"))
    @action(detail=True, methods=["post"], url_path="ignore", url_name="ignore")
    @idempotent
    def ignore(self, request, pk=None):
        data = self._input(BankLineVersionSerializer)
        return self._answer(statement_line_ignore(actor=request.user, line=self.get_object(), **data))

    @_schema("unignore", BankLineVersionSerializer, _("Put an ignored line back among the unreconciled"))
    @action(detail=True, methods=["post"], url_path="unignore", url_name="unignore")
    @idempotent
    def unignore(self, request, pk=None):
        data = self._input(BankLineVersionSerializer)
        return self._answer(statement_line_unignore(actor=request.user, line=self.get_object(), **data))

    @_schema("unmatch", BankLineUnmatchSerializer, _("Undo the line's reconciliation"))
    @action(detail=True, methods=["post"], url_path="unmatch", url_name="unmatch")
    @idempotent
    def unmatch(self, request, pk=None):
        """Delete the line's matches; an entry written from it is reversed, a payment registered from it
        cancelled. 409 `period_closed` (send another `date`)."""
        data = self._input(BankLineUnmatchSerializer)
        return self._answer(statement_line_unmatch(actor=request.user, line=self.get_object(), **data))


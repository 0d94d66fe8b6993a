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

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from tessera.core.api.base import ReadOnlyViewSet, RecordViewSet, idempotent
from tessera.core.exports import export_response
from tessera.core.services import idempotency

from ..models import BankAccount, BankStatement, BankStatementLine, JournalEntryLine
from ..reports_bank import bank_reconciliation, bank_reconciliation_table
from ..services.bank import (
    RECONCILE_PERMISSION,
    bank_account_create,
    bank_account_delete,
    bank_account_update,
    is_foreign,
    statement_delete,
)
from ..services.bank_csv import file_hash
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
from .bank_serializers import (
    BankAccountSerializer,
    BankImportPreviewSerializer,
    BankImportSerializer,
    BankLedgerLineSerializer,
    BankLedgerLinesQuerySerializer,
    BankLineCreateEntrySerializer,
    BankLineCreatePaymentSerializer,
    BankLineMatchSerializer,
    BankLineSuggestionSerializer,
    BankLineUnmatchSerializer,
    BankLineVersionSerializer,
    BankReconciliationQuerySerializer,
    BankReconciliationSerializer,
    BankStatementDetailSerializer,
    BankStatementLineSerializer,
    BankStatementSerializer,
)

FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description=_("With ?format=csv, xlsx or pdf: the file."))


# --- Bank accounts -------------------------------------------------------------------------------


class BankAccountFilter(django_filters.FilterSet):
    class Meta:
        model = BankAccount
        fields = ["is_active", "currency"]


# --- Statements and their lines ------------------------------------------------------------------


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


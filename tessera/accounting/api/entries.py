"""Journal entries (vouchers): drafts with nested lines, `/post/` and `/reverse/` (API.md `accounting/entries/`).

Drafts are created and changed through services.ledger; a posted entry answers 409 to PATCH and
DELETE and is corrected only by `/reverse/`. Posting answers 409 `unbalanced_entry` or
`period_closed` when the ledger refuses it.
"""

import django_filters
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tessera.core.api.base import RecordViewSet, idempotent
from tessera.core.api.collaboration import RecordExtrasMixin

from ..models import JournalEntry, JournalEntryLine
from ..services.ledger import entry_create, entry_delete, entry_post, entry_reverse, entry_update
from .serializers import EntryReverseSerializer, EntrySerializer


class EntryFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text=_("Entries on or after."))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text=_("Entries on or before."))
    account = django_filters.NumberFilter(method="filter_line", help_text=_("Entries with a line on this account."))
    partner = django_filters.NumberFilter(method="filter_line", help_text=_("Entries with a line for this partner."))

    class Meta:
        model = JournalEntry
        fields = ["state", "journal", "period"]

    def filter_line(self, queryset, name, value):
        lines = JournalEntryLine.objects.filter(entry=OuterRef("pk"), **{f"{name}_id": value})
        return queryset.filter(Exists(lines))


def _line_data(lines) -> list[dict]:
    return [dict(line) for line in lines]


class EntryViewSet(RecordExtrasMixin, RecordViewSet):
    """`accounting/entries/`: journal entries with their `lines`; DELETE removes drafts only."""

    module = "accounting"
    queryset = JournalEntry.objects.select_related("reversed_by").prefetch_related(
        Prefetch("lines", queryset=JournalEntryLine.objects.select_related("account").order_by("sequence", "pk"))
    )
    serializer_class = EntrySerializer
    filterset_class = EntryFilter
    search_fields = ["number", "reference", "description"]
    ordering_fields = ["date", "number", "id"]
    ordering = ["-date", "-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        lines = _line_data(data.pop("lines"))
        serializer.instance = entry_create(actor=self.request.user, company=self.request.company, data=data,
                                           lines=lines)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        lines = data.pop("lines", None)
        version = data.pop("version", None)
        serializer.instance = entry_update(actor=self.request.user, entry=serializer.instance, data=data,
                                           lines=_line_data(lines) if lines is not None else None, version=version)

    def perform_destroy(self, instance):
        entry_delete(actor=self.request.user, entry=instance)

    def _answer(self, entry, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data, status=status_code)

    @extend_schema(operation_id="accounting_entries_post", request=None, responses={200: EntrySerializer})
    @action(detail=True, methods=["post"], url_path="post", url_name="post", required_permission="post")
    @idempotent
    def post_entry(self, request, pk=None):
        """Post a draft: it takes its number, its period and its place in the hash chain, and never changes
        again. 409 `unbalanced_entry`, `period_closed` or `invalid_state` (already posted)."""
        return self._answer(entry_post(actor=request.user, entry=self.get_object()))

    @extend_schema(operation_id="accounting_entries_reverse", request=EntryReverseSerializer,
                   responses={201: EntrySerializer})
    @action(detail=True, methods=["post"], url_path="reverse", url_name="reverse", required_permission="reverse")
    @idempotent
    def reverse_entry(self, request, pk=None):
        """Post the reversing entry of a posted one (debits and credits swapped) and answer with it."""
        serializer = EntryReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reversal = entry_reverse(actor=request.user, entry=self.get_object(), **serializer.validated_data)
        return self._answer(reversal, status.HTTP_201_CREATED)

"""Tamper evidence: each posted entry's hash covers its content and the previous posted entry's hash.

The hash is written once, at posting, in the posting transaction (the company row lock orders the
chain). `verify_chain` recomputes every hash from the stored rows: a posted line edited in SQL, a
deleted entry or a broken link shows up as a problem.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from ..choices import EntryState
from ..models import JournalEntry, JournalEntryLine

CHUNK = 500
CENT = Decimal("0.01")


def _money(value) -> str | None:
    # One spelling whatever the database returns ("100", "100.0", "1E+2" all read "100.00").
    return None if value is None else f"{Decimal(value).quantize(CENT):f}"


def _moment(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _line_content(line: JournalEntryLine) -> list:
    return [line.sequence, line.account_id, line.partner_id, _money(line.debit), _money(line.credit),
            line.description, line.currency_id, _money(line.amount_currency), line.cost_center_id]


def entry_digest(entry: JournalEntry, previous_hash: str, lines: list[JournalEntryLine] | None = None) -> str:
    """SHA-256 over the entry's posted content, in a canonical form, chained to `previous_hash`.

    `lines` may be given (already read, in sequence order) to spare a query per entry.
    """
    if lines is None:
        lines = list(JournalEntryLine.objects.filter(entry_id=entry.pk).order_by("sequence", "pk"))
    content = {
        "company": entry.company_id, "journal": entry.journal_id, "number": entry.number,
        "date": entry.date.isoformat(), "period": entry.period_id, "reference": entry.reference,
        "description": entry.description, "reversal_of": entry.reversal_of_id, "source": entry.source,
        "chain_index": entry.chain_index, "total_debit": _money(entry.total_debit),
        "total_credit": _money(entry.total_credit), "posted_at": _moment(entry.posted_at),
        "posted_by": entry.posted_by_id, "lines": [_line_content(line) for line in lines],
        "previous": previous_hash,
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lines_of(entries: list[JournalEntry]) -> dict[int, list[JournalEntryLine]]:
    grouped: dict[int, list[JournalEntryLine]] = defaultdict(list)
    for line in JournalEntryLine.objects.filter(entry_id__in=[entry.pk for entry in entries]).order_by(
        "entry_id", "sequence", "pk"
    ):
        grouped[line.entry_id].append(line)
    return grouped


def _label(entry: JournalEntry) -> str:
    return entry.number or f"#{entry.pk}"


def verify_chain(company) -> list[str]:
    """Check every posted entry of `company` in chain order; returns the problems found (empty when intact).

    Reads the entries in chunks with their lines (two queries per chunk), so it runs on big books.
    """
    problems = []
    previous = ""
    expected_index = 1
    posted = JournalEntry.objects.filter(company=company, state=EntryState.POSTED)
    for entry in posted.filter(chain_index__isnull=True).order_by("pk"):
        problems.append(_("%(entry)s: posted but has no place in the chain") % {"entry": _label(entry)})
    chained = posted.filter(chain_index__isnull=False).order_by("chain_index")
    while chunk := list(chained.filter(chain_index__gte=expected_index)[:CHUNK]):
        lines = _lines_of(chunk)
        for entry in chunk:
            label = _label(entry)
            if entry.chain_index != expected_index:
                problems.append(_("%(entry)s: chain position %(found)s, expected %(expected)s")
                                % {"entry": label, "found": entry.chain_index, "expected": expected_index})
            if entry.previous_hash != previous:
                problems.append(_("%(entry)s: does not link to the entry before it") % {"entry": label})
            if entry_digest(entry, entry.previous_hash, lines.get(entry.pk, [])) != entry.hash:
                problems.append(_("%(entry)s: content changed after posting") % {"entry": label})
            previous = entry.hash
            expected_index = entry.chain_index + 1
    unposted = JournalEntry.objects.filter(company=company).exclude(state=EntryState.POSTED).exclude(hash="")
    for entry in unposted.order_by("pk"):
        problems.append(_("%(entry)s: has a posting hash but is not posted") % {"entry": _label(entry)})
    return problems

"""Tamper evidence: each posted entry's hash covers its content and the previous posted entry's hash."""

import hashlib
import json

from ..models import JournalEntry


def entry_digest(entry: JournalEntry, previous_hash: str) -> str:
    """SHA-256 over the entry's posted content, in a canonical form, chained to `previous_hash`."""
    lines = [
        [line.account.code, line.partner_id, str(line.debit), str(line.credit), line.description,
         line.currency.code if line.currency_id else None,
         str(line.amount_currency) if line.amount_currency is not None else None, line.cost_center_id]
        for line in entry.lines.select_related("account", "currency").order_by("sequence", "pk")
    ]
    content = {
        "company": entry.company_id, "journal": entry.journal_id, "number": entry.number,
        "date": entry.date.isoformat(), "reference": entry.reference, "description": entry.description,
        "reversal_of": entry.reversal_of_id, "source": entry.source, "chain_index": entry.chain_index,
        "total_debit": str(entry.total_debit), "total_credit": str(entry.total_credit), "lines": lines,
        "previous": previous_hash,
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def verify_chain(company) -> list[str]:
    """Every posted entry of `company` in chain order; returns the problems found (empty when intact)."""
    problems = []
    previous = ""
    expected_index = 1
    entries = JournalEntry.objects.filter(company=company, state="posted").order_by("chain_index")
    for entry in entries.iterator(chunk_size=500):
        label = entry.number or f"#{entry.pk}"
        if entry.chain_index != expected_index:
            problems.append(f"{label}: chain position {entry.chain_index}, expected {expected_index}")
        if entry.previous_hash != previous:
            problems.append(f"{label}: does not link to the entry before it")
        if entry_digest(entry, entry.previous_hash) != entry.hash:
            problems.append(f"{label}: content changed after posting")
        previous = entry.hash
        expected_index = (entry.chain_index or expected_index) + 1
    return problems

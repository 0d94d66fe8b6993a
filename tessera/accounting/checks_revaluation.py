"""The exchange revaluations' invariants for `tessera check-books` (registered on import by audit_registry):

- each revaluation has its entry, dated its date and posted, and its reversal: posted, linked to the
  entry (`reversal_of`), dated after it, the entry's lines with debit and credit swapped;
- its totals equal its lines (gain: the positive differences, loss: the negative ones), the entry's total
  is gain plus loss, and on each revalued account (and partner) the entry moves exactly the differences;
- a reversed (cancelled) revaluation is undone in the ledger: the entry's mirror is posted on its date
  and the reversal is reversed, so the revaluation's entries add up to nothing on every account;
  a posted one has no such entries.
"""

from collections import Counter, defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.core.checks_registry import register_check

from .choices import EntryState, RevaluationState
from .models import JournalEntry, Revaluation

ZERO = Decimal("0")


def _legs(entry: JournalEntry, swap: bool = False) -> Counter:
    return Counter((line.account_id, line.partner_id, line.credit if swap else line.debit,
                    line.debit if swap else line.credit) for line in entry.lines.all())


def _net(entries) -> dict[tuple, Decimal]:
    net: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        for line in entry.lines.all():
            net[(line.account_id, line.partner_id)] += line.debit - line.credit
    return net


def _entries_problems(revaluation: Revaluation, label: str) -> list[str]:
    entry, reversal = revaluation.entry, revaluation.reversal_entry
    problems = []
    if entry is None or entry.state != EntryState.POSTED or entry.date != revaluation.date:
        problems.append(_("Revaluation %(date)s: its entry is missing, not posted or not dated on its date")
                        % {"date": label})
    if reversal is None or reversal.state != EntryState.POSTED or entry is None \
            or reversal.reversal_of_id != entry.pk or reversal.date <= entry.date:
        problems.append(_("Revaluation %(date)s: its reversing entry is missing, not posted, not linked to its "
                          "entry or not dated after it") % {"date": label})
    elif _legs(entry) != _legs(reversal, swap=True):
        problems.append(_("Revaluation %(date)s: the reversing entry does not mirror the entry") % {"date": label})
    return problems


def _totals_problems(revaluation: Revaluation, label: str) -> list[str]:
    lines = list(revaluation.lines.all())
    gain = sum((line.difference for line in lines if line.difference > 0), ZERO)
    loss = -sum((line.difference for line in lines if line.difference < 0), ZERO)
    problems = []
    if (gain, loss) != (revaluation.total_gain, revaluation.total_loss):
        problems.append(_("Revaluation %(date)s: gain %(gain)s and loss %(loss)s, its lines add up to %(lines_gain)s "
                          "and %(lines_loss)s")
                        % {"date": label, "gain": revaluation.total_gain, "loss": revaluation.total_loss,
                           "lines_gain": gain, "lines_loss": loss})
    entry = revaluation.entry
    if entry is None:
        return problems
    if entry.total_debit != gain + loss:
        problems.append(_("Revaluation %(date)s: its entry totals %(total)s, gain and loss add up to %(expected)s")
                        % {"date": label, "total": entry.total_debit, "expected": gain + loss})
    expected: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        expected[(line.account_id, line.partner_id)] += line.difference
    posted = _net([entry])
    if any(posted.get(key, ZERO) != amount for key, amount in expected.items()):
        problems.append(_("Revaluation %(date)s: its entry does not post the differences of its lines")
                        % {"date": label})
    return problems


def _cancel_problems(revaluation: Revaluation, label: str, sourced: list[JournalEntry]) -> list[str]:
    entry, reversal = revaluation.entry, revaluation.reversal_entry
    if entry is None or reversal is None:
        return []
    others = [item for item in sourced if item.pk != entry.pk]
    undoing = [item for item in JournalEntry.objects.filter(reversal_of=reversal).prefetch_related("lines")]
    if revaluation.state == RevaluationState.POSTED:
        if others or undoing:
            return [_("Revaluation %(date)s is posted but entries undo it") % {"date": label}]
        return []
    if len(others) != 1 or len(undoing) != 1 or any(item.state != EntryState.POSTED for item in others + undoing) \
            or others[0].date != entry.date or _legs(others[0]) != _legs(entry, swap=True) \
            or any(_net([entry, reversal, *others, *undoing]).values()):
        return [_("Revaluation %(date)s is reversed but its entries are not undone") % {"date": label}]
    return []


def revaluations_match_entries(company) -> list[str]:
    """Each revaluation's entry and reversal exist, are posted and mirror each other; its totals equal its
    lines and its entry; a reversed one is undone in the ledger (see the module docstring)."""
    sourced: dict[str, list[JournalEntry]] = defaultdict(list)
    for entry in JournalEntry.objects.filter(company=company, source__startswith="accounting.revaluation:") \
            .prefetch_related("lines"):
        sourced[entry.source].append(entry)
    problems = []
    revaluations = (Revaluation.objects.filter(company=company).select_related("entry", "reversal_entry")
                    .prefetch_related("lines", "entry__lines", "reversal_entry__lines").order_by("date"))
    for revaluation in revaluations:
        label = revaluation.date.isoformat()
        problems += _entries_problems(revaluation, label)
        problems += _totals_problems(revaluation, label)
        problems += _cancel_problems(revaluation, label, sourced[f"accounting.revaluation:{revaluation.pk}"])
    return problems


register_check("accounting.revaluations_match_entries", revaluations_match_entries)

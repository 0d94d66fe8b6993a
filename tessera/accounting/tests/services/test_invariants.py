"""Ledger invariants over random sequences of drafts, postings, reversals and period closes and reopens.

After every sequence: posted entries balance, the ledger balances, AccountBalance equals the posted
lines, the hash chain verifies, no posted entry changed, and check-books finds nothing. A refused
operation changes nothing.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.accounting import checks
from tessera.accounting.models import AccountBalance, JournalEntry, JournalEntryLine, Period
from tessera.accounting.services.chain import verify_chain
from tessera.accounting.services.errors import PeriodClosed, UnbalancedEntry
from tessera.accounting.services.ledger import entry_create, entry_delete, entry_post, entry_reverse
from tessera.accounting.services.periods import period_close, period_reopen
from tessera.core.checks_registry import run_checks
from tessera.core.errors import InvalidState

from .helpers import ledger_state

MONTHS = st.integers(min_value=1, max_value=3)
ACCOUNTS = ("cash", "bank", "receivable", "revenue", "expense", "output_vat")
CENTS = st.integers(min_value=1, max_value=500_000)

create = st.fixed_dictionaries({
    "op": st.just("create"), "month": MONTHS, "day": st.integers(min_value=1, max_value=28),
    "debits": st.lists(st.tuples(st.sampled_from(ACCOUNTS), CENTS), min_size=1, max_size=3),
    "credit": st.sampled_from(ACCOUNTS), "off_by": st.sampled_from([0, 0, 0, 1]), "post": st.booleans(),
})
on_entry = st.fixed_dictionaries({"op": st.sampled_from(["post", "reverse", "delete"]),
                                  "pick": st.integers(min_value=0, max_value=50), "month": MONTHS})
on_period = st.fixed_dictionaries({"op": st.sampled_from(["close", "reopen"]), "month": MONTHS})
OPERATIONS = st.lists(st.one_of(create, create, on_entry, on_period), min_size=1, max_size=10)
EXPECTED = (PeriodClosed, UnbalancedEntry, InvalidState)


def _posted_snapshot(company) -> dict:
    lines = {}
    for line in JournalEntryLine.objects.filter(company=company, is_posted=True).order_by("pk").values():
        lines.setdefault(line["entry_id"], []).append(line)
    return {entry["id"]: (entry, lines.get(entry["id"])) for entry in
            JournalEntry.objects.filter(company=company, state="posted").values()}


class Runner:
    def __init__(self, ledger, actor, customer):
        self.ledger, self.actor, self.customer = ledger, actor, customer

    def _line(self, name: str, debit: Decimal, credit: Decimal) -> dict:
        account = getattr(self.ledger, name)
        line = {"account": account, "debit": str(debit), "credit": str(credit)}
        if account.role in {"receivable", "payable"}:
            line["partner"] = self.customer
        return line

    def create(self, step):
        debits = [(name, Decimal(cents) / 100) for name, cents in step["debits"]]
        total = sum((amount for _, amount in debits), Decimal("0")) + Decimal(step["off_by"]) / 100
        lines = [self._line(name, amount, Decimal("0")) for name, amount in debits]
        lines.append(self._line(step["credit"], Decimal("0"), total))
        entry = entry_create(actor=self.actor, company=self.ledger.company, lines=lines,
                             data={"journal": self.ledger.journal, "date": datetime.date(2026, step["month"],
                                                                                          step["day"])})
        if step["post"]:
            self.guarded(entry_post, actor=self.actor, entry=entry)

    def _entry(self, step):
        entries = list(JournalEntry.objects.filter(company=self.ledger.company).order_by("pk"))
        return entries[step["pick"] % len(entries)] if entries else None

    def post(self, step):
        if entry := self._entry(step):
            entry_post(actor=self.actor, entry=entry)

    def reverse(self, step):
        if entry := self._entry(step):
            entry_reverse(actor=self.actor, entry=entry, date=datetime.date(2026, step["month"], 28))

    def delete(self, step):
        if entry := self._entry(step):
            entry_delete(actor=self.actor, entry=entry)

    def _period(self, step) -> Period:
        return Period.objects.get(company=self.ledger.company, name=f"2026-{step['month']:02d}")

    def close(self, step):
        period_close(actor=self.actor, period=self._period(step))

    def reopen(self, step):
        period_reopen(actor=self.actor, period=self._period(step))

    def guarded(self, service, **kwargs) -> None:
        """Call a service; when it refuses, the books must be exactly as they were."""
        before = ledger_state(self.ledger.company)
        try:
            service(**kwargs)
        except EXPECTED:
            assert ledger_state(self.ledger.company) == before, kwargs

    def run(self, step) -> None:
        if step["op"] == "create":
            self.create(step)
        else:
            self.guarded(getattr(self, step["op"]), step=step)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_random_ledger_work_keeps_the_books_right(ledger, accountant, customer, operations):
    company = ledger.company
    posted_before = _posted_snapshot(company)
    runner = Runner(ledger, accountant, customer)

    for step in operations:
        runner.run(step)

    assert checks.entries_balance(company) == []
    totals = [(row.debit, row.credit) for row in AccountBalance.objects.filter(company=company)]
    assert sum(debit for debit, _ in totals) == sum(credit for _, credit in totals)
    assert checks.balances_match_lines(company) == []
    assert verify_chain(company) == []
    posted_after = _posted_snapshot(company)
    assert {pk: posted_after[pk] for pk in posted_before} == posted_before
    assert run_checks(company) == []

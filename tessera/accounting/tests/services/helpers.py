"""Helpers for the ledger service tests: entries written as (account, debit, credit) legs."""

from decimal import Decimal

from tessera.accounting.models import AccountBalance, JournalEntry
from tessera.accounting.services.ledger import entry_create, entry_post


def legs(*rows) -> list[dict]:
    """(account, debit, credit[, partner]) rows -> line dicts; amounts as strings, 0 for the empty side."""
    result = []
    for account, debit, credit, *partner in rows:
        line = {"account": account, "debit": str(debit), "credit": str(credit)}
        if partner:
            line["partner"] = partner[0]
        result.append(line)
    return result


def draft(ledger, actor, day, *rows, **data) -> JournalEntry:
    return entry_create(actor=actor, company=ledger.company, data={"journal": ledger.journal, "date": day, **data},
                        lines=legs(*rows))


def posted(ledger, actor, day, *rows, **data) -> JournalEntry:
    return entry_post(actor=actor, entry=draft(ledger, actor, day, *rows, **data))


def balance(account, period=None) -> tuple[Decimal, Decimal]:
    """(debit, credit) of `account` in `period` (or over every period) from AccountBalance."""
    rows = AccountBalance.objects.filter(account=account)
    if period is not None:
        rows = rows.filter(period=period)
    return (sum((row.debit for row in rows), Decimal("0")), sum((row.credit for row in rows), Decimal("0")))


def ledger_state(company) -> dict:
    """Everything posting writes, to prove a failed call changed nothing."""
    return {
        "entries": list(JournalEntry.objects.filter(company=company).order_by("pk").values()),
        "balances": list(AccountBalance.objects.filter(company=company).order_by("pk").values()),
    }

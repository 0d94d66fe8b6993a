"""check-books on revaluations: every existing check and the revaluation check hold after posting and
cancelling; tampered revaluations are reported (each tampering undone before the fixture's own check)."""

from decimal import Decimal

import pytest

from tessera.accounting.checks_revaluation import revaluations_match_entries
from tessera.accounting.models import JournalEntryLine, Revaluation
from tessera.accounting.services.revaluation import revaluation_cancel, revaluation_post
from tessera.core.checks_registry import run_checks

from .conftest import CLOSING, usd_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def revaluation(books, fx):
    usd_invoice(books)
    usd_invoice(books, "300.00", kind="supplier_invoice")
    books.payment("200.00", currency=fx.usd, journal=fx.usd_journal, date=CLOSING)
    return revaluation_post(actor=books.actor, company=books.company, date=CLOSING)


def test_every_check_holds_after_posting_and_after_cancelling(books, revaluation):
    assert run_checks(books.company) == []

    revaluation_cancel(actor=books.actor, revaluation=revaluation)

    assert run_checks(books.company) == []


def tampered(queryset, **changes) -> list[str]:
    """The revaluation check's problems while `changes` are made to `queryset` behind Tessera's back."""
    before = list(queryset.values("pk", *changes))
    queryset.update(**changes)
    try:
        return revaluations_match_entries(queryset.first().company)
    finally:
        for row in before:
            queryset.model.objects.filter(pk=row.pop("pk")).update(**row)


def test_totals_that_differ_from_the_lines_are_reported(books, revaluation):
    problems = tampered(Revaluation.objects.filter(pk=revaluation.pk), total_gain=Decimal("1.00"))

    assert problems == ["Revaluation 2026-01-31: gain 1.00 and loss 30.00, its lines add up to 100.00 and 30.00"]


def test_a_reversal_that_does_not_mirror_the_entry_is_reported(books, revaluation):
    line = revaluation.reversal_entry.lines.filter(credit__gt=0).order_by("pk")[:1]

    problems = tampered(JournalEntryLine.objects.filter(pk__in=list(line.values_list("pk", flat=True))),
                        credit=Decimal("99.00"))

    assert problems == ["Revaluation 2026-01-31: the reversing entry does not mirror the entry"]


def test_a_reversed_revaluation_whose_entries_are_not_undone_is_reported(books, revaluation):
    problems = tampered(Revaluation.objects.filter(pk=revaluation.pk), state="reversed")

    assert problems == ["Revaluation 2026-01-31 is reversed but its entries are not undone"]


def test_a_missing_reversal_is_reported(books, revaluation):
    problems = tampered(Revaluation.objects.filter(pk=revaluation.pk), reversal_entry=None)

    assert problems == ["Revaluation 2026-01-31: its reversing entry is missing, not posted, not linked to its "
                        "entry or not dated after it"]

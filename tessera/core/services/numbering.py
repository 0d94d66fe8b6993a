"""Gapless document numbers per company, document type and period."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import Company, Sequence, SequenceCounter
from ..models.numbering import Reset

# Defaults for document types whose company has no sequence yet: code -> (name, prefix, padding, reset)
DEFAULTS: dict[str, tuple[str, str, int, str]] = {}


def sequence_default(code: str, *, name: str, prefix: str, padding: int = 5, reset: str = Reset.YEARLY) -> None:
    """Modules declare how their documents are numbered unless a company says otherwise."""
    DEFAULTS[code] = (name, prefix, padding, reset)


sequence_default("journal_entry", name="Voucher", prefix="记-{year}{month}-", padding=4, reset=Reset.MONTHLY)


def _period(sequence: Sequence, company: Company, on: datetime.date) -> str:
    if sequence.reset == Reset.MONTHLY:
        return f"{on.year:04d}{on.month:02d}"
    if sequence.reset == Reset.YEARLY:
        return str(company.fiscal_year_of(on))
    return "all"


def _sequence_for(company: Company, code: str) -> Sequence:
    sequence = Sequence.objects.filter(company=company, code=code).first()
    if sequence:
        return sequence
    name, prefix, padding, reset = DEFAULTS.get(code, (code, code.upper()[:6] + "-{fy}-", 5, Reset.YEARLY))
    try:
        with transaction.atomic():
            return Sequence.objects.create(
                company=company, code=code, name=name, prefix=prefix, padding=padding, reset=reset
            )
    except IntegrityError:
        return Sequence.objects.get(company=company, code=code)


def sequence_next_number(*, company: Company, code: str, on: datetime.date) -> str:
    """Take the next number for `code` on date `on`, e.g. SO-2026-00001.

    Must be called inside the transaction that confirms or posts the document: the counter row is
    locked until it commits, and a rollback gives the number back, so numbers have no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Numbers are taken inside the transaction that confirms the document.")
    sequence = _sequence_for(company, code)
    period = _period(sequence, company, on)
    SequenceCounter.objects.bulk_create([SequenceCounter(sequence=sequence, period=period)], ignore_conflicts=True)
    counter = SequenceCounter.objects.select_for_update().get(sequence=sequence, period=period)
    number = counter.next_number
    SequenceCounter.objects.filter(pk=counter.pk).update(next_number=F("next_number") + 1)
    prefix = sequence.prefix.format(
        year=f"{on.year:04d}", month=f"{on.month:02d}", fy=company.fiscal_year_of(on)
    )
    return f"{prefix}{number:0{sequence.padding}d}"

"""Tax computation for document lines and whole documents (invoices, API previews). Nothing is written.

A line's `amount` is quantity x unit price after discount. Taxes marked `price_included` are inside that
amount and are taken out of it; the others are added on top of the untaxed amount. Exempt taxes yield a
base and no tax. Taxes do not compound (none is charged on another).

Rounding, with `currency_round` (half up, away from zero, so a credit note mirrors its invoice):
- per line: each line's tax is rounded, the document sums the rounded figures;
- per document: unrounded tax is summed per tax over the lines and rounded once.
Either way untaxed + tax == total holds exactly.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from tessera.core.models import Currency
from tessera.core.services.currency import currency_round

from ..models import Tax

ROUNDING_MODES = ("line", "document")


class TaxAmount(NamedTuple):
    """One tax of a line or a document: the base it was computed on and the tax amount."""

    tax: Tax
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class TaxResult:
    """A line's untaxed amount, its taxes and its total (untaxed + every tax)."""

    untaxed: Decimal
    taxes: list[TaxAmount]
    total: Decimal

    @property
    def tax_total(self) -> Decimal:
        return sum((item.amount for item in self.taxes), Decimal("0"))


@dataclass(frozen=True)
class DocumentTaxes(TaxResult):
    """A document's totals with one TaxAmount per tax, and each line's own result (`lines`).

    With rounding per document the lines' rounded untaxed amounts may differ from the document's
    `untaxed` by a few rounding units when prices include tax: the document's figures are the ones to post.
    """

    lines: list[TaxResult] = field(default_factory=list)


def _rate(tax: Tax) -> Decimal:
    return Decimal("0") if tax.is_exempt else Decimal(tax.rate) / 100


def _key(tax: Tax):
    # Saved taxes group by id; unsaved ones (previews, tests) by identity.
    return ("pk", tax.pk) if tax.pk is not None else ("object", id(tax))


def _unique(taxes: Iterable[Tax]) -> list[Tax]:
    seen, unique = set(), []
    for tax in taxes:
        if _key(tax) not in seen:
            seen.add(_key(tax))
            unique.append(tax)
    return unique


def _check_amount(amount) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("Money is Decimal, never float.")
    return Decimal(amount)


def _split(gross: Decimal, taxes: list[Tax]) -> tuple[Decimal, list[Decimal]]:
    """The unrounded untaxed amount of a line whose amount is `gross`, and each tax's unrounded amount."""
    included = sum((_rate(tax) for tax in taxes if tax.price_included), Decimal("0"))
    untaxed = gross / (1 + included)
    return untaxed, [untaxed * _rate(tax) for tax in taxes]


def tax_compute(*, amount: Decimal, taxes: Sequence[Tax], currency: Currency) -> TaxResult:
    """The taxes of one line, rounded per line: included taxes are rounded and taken out of the
    (rounded) amount, so untaxed + included taxes == amount; excluded taxes are rounded on the untaxed
    amount. Raises TypeError for a float amount."""
    gross = currency_round(_check_amount(amount), currency)
    taxes = _unique(taxes)
    untaxed_raw, raw_amounts = _split(gross, taxes)
    included = {_key(tax): currency_round(raw, currency)
                for tax, raw in zip(taxes, raw_amounts, strict=True) if tax.price_included}
    untaxed = gross - sum(included.values(), Decimal("0"))
    items = [
        TaxAmount(tax, untaxed, included[_key(tax)] if tax.price_included
                  else currency_round(untaxed * _rate(tax), currency))
        for tax in taxes
    ]
    return TaxResult(untaxed=untaxed, taxes=items, total=untaxed + sum((item.amount for item in items),
                                                                           Decimal("0")))


def document_taxes(lines: Iterable[tuple[Decimal, Sequence[Tax]]], currency: Currency,
                   rounding: str = "line") -> DocumentTaxes:
    """The taxes of a document whose `lines` are (amount, taxes) pairs, summed per tax.

    `rounding="line"` sums each line's rounded figures; `rounding="document"` sums the unrounded tax
    (and base) of each tax over the lines and rounds it once. Raises ValueError for another mode.
    """
    if rounding not in ROUNDING_MODES:
        raise ValueError(f"rounding must be one of {ROUNDING_MODES}, not {rounding!r}")
    lines = [(_check_amount(amount), _unique(taxes)) for amount, taxes in lines]
    results = [tax_compute(amount=amount, taxes=taxes, currency=currency) for amount, taxes in lines]
    per_tax: dict = {}  # key -> [tax, base, amount], in order of first appearance
    if rounding == "line":
        for result in results:
            for item in result.taxes:
                entry = per_tax.setdefault(_key(item.tax), [item.tax, Decimal("0"), Decimal("0")])
                entry[1] += item.base
                entry[2] += item.amount
        untaxed = sum((result.untaxed for result in results), Decimal("0"))
        items = [TaxAmount(tax, base, amount) for tax, base, amount in per_tax.values()]
    else:
        gross_total = Decimal("0")
        for amount, taxes in lines:
            gross = currency_round(amount, currency)
            gross_total += gross
            untaxed_raw, raw_amounts = _split(gross, taxes)
            for tax, raw in zip(taxes, raw_amounts, strict=True):
                entry = per_tax.setdefault(_key(tax), [tax, Decimal("0"), Decimal("0")])
                entry[1] += untaxed_raw
                entry[2] += raw
        items = [TaxAmount(tax, currency_round(base, currency), currency_round(amount, currency))
                 for tax, base, amount in per_tax.values()]
        untaxed = gross_total - sum((item.amount for item in items if item.tax.price_included), Decimal("0"))
    total = untaxed + sum((item.amount for item in items), Decimal("0"))
    return DocumentTaxes(untaxed=untaxed, taxes=items, total=total, lines=results)

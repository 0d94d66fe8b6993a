"""Matching suggestions for a bank statement line, and the candidates auto-match takes.

A statement line of amount A (money in positive) may clear:
- posted, unmatched lines of the bank's ledger account whose debit - credit equals A (in a foreign-currency
  bank account: whose amount in currency equals A), dated within WINDOW_DAYS of it;
- an open invoice of the right side (a customer's for money in, a supplier's for money out) whose
  residual equals |A|, when its partner is the counterparty or its number is in the text: the payment
  is then registered from the line.
Each suggestion has a score (0-100) and says why: same amount, how many days apart, a reference found
in the statement's text (entry, payment or invoice number, or the bank's reference in the entry),
the partner. Auto-match takes a ledger line only when it is the line's one candidate, no other line of
the statement wants it, and its reference or date (AUTO_MATCH_DAYS) is convincing.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tessera.partners.models import Partner
from tessera.partners.selectors import partners_by_bank_account

from ..choices import CUSTOMER_KINDS, InvoiceKind, InvoiceState
from ..models import BankStatementLine, Invoice, JournalEntryLine, Payment
from .bank import bank_ledger_lines, is_foreign, line_amount
from .bank_csv import digits, normalise_name

WINDOW_DAYS = 30
AUTO_MATCH_DAYS = 3
MIN_TOKEN = 5
SUPPLIER_KINDS = sorted(set(InvoiceKind.values) - set(CUSTOMER_KINDS))


@dataclass
class Suggestion:
    """A way to reconcile a statement line: ledger lines to match, or an invoice to register payment of."""

    kind: str  # "ledger" or "invoice"
    score: int
    reasons: list[str]
    date: datetime.date
    amount: Decimal
    label: str
    description: str = ""
    lines: list[JournalEntryLine] = field(default_factory=list)
    invoice: Invoice | None = None
    partner: Partner | None = None
    has_reference: bool = False
    days: int = 0

    @property
    def key(self) -> str:
        return f"invoice-{self.invoice.pk}" if self.invoice is not None else f"line-{self.lines[0].pk}"

    @property
    def why(self) -> str:
        return ", ".join(self.reasons)


def _token(text: str) -> str:
    """Text reduced to upper-case letters and digits, so PAY/2026/0012 finds PAY-2026-0012."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text or "")).upper()


def _is_reference(token: str) -> bool:
    return len(token) >= MIN_TOKEN and any(ch.isdigit() for ch in token)


def _found(candidates, haystack: str) -> str | None:
    """The first candidate reference (as written) whose token is in `haystack`."""
    for text in candidates:
        token = _token(text)
        if text and _is_reference(token) and token in haystack:
            return text
    return None


def statement_text(line: BankStatementLine) -> str:
    return _token(" ".join([line.reference, line.description, line.partner_name]))


def _days_reason(days: int) -> str:
    if days == 0:
        return _("same day")
    return ngettext("%(days)s day apart", "%(days)s days apart", days) % {"days": days}


def _date_points(days: int) -> int:
    return max(0, 25 - days)


class PartnerIndex:
    """The company's active partners by normalised name and bank account, read once for many lines."""

    def __init__(self, company_id: int):
        self.partners = list(Partner.objects.filter(company_id=company_id, is_active=True)
                             .only("pk", "code", "name"))
        self.names = [(normalise_name(partner.name), partner) for partner in self.partners]
        self.accounts = partners_by_bank_account(company_id)

    def find(self, name: str, account: str) -> list[Partner]:
        """Same bank account, else the same name, else a name containing the other (at most five)."""
        account = digits(account)
        if len(account) >= 6 and self.accounts.get(account):
            return self.accounts[account]
        name = normalise_name(name)
        if len(name) < 2:
            return []
        exact = [partner for normalised, partner in self.names if normalised == name]
        if exact:
            return exact
        return [partner for normalised, partner in self.names
                if len(normalised) >= 4 and (normalised in name or name in normalised)][:5]


def counterparties(line: BankStatementLine, index: PartnerIndex | None = None) -> list[Partner]:
    """The partners the line's counterparty may be: the one set on it, else (PartnerIndex.find) by its
    bank account or name among the company's active partners."""
    if line.partner_id:
        return [line.partner]
    if not (line.partner_name or line.partner_account):
        return []
    return (index or PartnerIndex(line.company_id)).find(line.partner_name, line.partner_account)


def amount_filter(line: BankStatementLine) -> Q:
    """Ledger lines whose amount, as the bank sees it, is the statement line's."""
    if is_foreign(line.bank_account):
        return Q(amount_currency=line.amount, currency_id=line.bank_account.currency_id)
    return Q(debit=line.amount) if line.amount > 0 else Q(credit=-line.amount)


def unmatched_ledger_lines(bank_account):
    """Posted lines of the bank's ledger account not cleared by any statement line."""
    return (bank_ledger_lines(bank_account).filter(bank_match__isnull=True)
            .select_related("entry__journal", "partner").order_by("date", "entry__number", "pk"))


def _ledger_context(lines: list[JournalEntryLine]) -> tuple[dict, dict]:
    """For the entries of `lines`: the payment each posts (number, reference, partner) and the partners
    named on any of their lines."""
    entries = {line.entry_id for line in lines}
    payments = {payment.entry_id: payment for payment in Payment.objects.filter(entry_id__in=entries)
                .select_related("partner")}
    partners: dict[int, set[int]] = {}
    for entry_id, partner_id in JournalEntryLine.objects.filter(entry_id__in=entries, partner__isnull=False) \
            .values_list("entry_id", "partner_id"):
        partners.setdefault(entry_id, set()).add(partner_id)
    return payments, partners


def ledger_suggestions(line: BankStatementLine, *, window: int = WINDOW_DAYS, index: PartnerIndex | None = None
                       ) -> list[Suggestion]:
    """Unmatched ledger lines of the same amount within `window` days, best first."""
    bank_account = line.bank_account
    candidates = list(unmatched_ledger_lines(bank_account).filter(amount_filter(line)).filter(
        date__gte=line.date - datetime.timedelta(days=window), date__lte=line.date + datetime.timedelta(days=window)))
    if not candidates:
        return []
    payments, entry_partners = _ledger_context(candidates)
    text = statement_text(line)
    partners = {partner.pk: partner for partner in counterparties(line, index)}
    foreign = is_foreign(bank_account)
    suggestions = []
    for candidate in candidates:
        entry, payment = candidate.entry, payments.get(candidate.entry_id)
        days = abs((candidate.date - line.date).days)
        reasons, score = [_("same amount")], 50 + _date_points(days)
        reasons.append(_days_reason(days))
        references = [entry.number or "", entry.reference, payment.number if payment else "",
                      payment.reference if payment else "", candidate.description]
        found = _found(references, text)
        if found is None and _is_reference(_token(line.reference)) and _token(line.reference) in _token(
                " ".join(references + [entry.description])):
            found = line.reference
        if found:
            score += 30
            reasons.append(_("reference %(reference)s") % {"reference": found})
        named = ({candidate.partner_id} if candidate.partner_id else set()) | entry_partners.get(entry.pk, set()) \
            | ({payment.partner_id} if payment else set())
        partner = next((partners[pk] for pk in named if pk in partners), None)
        if partner is not None:
            score += 15
            reasons.append(_("partner %(partner)s") % {"partner": partner.name})
        suggestions.append(Suggestion(
            kind="ledger", score=min(score, 100), reasons=reasons, date=candidate.date,
            amount=line_amount(candidate, foreign), label=entry.number or str(entry),
            description=candidate.description or entry.description, lines=[candidate],
            partner=partner or (payment.partner if payment else None), has_reference=bool(found), days=days))
    suggestions.sort(key=lambda s: (-s.score, s.days, s.lines[0].pk))
    return suggestions


def invoice_suggestions(line: BankStatementLine, *, index: PartnerIndex | None = None) -> list[Suggestion]:
    """Open invoices (customer ones for money in, supplier ones for money out) in the bank's currency whose
    residual is the line's amount, of a counterparty partner or named by number in the line's text."""
    residual = ExpressionWrapper(F("total") - F("amount_paid"), output_field=DecimalField(max_digits=18,
                                                                                           decimal_places=2))
    kinds = [InvoiceKind.CUSTOMER_INVOICE] if line.amount > 0 else [InvoiceKind.SUPPLIER_INVOICE]
    invoices = list(Invoice.objects.filter(company_id=line.company_id, kind__in=kinds,
                                           currency_id=line.bank_account.currency_id,
                                           state__in=[InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID])
                    .annotate(open_amount=residual).filter(open_amount=abs(line.amount))
                    .select_related("partner").order_by("due_on", "date", "pk")[:200])
    partners = {partner.pk: partner for partner in counterparties(line, index)}
    text = statement_text(line)
    suggestions = []
    for invoice in invoices:
        found = _found([invoice.number or "", invoice.reference], text)
        if invoice.partner_id not in partners and not found:
            continue
        reasons, score = [_("open invoice of the same amount")], 45
        if found:
            score += 30
            reasons.append(_("reference %(reference)s") % {"reference": found})
        if invoice.partner_id in partners:
            score += 15
            reasons.append(_("partner %(partner)s") % {"partner": invoice.partner.name})
        suggestions.append(Suggestion(
            kind="invoice", score=min(score, 100), reasons=reasons, date=invoice.due_on or invoice.date,
            amount=abs(line.amount), label=str(invoice), description=invoice.partner.name, invoice=invoice,
            partner=invoice.partner, has_reference=bool(found)))
    suggestions.sort(key=lambda s: -s.score)
    return suggestions


def statement_line_suggestions(line: BankStatementLine, *, limit: int = 5, index: PartnerIndex | None = None
                               ) -> list[Suggestion]:
    """The best ways to reconcile `line`: ledger lines and open invoices, by score. Pass a PartnerIndex
    when suggesting for many lines of one company."""
    index = index or PartnerIndex(line.company_id)
    suggestions = ledger_suggestions(line, index=index) + invoice_suggestions(line, index=index)
    suggestions.sort(key=lambda s: (-s.score, s.kind != "ledger", s.days))
    return suggestions[:limit]


def auto_match_plan(lines: list[BankStatementLine]) -> list[tuple[BankStatementLine, JournalEntryLine]]:
    """The (statement line, ledger line) pairs auto-match makes: the line's only candidate, wanted by no
    other line, with its reference found or at most AUTO_MATCH_DAYS days apart."""
    wanted: dict[int, list] = {}
    index = PartnerIndex(lines[0].company_id) if lines else None
    for line in lines:
        candidates = ledger_suggestions(line, index=index)
        if len(candidates) == 1:
            wanted.setdefault(candidates[0].lines[0].pk, []).append((line, candidates[0]))
        for candidate in candidates[1:] if len(candidates) > 1 else []:
            wanted.setdefault(candidate.lines[0].pk, []).append((None, candidate))
        if len(candidates) > 1:
            wanted.setdefault(candidates[0].lines[0].pk, []).append((None, candidates[0]))
    plan = []
    for claims in wanted.values():
        if len(claims) != 1 or claims[0][0] is None:
            continue
        line, suggestion = claims[0]
        if suggestion.has_reference or suggestion.days <= AUTO_MATCH_DAYS:
            plan.append((line, suggestion.lines[0]))
    plan.sort(key=lambda pair: (pair[0].date, pair[0].sequence, pair[0].pk))
    return plan

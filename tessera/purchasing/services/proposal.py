"""The payment proposal: posted supplier bills still open and due by a date, per supplier, and paying a
chosen set of them at once (one outbound payment per supplier and currency, allocated to its bills and
posted through accounting's payment services). Paying closes the orders whose bills are all paid."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.permissions import require

ZERO = Decimal("0")
OPEN = ("posted", "partially_paid")


@dataclass
class ProposalRow:
    """A supplier's bills due (in one currency) and what is open on them."""

    partner: object
    currency: object
    invoices: list = field(default_factory=list)
    total: Decimal = ZERO
    overdue: Decimal = ZERO


def payment_proposal(*, company, due_by: datetime.date, partner=None, today: datetime.date | None = None) \
        -> list[ProposalRow]:
    """Posted supplier invoices with something open and due on or before `due_by` (all suppliers, or one),
    grouped per supplier and currency, oldest due first; `total` is what is open."""
    from tessera.accounting.models import Invoice

    invoices = Invoice.objects.filter(company=company, kind="supplier_invoice", state__in=OPEN,
                                      due_on__lte=due_by).select_related("partner", "currency").order_by(
        "partner__name", "partner_id", "currency_id", "due_on", "pk")
    if partner is not None:
        invoices = invoices.filter(partner=partner)
    rows: dict[tuple, ProposalRow] = {}
    for invoice in invoices:
        if invoice.residual <= 0:
            continue
        row = rows.setdefault((invoice.partner_id, invoice.currency_id), ProposalRow(invoice.partner, invoice.currency))
        row.invoices.append(invoice)
        row.total += invoice.residual
        if today is not None and invoice.due_on < today:
            row.overdue += invoice.residual
    return list(rows.values())


def _payment_currency(company, journal):
    account = journal.default_account
    return account.currency if account is not None and account.currency_id else company.base_currency


def _converted(company, amount: Decimal, invoice, currency, on: datetime.date) -> Decimal:
    from tessera.accounting.services.invoices import rate_of
    from tessera.core.services.currency import currency_round

    if invoice.currency_id == currency.pk:
        return amount
    ratio = rate_of(company, invoice.currency, on) / rate_of(company, currency, on)
    return currency_round(amount * ratio, currency)


def payment_proposal_pay(*, actor, company, invoices, date: datetime.date, journal) -> list:
    """Pay the chosen open supplier invoices in full: one outbound payment per supplier (and invoice
    currency) from `journal` (bank or cash) dated `date`, allocated to its invoices and posted; the orders
    they bill close through accounting's settled hook (registrations/bills.py), as with any payment.

    Raises PermissionDenied (accounting.add_payment, accounting.post_payment), ValidationFailed
    (`invoices`: none, another company's, not an open supplier invoice; `journal`), PeriodClosed;
    nothing is written when it raises.
    """
    from tessera.accounting.models import Invoice, Journal
    from tessera.accounting.services.payments import payment_create, payment_post

    require(actor, "accounting.add_payment", company)
    require(actor, "accounting.post_payment", company)
    pks = sorted({getattr(item, "pk", item) for item in invoices or []}, key=str)
    if not pks:
        raise ValidationFailed(fields={"invoices": [_("Choose the bills to pay.")]})
    journal_pk = getattr(journal, "pk", journal)
    journal = Journal.objects.filter(company=company, pk=journal_pk, kind__in=("bank", "cash"), is_active=True) \
        .select_related("default_account").first() if str(journal_pk).isdigit() else None
    if journal is None:
        raise ValidationFailed(fields={"journal": [_("Choose an active bank or cash journal.")]})
    try:
        found = {invoice.pk: invoice for invoice in Invoice.objects.filter(company=company, pk__in=pks)}
    except (TypeError, ValueError):
        found = {}
    bad = [str(pk) for pk in pks if pk not in found or found[pk].kind != "supplier_invoice"
           or found[pk].state not in OPEN or found[pk].residual <= 0]
    if bad:
        raise ValidationFailed(fields={"invoices": [_("Not open supplier bills of this company: %(ids)s.")
                                                    % {"ids": ", ".join(bad)}]})
    currency = _payment_currency(company, journal)
    groups: dict[tuple, list] = {}
    for invoice in sorted(found.values(), key=lambda item: (item.partner_id, item.currency_id, item.due_on, item.pk)):
        groups.setdefault((invoice.partner_id, invoice.currency_id), []).append(invoice)
    payments = []
    with transaction.atomic():
        for bills in groups.values():
            first = bills[0]
            amount = sum((_converted(company, bill.residual, bill, currency, date) for bill in bills), ZERO)
            payment = payment_create(actor=actor, company=company, data={
                "kind": "outbound", "partner": first.partner, "journal": journal, "date": date, "amount": amount,
                "currency": currency, "description": (_("Payment proposal: %(bills)s")
                                % {"bills": ", ".join(bill.number for bill in bills)})[:255]},
                allocations=[{"invoice": bill.pk, "amount": bill.residual} for bill in bills])
            payments.append(payment_post(actor=actor, payment=payment))
    return payments

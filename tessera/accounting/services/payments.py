"""Payments: receipts (inbound) and disbursements (outbound) through a bank or cash journal, allocated to
invoices and credit notes of their partner.

Posting scheme (base currency; `amount_currency` in the payment's or the invoice's currency when foreign),
for a receipt (a disbursement is the mirror image):
- Dr the journal's money account: the amount at the payment's rate;
- Dr the write-off account: `writeoff_amount` (a small difference accepted; negative = credited);
- Cr the invoice's control account (receivable/payable, partner), one line per allocation: the part of
  the invoice's base amount the allocation settles, at the invoice's rate;
- Cr the control account: what is left unallocated (a prepayment that stays on the partner's account);
- the difference between the two rates: Cr exchange gain or Dr exchange loss (realised).
An allocation's `amount` is in the invoice's currency, `payment_amount` in the payment's. An allocation
counts +1 when it settles what the payment settles (a receipt and a customer invoice), -1 when it nets
(a customer credit note paid off within a receipt); the signed sum may not exceed amount + write-off.
All allocations of a payment are on one side (customer or supplier); its remainder goes to that side's
control account (receipts without allocations: receivable; disbursements: payable).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.approvals.services import approval_check
from tessera.core import audit, events
from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.currency import currency_round
from tessera.core.services.numbering import sequence_default, sequence_next_number

from ..choices import AccountRole, EntryState, JournalKind, PaymentKind, PaymentState
from ..models import Invoice, JournalEntry, Payment, PaymentAllocation
from .invoices import (
    OPEN_STATES,
    balance_to,
    base_amount,
    control_account,
    invoice_settle,
    is_customer_kind,
    lock_invoices,
    owed_sign,
    rate_of,
    signed_lines,
)
from .ledger import _amount, _assign, _foreign_errors, _related, entry_post_new, reverse_locked
from .periods import lock_company
from .setup import account_by_role

sequence_default("payment_inbound", name="Receipt", prefix="RCPT-{fy}-", padding=5)
sequence_default("payment_outbound", name="Disbursement", prefix="PAY-{fy}-", padding=5)

PAYMENT_FIELDS = {"kind", "partner", "journal", "date", "amount", "currency", "reference", "description",
                  "writeoff_account", "writeoff_amount"}
ZERO = Decimal("0")


def _direction(payment: Payment) -> int:
    return 1 if payment.kind == PaymentKind.INBOUND else -1


def allocation_sign(payment: Payment, invoice: Invoice) -> int:
    """+1 when the allocation settles what the payment pays, -1 when it nets against it."""
    return owed_sign(invoice.kind) * _direction(payment)


def payment_side(payment: Payment) -> str:
    """"customer" or "supplier": the side of its allocations, else receipts customer, disbursements supplier."""
    first = payment.allocations.select_related("invoice").order_by("pk").first() if payment.pk else None
    if first is not None:
        return "customer" if is_customer_kind(first.invoice.kind) else "supplier"
    return "customer" if payment.kind == PaymentKind.INBOUND else "supplier"


def _side_kind(side: str) -> str:
    return "customer_invoice" if side == "customer" else "supplier_invoice"


def payment_remainder(payment: Payment, allocations=None) -> Decimal:
    """What of amount + write-off is not allocated, in the payment's currency (a prepayment when > 0)."""
    allocations = payment.allocations.select_related("invoice") if allocations is None else allocations
    allocated = sum((allocation_sign(payment, a.invoice) * a.payment_amount for a in allocations), ZERO)
    return payment.amount + payment.writeoff_amount - allocated


def _payment_amount(payment: Payment, invoice: Invoice, amount: Decimal) -> Decimal:
    """`amount` of the invoice's currency in the payment's currency at the payment date's rates."""
    if invoice.currency_id == payment.currency_id:
        return amount
    company = payment.company
    ratio = rate_of(company, invoice.currency, payment.date) / rate_of(company, payment.currency, payment.date)
    return currency_round(amount * ratio, payment.currency)


def _header_errors(payment: Payment, data: dict, *, creating: bool) -> dict:
    company = payment.company
    errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - PAYMENT_FIELDS)}
    for name in set(data) & PAYMENT_FIELDS - {"amount", "writeoff_amount"}:
        value = data[name]
        _assign(payment, name, None if value == "" and name not in {"reference", "description"} else value)
    for name, default in (("amount", None), ("writeoff_amount", ZERO)):
        if name in data or creating:
            try:
                setattr(payment, name, _amount(data.get(name), default=default))
            except ValueError as error:
                errors[name] = [str(error)]
    errors.update(_foreign_errors(company, payment, ("partner", "journal", "writeoff_account")))
    partner = _related(payment, "partner")
    if partner is not None and "partner" not in errors and not partner.is_active:
        errors["partner"] = [_("Partner %(code)s is inactive.") % {"code": partner.code}]
    journal = _related(payment, "journal")
    if journal is not None and "journal" not in errors:
        if journal.kind not in {JournalKind.BANK, JournalKind.CASH} or journal.default_account_id is None \
                or not journal.is_active:
            errors["journal"] = [_("Choose an active bank or cash journal with a default account.")]
        elif payment.currency_id is None:
            payment.currency_id = journal.default_account.currency_id or company.base_currency_id
    if payment.currency_id is None and "currency" not in data:
        payment.currency_id = company.base_currency_id
    account = _related(payment, "writeoff_account")
    if account is not None and "writeoff_account" not in errors and (
            account.children.exists() or not account.is_active
            or account.role in {AccountRole.RECEIVABLE, AccountRole.PAYABLE}):
        errors["writeoff_account"] = [_("Choose an active leaf account that is not a control account.")]
    if "writeoff_amount" not in errors and payment.writeoff_amount and payment.writeoff_account_id is None \
            and "writeoff_account" not in errors:
        errors["writeoff_account"] = [_("Choose the account the difference is written off to.")]
    if not errors.keys() & {"amount", "writeoff_amount"}:
        try:
            validate(payment)
        except ValidationFailed as error:
            errors.update({name: messages for name, messages in error.fields.items() if name not in errors})
    return errors


def _allocation_errors(payment: Payment, allocations, invoices: dict[int, Invoice] | None = None,
                       *, existing=()) -> tuple[list[PaymentAllocation], dict]:
    """Unsaved allocations of `payment` and the field errors (`allocations.<i>.<field>`, `allocations`).

    `invoices` are the locked invoices when posting; `existing` the payment's posted allocations."""
    if not isinstance(allocations, list | tuple):
        return [], {"allocations": [_("Send the allocations as a list.")]}
    built, errors, seen = [], {}, {allocation.invoice_id for allocation in existing}
    sides = {is_customer_kind(allocation.invoice.kind) for allocation in existing}
    for index, data in enumerate(allocations):
        prefix = f"allocations.{index}."
        if not isinstance(data, dict) or set(data) - {"invoice", "amount"}:
            errors[prefix + "non_field_errors"] = [_("Send each allocation as {invoice, amount}.")]
            continue
        allocation = PaymentAllocation(company=payment.company)
        _assign(allocation, "invoice", data.get("invoice"))
        try:
            allocation.amount = _amount(data.get("amount"), default=None)
        except ValueError as error:
            errors[prefix + "amount"] = [str(error)]
        invoice = (invoices or {}).get(allocation.invoice_id) or _related(allocation, "invoice")
        if invoice is None or invoice.company_id != payment.company_id:
            errors[prefix + "invoice"] = [_("Choose an invoice of this company.")]
            continue
        allocation.invoice = invoice
        if invoice.partner_id != payment.partner_id:
            errors[prefix + "invoice"] = [_("Invoice %(number)s belongs to another partner.") % {"number": invoice}]
        elif invoice.state not in OPEN_STATES:
            errors[prefix + "invoice"] = [_("Invoice %(number)s is not open for payment.") % {"number": invoice}]
        elif invoice.pk in seen:
            errors[prefix + "invoice"] = [_("Invoice %(number)s is allocated already.") % {"number": invoice}]
        seen.add(invoice.pk)
        sides.add(is_customer_kind(invoice.kind))
        if prefix + "amount" not in errors:
            if allocation.amount is None or allocation.amount <= 0:
                errors[prefix + "amount"] = [_("Enter an amount above zero.")]
            elif allocation.amount > invoice.residual:
                errors[prefix + "amount"] = [_("Invoice %(number)s has only %(residual)s open.")
                                             % {"number": invoice, "residual": invoice.residual}]
        built.append(allocation)
    if len(sides) > 1:
        errors["allocations"] = [_("Allocate a payment to customer documents or to supplier documents, not both.")]
    return built, errors


def _check_total(payment: Payment, built: list[PaymentAllocation], errors: dict, *,
                 available: Decimal | None = None) -> None:
    """Set each allocation's payment_amount; refuse allocations above what the payment has to allocate."""
    if errors:
        return
    try:
        for allocation in built:
            allocation.payment_amount = _payment_amount(payment, allocation.invoice, allocation.amount)
    except ValidationFailed as error:
        errors.update(error.fields)
        return
    allocated = sum((allocation_sign(payment, a.invoice) * a.payment_amount for a in built), ZERO)
    limit = payment.amount + payment.writeoff_amount if available is None else available
    if allocated > limit:
        errors["allocations"] = [_("The allocations add up to %(allocated)s, more than the %(limit)s the payment "
                                   "has to allocate.") % {"allocated": allocated, "limit": limit}]


def _prepare(payment: Payment, data: dict, allocations, *, creating: bool) -> list[PaymentAllocation]:
    errors = _header_errors(payment, data, creating=creating)
    if errors:
        raise ValidationFailed(fields=errors)
    built, errors = _allocation_errors(payment, allocations)
    _check_total(payment, built, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return built


def _save_allocations(payment: Payment, built: list[PaymentAllocation]) -> None:
    for allocation in built:
        allocation.payment = payment
        allocation.save()


def payment_create(*, actor, company: Company, data: dict, allocations: list[dict]) -> Payment:
    """A draft payment with its allocations ([{"invoice", "amount"}], amounts in the invoice's currency).

    `data`: kind, partner, journal (bank or cash, its default account is the money account), date,
    amount, currency (default: the money account's currency, else the base currency), reference,
    description, writeoff_account, writeoff_amount. Raises PermissionDenied, ValidationFailed
    (`allocations.<i>.amount` for over-allocation, `allocations` above the payment); nothing written then.
    """
    require(actor, "accounting.add_payment", company)
    payment = Payment(company=company)
    built = _prepare(payment, data, allocations, creating=True)
    with transaction.atomic():
        payment.save()
        _save_allocations(payment, built)
    return payment


def _lock_payment(payment: Payment, state: str = PaymentState.DRAFT) -> Payment:
    payment = Payment.objects.select_for_update(of=("self",)).select_related(
        "company", "journal__default_account", "currency", "partner").get(pk=payment.pk)
    if payment.state != state:
        raise InvalidState(_("Payment %(number)s is %(state)s.") % {"number": payment,
                                                                    "state": payment.get_state_display()})
    return payment


def payment_update(*, actor, payment: Payment, data: dict, allocations: list[dict] | None = None,
                   version: int | None = None) -> Payment:
    """Change a draft payment and (when given) replace its allocations. Raises InvalidState (not a draft,
    stale `version`), ValidationFailed."""
    require(actor, "accounting.change_payment", payment.company)
    with transaction.atomic():
        payment = _lock_payment(payment)
        if version is not None and version != payment.version:
            raise InvalidState(_("Someone else changed this payment meanwhile: reload it and try again."))
        if allocations is None:
            allocations = [{"invoice": a.invoice_id, "amount": a.amount} for a in payment.allocations.order_by("pk")]
        built = _prepare(payment, data, allocations, creating=False)
        payment.allocations.all().delete()
        payment.version += 1
        payment.save()
        _save_allocations(payment, built)
    return payment


def payment_delete(*, actor, payment: Payment) -> None:
    """Delete a draft payment and its allocations. Raises InvalidState for anything else."""
    require(actor, "accounting.delete_payment", payment.company)
    with transaction.atomic():
        _lock_payment(payment).delete()


def _allocation_rows(payment: Payment, built: list[PaymentAllocation]) -> list[dict]:
    """Control-account rows (signed base amounts) clearing what each allocation settles, at the invoice's
    rate; the part cleared is the change of the residual's base amount, so a settled invoice clears exactly."""
    rows, company = [], payment.company
    for allocation in built:
        invoice = allocation.invoice
        before = base_amount(invoice.residual, invoice.exchange_rate, company)
        after = base_amount(invoice.residual - allocation.amount, invoice.exchange_rate, company)
        foreign = invoice.currency_id != company.base_currency_id
        sign = -owed_sign(invoice.kind)
        rows.append({"account": control_account(company, invoice.kind), "partner": invoice.partner,
                     "amount": sign * (before - after), "description": str(invoice),
                     "currency": invoice.currency if foreign else None,
                     "amount_currency": sign * allocation.amount if foreign else None})
    return rows


def _remainder_row(payment: Payment, side: str, remainder: Decimal, base: Decimal, description: str) -> dict:
    foreign = payment.currency_id != payment.company.base_currency_id
    return {"account": control_account(payment.company, _side_kind(side)), "partner": payment.partner,
            "amount": base, "description": description, "currency": payment.currency if foreign else None,
            "amount_currency": remainder if foreign else None}


def _balance_exchange(payment: Payment, rows: list[dict]) -> None:
    if sum((row["amount"] for row in rows), ZERO):
        company = payment.company
        balance_to(rows, debit_account=account_by_role(company, AccountRole.EXCHANGE_LOSS),
                   credit_account=account_by_role(company, AccountRole.EXCHANGE_GAIN), partner=payment.partner,
                   description=_("Exchange difference"))


def _settle(built: list[PaymentAllocation], factor: int = 1) -> None:
    for allocation in built:
        invoice_settle(allocation.invoice, factor * allocation.amount)


def _posting_rows(payment: Payment, built: list[PaymentAllocation]) -> list[dict]:
    company, direction = payment.company, _direction(payment)
    foreign = payment.currency_id != company.base_currency_id
    rate = payment.exchange_rate

    def money(account, amount, description):
        return {"account": account, "partner": payment.partner,
                "amount": direction * base_amount(amount, rate, company), "description": description,
                "currency": payment.currency if foreign else None,
                "amount_currency": direction * amount if foreign else None}

    rows = [money(payment.journal.default_account, payment.amount, payment.description or str(payment))]
    if payment.writeoff_amount:
        rows.append(money(payment.writeoff_account, payment.writeoff_amount, _("Write-off")))
    rows += _allocation_rows(payment, built)
    remainder = payment_remainder(payment, built)
    if remainder:
        side = ("customer" if is_customer_kind(built[0].invoice.kind) else "supplier") if built else \
            payment_side(payment)
        rows.append(_remainder_row(payment, side, -direction * remainder,
                                   -direction * base_amount(remainder, rate, company), _("Prepayment")))
    _balance_exchange(payment, rows)
    return rows


def _lock_allocated(payment: Payment, built: list[PaymentAllocation]) -> dict[int, Invoice]:
    invoices = lock_invoices([allocation.invoice_id for allocation in built])
    for invoice in invoices.values():
        invoice.company = payment.company
    return invoices


def payment_post(*, actor, payment: Payment) -> Payment:
    """Post a draft payment: number (RCPT-/PAY-{fy}-00001), rate of its date, the journal entry (module
    docstring), and each allocated invoice's amount_paid and state (posted -> partially paid -> paid).

    Raises PermissionDenied (accounting.post_payment), InvalidState (not a draft), ValidationFailed
    (an invoice over-allocated or no longer open, allocations above the payment, no exchange rate),
    PeriodClosed, ApprovalRequired (409 approval_required); nothing is written on failure.
    """
    require(actor, "accounting.post_payment", payment.company)
    with transaction.atomic():
        lock_company(payment.company)
        payment = _lock_payment(payment)
        approval_check(payment)
        specs = [{"invoice": a.invoice_id, "amount": a.amount} for a in payment.allocations.order_by("pk")]
        invoices = _lock_allocated(payment, [a for a in payment.allocations.all()])
        built, errors = _allocation_errors(payment, specs, invoices)
        _check_total(payment, built, errors)
        if errors:
            raise ValidationFailed(fields=errors)
        payment.exchange_rate = rate_of(payment.company, payment.currency, payment.date)
        payment.number = sequence_next_number(company=payment.company, code=f"payment_{payment.kind}",
                                              on=payment.date)
        payment.entry = entry_post_new(
            actor=actor, company=payment.company, journal=payment.journal, date=payment.date,
            lines=signed_lines(_posting_rows(payment, built)), reference=payment.reference or payment.number,
            description=payment.description or str(payment.partner), source=f"accounting.payment:{payment.pk}",
        )
        payment.allocations.all().delete()
        _save_allocations(payment, built)
        _settle(built)
        payment.state = PaymentState.POSTED
        payment.posted_at = timezone.now()
        payment.save()
        audit.record_transition(payment, from_state=PaymentState.DRAFT, to_state=PaymentState.POSTED)
        events.emit("accounting.payment.posted", company=payment.company, obj=payment,
                    payload={"number": payment.number, "amount": str(payment.amount),
                             "currency": payment.currency.code})
    return payment


def payment_allocate(*, actor, payment: Payment, allocations: list[dict],
                     date: datetime.date | None = None) -> Payment:
    """Allocate a posted payment's unallocated remainder (a prepayment) to more invoices of its side.

    In base currency nothing moves in the ledger (prepayment and invoice sit on the same control account
    of the partner); with foreign currencies an entry dated `date` (default: today) moves the prepayment's
    base amount to the invoice and books the exchange difference. Raises PermissionDenied
    (accounting.post_payment), InvalidState (not posted), ValidationFailed (as payment_post, and an
    invoice of the other side), PeriodClosed.
    """
    require(actor, "accounting.post_payment", payment.company)
    with transaction.atomic():
        lock_company(payment.company)
        payment = _lock_payment(payment, PaymentState.POSTED)
        existing = list(payment.allocations.select_related("invoice"))
        side = payment_side(payment)
        items = allocations if isinstance(allocations, list | tuple) else []
        invoices = lock_invoices(filter(None, (_pk_of(item.get("invoice")) for item in items
                                               if isinstance(item, dict))))
        for invoice in invoices.values():
            invoice.company = payment.company
        built, errors = _allocation_errors(payment, allocations, invoices, existing=existing)
        if not errors and built and {is_customer_kind(a.invoice.kind) for a in built} != {side == "customer"}:
            errors["allocations"] = [_("This payment's remainder is on the %(side)s side: allocate it to documents "
                                       "of that side.") % {"side": _("customer") if side == "customer"
                                                           else _("supplier")}]
        remainder = payment_remainder(payment, existing)
        _check_total(payment, built, errors, available=remainder)
        if not built and not errors:
            errors["allocations"] = [_("Allocate the payment to at least one invoice.")]
        if errors:
            raise ValidationFailed(fields=errors)
        _post_allocation_entry(actor, payment, side, built, remainder, date or timezone.localdate())
        _save_allocations(payment, built)
        _settle(built)
        events.emit("accounting.payment.allocated", company=payment.company, obj=payment,
                    payload={"number": payment.number, "invoices": [str(a.invoice) for a in built]})
    return payment


def _pk_of(value) -> int | None:
    if isinstance(value, Invoice):
        return value.pk
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _post_allocation_entry(actor, payment, side, built, remainder, date) -> None:
    company, direction, rate = payment.company, _direction(payment), payment.exchange_rate
    left = remainder - sum((allocation_sign(payment, a.invoice) * a.payment_amount for a in built), ZERO)
    consumed = base_amount(remainder, rate, company) - base_amount(left, rate, company)
    rows = [_remainder_row(payment, side, direction * (remainder - left), direction * consumed, _("Prepayment used"))]
    rows += _allocation_rows(payment, built)
    _balance_exchange(payment, rows)
    net: dict = {}
    for row in rows:
        key = (row["account"].pk, row["partner"].pk)
        net[key] = net.get(key, ZERO) + row["amount"]
    if not any(net.values()):
        return  # one control account of one partner: the allocation moves nothing in base currency
    entry_post_new(actor=actor, company=company, journal=payment.journal, date=date, lines=signed_lines(rows),
                   reference=payment.number, description=_("Allocation of %(number)s") % {"number": payment.number},
                   source=f"accounting.payment:{payment.pk}")


def payment_cancel(*, actor, payment: Payment, date: datetime.date | None = None) -> Payment:
    """Cancel a draft, or a posted payment: reverse its entries (dated `date`, default today) and undo its
    allocations, so each invoice's amount_paid and state are derived again.

    Raises PermissionDenied (accounting.cancel_payment), InvalidState (cancelled already), PeriodClosed.
    """
    require(actor, "accounting.cancel_payment", payment.company)
    with transaction.atomic():
        lock_company(payment.company)
        payment = Payment.objects.select_for_update(of=("self",)).select_related("company").get(pk=payment.pk)
        before = payment.state
        if before == PaymentState.CANCELLED:
            raise InvalidState(_("Payment %(number)s is cancelled already.") % {"number": payment})
        if before == PaymentState.POSTED:
            entries = (JournalEntry.objects.select_for_update(of=("self",)).select_related("company", "journal")
                       .filter(company=payment.company, source=f"accounting.payment:{payment.pk}",
                               state=EntryState.POSTED, reversal_of__isnull=True, reversed_by__isnull=True)
                       .order_by("pk"))
            for entry in entries:
                reverse_locked(entry, actor, date=date or timezone.localdate(),
                               description=_("Cancellation of %(number)s") % {"number": payment.number})
            built = list(payment.allocations.order_by("pk"))
            invoices = _lock_allocated(payment, built)
            for allocation in built:
                allocation.invoice = invoices[allocation.invoice_id]
            _settle(built, -1)
        payment.state = PaymentState.CANCELLED
        payment.save(update_fields=["state"])
        audit.record_transition(payment, from_state=before, to_state=PaymentState.CANCELLED)
        events.emit("accounting.payment.cancelled", company=payment.company, obj=payment,
                    payload={"number": payment.number})
    return payment

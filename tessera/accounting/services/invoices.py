"""Customer and supplier invoices and credit notes: drafts, posting into the ledger, credit notes, cancel.

Posting scheme (amounts in base currency; `amount_currency` carries the document currency when foreign):
- customer invoice: Dr receivable (partner) total / Cr each line's revenue account its untaxed amount /
  Cr each tax's account (output VAT) its tax;
- supplier invoice: Dr each line's expense account / Dr input VAT / Cr payable (partner) total;
- credit notes: the mirror image of their invoice kind.
Lines and taxes are converted one by one at the invoice's rate; the total is converted once; what that
rounding (or rounding per document with tax-included prices) leaves over goes to the rounding-role account.

Settlement: `amount_paid` rises with allocations of posted payments (services/payments.py) and with
credit notes that credit this invoice (`credit_note_of`): posting a linked credit note settles as much of
the invoice as is open, at the invoice's rate, so no exchange difference arises. The state follows
`amount_paid` (posted -> partially paid -> paid). A posted invoice with nothing settled is cancelled by a
full credit note; it then ends `cancelled` and the credit note `paid`, both fully settled by each other.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.approvals.services import approval_check
from tessera.core import audit, events
from tessera.core.errors import InvalidState, NotFound, ValidationFailed
from tessera.core.models import Company, Currency
from tessera.core.permissions import require
from tessera.core.services.base import validate
from tessera.core.services.currency import currency_rate, currency_round
from tessera.core.services.numbering import sequence_default, sequence_next_number

from .. import hooks
from ..choices import CUSTOMER_KINDS, AccountRole, InvoiceKind, InvoiceState, JournalKind, TaxKind
from ..models import Account, Invoice, InvoiceLine, Journal, Tax
from .ledger import _amount, _assign, _foreign_errors, _related, entry_post_new
from .periods import lock_company
from .setup import account_by_role

for _kind, _name, _prefix in (
    (InvoiceKind.CUSTOMER_INVOICE, "Customer invoice", "INV-{fy}-"),
    (InvoiceKind.SUPPLIER_INVOICE, "Supplier invoice", "BILL-{fy}-"),
    (InvoiceKind.CUSTOMER_CREDIT, "Customer credit note", "RINV-{fy}-"),
    (InvoiceKind.SUPPLIER_CREDIT, "Supplier credit note", "RBILL-{fy}-"),
):
    sequence_default(_kind.value, name=_name, prefix=_prefix, padding=5)

HEADER_FIELDS = {"kind", "partner", "journal", "date", "due_on", "payment_term", "currency", "reference",
                 "description", "tax_rounding", "credit_note_of"}
LINE_FIELDS = {"product", "description", "account", "quantity", "uom", "unit_price", "discount", "taxes", "cost_center"}
OPEN_STATES = {InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID}
SETTLED_STATES = {InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID, InvoiceState.PAID}
ZERO = Decimal("0")
CREDIT_OF = {InvoiceKind.CUSTOMER_CREDIT: InvoiceKind.CUSTOMER_INVOICE,
             InvoiceKind.SUPPLIER_CREDIT: InvoiceKind.SUPPLIER_INVOICE}
CREDIT_FOR = {invoice_kind: credit_kind for credit_kind, invoice_kind in CREDIT_OF.items()}


# --- shared with payments -------------------------------------------------------------------------------

def is_customer_kind(kind: str) -> bool:
    return kind in CUSTOMER_KINDS


def owed_sign(kind: str) -> int:
    """+1 when the document makes the partner owe us (customer invoice, supplier credit note), else -1:
    the sign of its control line (debit positive)."""
    return 1 if kind in {InvoiceKind.CUSTOMER_INVOICE, InvoiceKind.SUPPLIER_CREDIT} else -1


def control_account(company: Company, kind: str) -> Account:
    """The receivable account for customer documents, the payable account for supplier documents."""
    return account_by_role(company, AccountRole.RECEIVABLE if is_customer_kind(kind) else AccountRole.PAYABLE)


def base_amount(amount: Decimal, rate: Decimal, company: Company) -> Decimal:
    """`amount` of a document currency in the company's base currency at `rate`, rounded."""
    return currency_round(amount * rate, company.base_currency)


def rate_of(company: Company, currency: Currency, day: datetime.date, field: str = "currency") -> Decimal:
    """Units of base currency for one unit of `currency` on `day`; a missing rate is a field error."""
    try:
        return currency_rate(currency=currency, quote=company.base_currency, on=day)
    except NotFound as error:
        raise ValidationFailed(fields={field: [error.message]}) from None


def signed_lines(rows: list[dict]) -> list[dict]:
    """Entry line dicts from rows with a signed base `amount` (debit positive); zero rows are left out."""
    lines = []
    for row in rows:
        amount = row.pop("amount")
        if amount == 0:
            continue
        lines.append({**row, "debit": amount if amount > 0 else ZERO, "credit": -amount if amount < 0 else ZERO})
    return lines


def balance_to(rows: list[dict], *, debit_account: Account, credit_account: Account, partner,
               description: str) -> None:
    """Add the row that makes `rows` (signed base amounts) balance: a debit to `debit_account` or a
    credit to `credit_account` (rounding, exchange loss or gain)."""
    difference = -sum((row["amount"] for row in rows), ZERO)
    if difference:
        rows.append({"account": debit_account if difference > 0 else credit_account, "partner": partner,
                     "amount": difference, "description": description})


def lock_invoices(pks) -> dict[int, Invoice]:
    """Lock invoices in pk order (one order for every writer) and return them by pk."""
    return {invoice.pk: invoice for invoice in
            Invoice.objects.select_for_update(of=("self",)).filter(pk__in=sorted(set(pks))).order_by("pk")}


def derived_state(invoice: Invoice) -> str:
    """The state a settled document's `amount_paid` implies."""
    if invoice.amount_paid == 0:
        return InvoiceState.POSTED
    return InvoiceState.PAID if invoice.amount_paid >= invoice.total else InvoiceState.PARTIALLY_PAID


def invoice_settle(invoice: Invoice, delta: Decimal) -> Invoice:
    """Add `delta` (negative to undo) to a locked invoice's `amount_paid`, re-derive its state and record
    the move. Raises ValidationFailed when that would overpay the invoice or go below zero."""
    paid = invoice.amount_paid + delta
    if paid < 0 or paid > invoice.total:
        raise ValidationFailed(_("Invoice %(number)s has %(residual)s open.")
                               % {"number": invoice.number, "residual": invoice.residual})
    before = invoice.state
    invoice.amount_paid = paid
    if before != InvoiceState.CANCELLED:
        invoice.state = derived_state(invoice)
    invoice.save(update_fields=["amount_paid", "state"])
    if invoice.state != before:
        audit.record_transition(invoice, from_state=before, to_state=invoice.state)
    for hook in hooks.SETTLED:
        hook(invoice)
    return invoice


# --- drafts ---------------------------------------------------------------------------------------------

def _line_spec(line: InvoiceLine) -> dict:
    return {"product": line.product_id, "description": line.description, "account": line.account_id,
            "quantity": line.quantity, "uom": line.uom_id,
            "unit_price": line.unit_price, "discount": line.discount, "taxes": list(line.taxes.all()),
            "cost_center": line.cost_center_id}


def _header_errors(invoice: Invoice, data: dict, *, creating: bool) -> dict:
    """Set `data` on the draft `invoice`, fill the defaults, and return the header's field errors."""
    company = invoice.company
    errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - HEADER_FIELDS)}
    for name in set(data) & HEADER_FIELDS:
        _assign(invoice, name, data[name] if data[name] != "" or name in {"reference", "description"} else None)
    if invoice.kind not in InvoiceKind.values:
        return {**errors, "kind": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(InvoiceKind.values)}]}
    customer = is_customer_kind(invoice.kind)
    errors.update(_foreign_errors(company, invoice, ("partner", "journal", "payment_term", "credit_note_of")))
    partner = _related(invoice, "partner")
    if partner is not None and "partner" not in errors:
        if not partner.is_active:
            errors["partner"] = [_("Partner %(code)s is inactive.") % {"code": partner.code}]
        elif customer and not partner.is_customer:
            errors["partner"] = [_("Partner %(code)s is not a customer.") % {"code": partner.code}]
        elif not customer and not partner.is_supplier:
            errors["partner"] = [_("Partner %(code)s is not a supplier.") % {"code": partner.code}]
        if creating and "payment_term" not in data:
            invoice.payment_term_id = partner.payment_term_id
        if creating and "currency" not in data:
            invoice.currency_id = partner.currency_id or company.base_currency_id
    if creating and "currency" not in data and invoice.currency_id is None:
        invoice.currency_id = company.base_currency_id
    journal_kind = JournalKind.SALES if customer else JournalKind.PURCHASE
    if invoice.journal_id is None and "journal" not in data:
        invoice.journal = Journal.objects.filter(company=company, kind=journal_kind, is_active=True).order_by(
            "code").first()
    journal = _related(invoice, "journal")
    if journal is not None and "journal" not in errors and (journal.kind != journal_kind or not journal.is_active):
        errors["journal"] = [_("Choose an active sales journal.") if customer
                             else _("Choose an active purchase journal.")]
    original = _related(invoice, "credit_note_of")
    if original is not None and "credit_note_of" not in errors:
        if CREDIT_OF.get(invoice.kind) != original.kind:
            errors["credit_note_of"] = [_("A credit note credits an invoice of the same side.")]
        elif original.state not in SETTLED_STATES:
            errors["credit_note_of"] = [_("Only a posted invoice can be credited.")]
        elif original.partner_id != invoice.partner_id:
            errors["credit_note_of"] = [_("The credited invoice belongs to another partner.")]
        elif original.currency_id != invoice.currency_id:
            errors["credit_note_of"] = [_("A credit note is in the currency of the invoice it credits.")]
    try:
        validate(invoice)
    except ValidationFailed as error:
        errors.update({name: messages for name, messages in error.fields.items() if name not in errors})
    return errors


def _taxes(company: Company, values, kind: str) -> tuple[list[Tax], list[str]]:
    if values is None:
        return [], []
    if not isinstance(values, list | tuple):
        return [], [_("Send the taxes as a list.")]
    pks = [value.pk if isinstance(value, Tax) else value for value in values]
    try:
        found = {tax.pk: tax for tax in Tax.objects.filter(company=company, pk__in=pks)}
    except (TypeError, ValueError, DjangoValidationError):
        return [], [_("Choose taxes of this company.")]
    wanted = TaxKind.SALES if is_customer_kind(kind) else TaxKind.PURCHASE
    taxes, errors = [], []
    for pk in pks:
        tax = found.get(pk)
        if tax is None:
            errors.append(_("Choose taxes of this company."))
        elif not tax.is_active:
            errors.append(_("Tax %(name)s is inactive.") % {"name": tax.name})
        elif tax.kind != wanted:
            errors.append(_("Tax %(name)s is not a sales tax.") % {"name": tax.name} if wanted == TaxKind.SALES
                          else _("Tax %(name)s is not a purchase tax.") % {"name": tax.name})
        else:
            taxes.append(tax)
    return taxes, errors


def _product_defaults(invoice: Invoice, line: InvoiceLine, data: dict) -> tuple[dict, dict]:
    """The line's data completed from its product (what is sent wins): description, account (the
    category's income or expense account), unit, unit price (list price or standard cost) and the
    product's default tax when `taxes` is omitted (API.md)."""
    from tessera.products.services.categories import category_setting

    errors = _foreign_errors(invoice.company, line, ("product",))
    product = _related(line, "product")
    if product is None:
        if line.product_id is not None and "product" not in errors:
            errors["product"] = [_("Choose one of this company's products.")]
        if data.get("uom") is not None:
            errors["uom"] = [_("Choose a product to give the line a unit.")]
        return data, errors
    if errors:
        return data, errors
    customer = is_customer_kind(invoice.kind)
    completed = dict(data)
    completed.setdefault("description", product.name)
    if completed.get("account") is None:
        completed["account"] = category_setting(product.category, "income_account" if customer else "expense_account")
    if completed.get("uom") is None:
        completed["uom"] = product.uom
    if completed.get("unit_price") in (None, ""):
        completed["unit_price"] = product.list_price if customer else product.standard_cost
    if "taxes" not in data:
        tax = product.sales_tax if customer else product.purchase_tax
        completed["taxes"] = [tax] if tax is not None else []
    return completed, errors


def _uom_errors(line: InvoiceLine) -> dict:
    uom, product = _related(line, "uom"), _related(line, "product")
    if uom is None or product is None:
        return {}
    if uom.company_id != line.company_id:
        return {"uom": [_("Choose one of this company's records.")]}
    if uom.category_id != product.uom.category_id:
        return {"uom": [_("Choose a unit of the same kind as the product's unit (%(unit)s).") % {"unit": product.uom}]}
    return {}


def _line_errors(invoice: Invoice, line: InvoiceLine, data: dict) -> tuple[list[Tax], dict]:
    errors: dict[str, list[str]] = {name: [_("This field cannot be set.")] for name in sorted(set(data) - LINE_FIELDS)}
    if data.get("product") is not None:
        _assign(line, "product", data["product"])
    data, product_errors = _product_defaults(invoice, line, data)
    errors.update(product_errors)
    for name in {"description", "account", "cost_center", "uom"} & set(data):
        _assign(line, name, data[name])
    for name, default in (("quantity", Decimal("1")), ("unit_price", None), ("discount", ZERO)):
        try:
            setattr(line, name, _amount(data.get(name), default=default))
        except ValueError as error:
            errors[name] = [str(error)]
    taxes, tax_errors = _taxes(invoice.company, data.get("taxes"), invoice.kind)
    if tax_errors:
        errors["taxes"] = tax_errors
    try:
        line.clean_fields(exclude=["invoice", "company"] + list(errors))
    except DjangoValidationError as error:
        errors.update(ValidationFailed.from_django(error).fields)
    if "quantity" not in errors and line.quantity is not None and line.quantity <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    errors.update(_foreign_errors(invoice.company, line, ("account", "cost_center")))
    errors.update(_uom_errors(line))
    account = _related(line, "account")
    if account is not None and "account" not in errors:
        if account.children.exists():
            errors["account"] = [_("Post to a leaf account: %(code)s has sub-accounts.") % {"code": account.code}]
        elif not account.is_active:
            errors["account"] = [_("Account %(code)s is inactive.") % {"code": account.code}]
        elif account.role in {AccountRole.RECEIVABLE, AccountRole.PAYABLE}:
            errors["account"] = [_("Account %(code)s is a control account: choose a revenue or expense account.")
                                 % {"code": account.code}]
    return taxes, errors


def _build_lines(invoice: Invoice, lines) -> tuple[list[tuple[InvoiceLine, list[Tax]]], dict]:
    """Unsaved lines with their taxes, and the field errors (`lines.<i>.<field>`)."""
    if not isinstance(lines, list | tuple):
        return [], {"lines": [_("Send the lines as a list.")]}
    built, errors = [], {}
    for index, data in enumerate(lines):
        line = InvoiceLine(company=invoice.company, sequence=index + 1)
        if not isinstance(data, dict):
            errors[f"lines.{index}.non_field_errors"] = [_("Send each line as an object.")]
            continue
        taxes, line_errors = _line_errors(invoice, line, data)
        errors.update({f"lines.{index}.{name}": messages for name, messages in line_errors.items()})
        built.append((line, taxes))
    return built, errors


def _gross(line: InvoiceLine) -> Decimal:
    return line.quantity * line.unit_price * (100 - line.discount) / 100


def _compute(invoice: Invoice, built: list[tuple[InvoiceLine, list[Tax]]]):
    """Set each line's and the invoice's totals; return the document's taxes (services/taxes.py)."""
    from .taxes import document_taxes

    result = document_taxes([(_gross(line), taxes) for line, taxes in built], invoice.currency,
                            invoice.tax_rounding)
    for (line, _taxes_of_line), line_result in zip(built, result.lines, strict=True):
        line.subtotal, line.total_tax, line.total = line_result.untaxed, line_result.tax_total, line_result.total
    invoice.total_untaxed, invoice.total_tax, invoice.total = result.untaxed, result.tax_total, result.total
    return result


def _prepare(invoice: Invoice, data: dict, lines, *, creating: bool):
    errors = _header_errors(invoice, data, creating=creating)
    if errors.get("kind"):
        raise ValidationFailed(fields=errors)
    built, line_errors = _build_lines(invoice, lines)
    if errors or line_errors:
        raise ValidationFailed(fields={**errors, **line_errors})
    _compute(invoice, built)
    return built


def _save_lines(invoice: Invoice, built) -> None:
    for line, taxes in built:
        line.invoice = invoice
        line.save()
        line.taxes.set(taxes)


def invoice_create(*, actor, company: Company, data: dict, lines: list[dict]) -> Invoice:
    """A draft invoice or credit note with its lines and computed totals.

    `data`: kind, partner, journal (default: the first active sales/purchase journal), date, due_on,
    payment_term (default: the partner's), currency (default: the partner's, else the base currency),
    reference, description, tax_rounding, credit_note_of. Lines: description, account, quantity,
    unit_price, discount, taxes (Tax or ids), cost_center. Raises PermissionDenied, ValidationFailed
    (`lines.<i>.<field>` keys); nothing is written on failure.
    """
    require(actor, "accounting.add_invoice", company)
    invoice = Invoice(company=company)
    built = _prepare(invoice, data, lines, creating=True)
    with transaction.atomic():
        invoice.save()
        _save_lines(invoice, built)
    return invoice


def _lock_draft(invoice: Invoice) -> Invoice:
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("company").get(pk=invoice.pk)
    if invoice.state != InvoiceState.DRAFT:
        raise InvalidState(_("Invoice %(number)s is not a draft.") % {"number": invoice})
    return invoice


def invoice_update(*, actor, invoice: Invoice, data: dict, lines: list[dict] | None = None,
                   version: int | None = None) -> Invoice:
    """Change a draft's header and (when `lines` is given) replace its lines; totals are recomputed.

    Raises InvalidState (not a draft, or `version` stale), ValidationFailed; nothing written on failure.
    """
    require(actor, "accounting.change_invoice", invoice.company)
    with transaction.atomic():
        invoice = _lock_draft(invoice)
        if version is not None and version != invoice.version:
            raise InvalidState(_("Someone else changed this invoice meanwhile: reload it and try again."))
        replace = lines is not None
        specs = lines if replace else [_line_spec(line) for line in invoice.lines.order_by("sequence", "pk")]
        built = _prepare(invoice, data, specs, creating=False)
        invoice.lines.all().delete()
        invoice.version += 1
        invoice.save()
        _save_lines(invoice, built)
    return invoice


def invoice_delete(*, actor, invoice: Invoice) -> None:
    """Delete a draft and its lines. Raises InvalidState for anything else."""
    require(actor, "accounting.delete_invoice", invoice.company)
    with transaction.atomic():
        _lock_draft(invoice).delete()


def credit_note_create(*, actor, invoice: Invoice, date: datetime.date | None = None) -> Invoice:
    """A draft credit note copying a posted invoice's lines, linked to it by `credit_note_of`.

    Raises PermissionDenied, InvalidState (a credit note, a draft or a cancelled invoice).
    """
    require(actor, "accounting.add_invoice", invoice.company)
    if invoice.kind not in CREDIT_FOR or invoice.state not in SETTLED_STATES:
        raise InvalidState(_("Only a posted invoice can be credited."))
    return _copy_as_credit(actor, invoice, date or timezone.localdate())


def _copy_as_credit(actor, invoice: Invoice, date: datetime.date) -> Invoice:
    data = {"kind": CREDIT_FOR[invoice.kind], "partner": invoice.partner, "journal": invoice.journal,
            "date": date, "payment_term": invoice.payment_term, "currency": invoice.currency,
            "reference": invoice.number, "tax_rounding": invoice.tax_rounding, "credit_note_of": invoice,
            "description": _("Credit note for %(number)s") % {"number": invoice.number}}
    credit = Invoice(company=invoice.company)
    built = _prepare(credit, data, [_line_spec(line) for line in invoice.lines.order_by("sequence", "pk")],
                     creating=True)
    with transaction.atomic():
        credit.save()
        _save_lines(credit, built)
    return credit


# --- posting --------------------------------------------------------------------------------------------

def _entry_lines(invoice: Invoice, built, result) -> list[dict]:
    """The invoice's journal entry lines (see the module docstring)."""
    company, rate, sign = invoice.company, invoice.exchange_rate, owed_sign(invoice.kind)
    foreign = invoice.currency_id != company.base_currency_id

    def row(account, amount, description, cost_center=None):
        return {"account": account, "partner": invoice.partner, "amount": base_amount(amount, rate, company),
                "description": description[:255], "cost_center": cost_center,
                "currency": invoice.currency if foreign else None, "amount_currency": amount if foreign else None}

    label = invoice.number
    rows = [row(control_account(company, invoice.kind), sign * invoice.total, label)]
    for line, _line_taxes in built:
        line_row = row(line.account, -sign * line.subtotal, line.description, line.cost_center)
        parts = hooks.line_split(invoice, line, line_row["amount"])
        if parts is None:
            rows.append(line_row)
            continue
        for account, amount, description in parts:  # in base currency: no amount_currency on the parts
            rows.append({**line_row, "account": account, "amount": amount, "description": description[:255],
                         "currency": None, "amount_currency": None})
    for item in result.taxes:
        if item.amount:
            role = AccountRole.TAX_OUTPUT if item.tax.kind == TaxKind.SALES else AccountRole.TAX_INPUT
            account = item.tax.account or account_by_role(company, role)
            rows.append(row(account, -sign * item.amount, f"{label} {item.tax.name}"))
    rounding = account_by_role(company, AccountRole.ROUNDING) if _unbalanced(rows) else None
    balance_to(rows, debit_account=rounding, credit_account=rounding, partner=invoice.partner,
               description=_("Rounding difference"))
    return signed_lines(rows)


def _unbalanced(rows) -> bool:
    return sum((row["amount"] for row in rows), ZERO) != 0


def _post_locked(actor, invoice: Invoice) -> Invoice:
    """Post a locked draft (the caller holds the company lock): see the module docstring."""
    if invoice.state != InvoiceState.DRAFT:
        raise InvalidState(_("Invoice %(number)s is not a draft.") % {"number": invoice})
    company = invoice.company
    built = [(line, list(line.taxes.all())) for line in
             invoice.lines.select_related("account", "cost_center").order_by("sequence", "pk")]
    if not built:
        raise ValidationFailed(fields={"lines": [_("An invoice needs at least one line.")]})
    result = _compute(invoice, built)
    if invoice.total <= 0:
        raise ValidationFailed(fields={"lines": [_("The invoice total must be more than zero.")]})
    original = invoice.credit_note_of
    if original is not None:
        original = lock_invoices([original.pk])[original.pk]
        if original.state not in SETTLED_STATES:
            raise ValidationFailed(fields={"credit_note_of": [_("Only a posted invoice can be credited.")]})
        invoice.exchange_rate = original.exchange_rate  # a credit note corrects its invoice at its rate
    else:
        invoice.exchange_rate = rate_of(company, invoice.currency, invoice.date)
    if invoice.due_on is None:
        invoice.due_on = invoice.payment_term.due_on(invoice.date) if invoice.payment_term else invoice.date
    invoice.number = sequence_next_number(company=company, code=invoice.kind, on=invoice.date)
    invoice.entry = entry_post_new(
        actor=actor, company=company, journal=invoice.journal, date=invoice.date,
        lines=_entry_lines(invoice, built, result), reference=invoice.reference or invoice.number,
        description=invoice.description or str(invoice.partner), source=f"accounting.invoice:{invoice.pk}",
    )
    for line, _line_taxes in built:
        line.save(update_fields=["subtotal", "total_tax", "total"])
    invoice.state = InvoiceState.POSTED
    invoice.posted_at = timezone.now()
    invoice.save()
    audit.record_transition(invoice, from_state=InvoiceState.DRAFT, to_state=InvoiceState.POSTED)
    events.emit("accounting.invoice.posted", company=company, obj=invoice,
                payload={"number": invoice.number, "kind": invoice.kind, "total": str(invoice.total),
                         "currency": invoice.currency.code})
    for hook in hooks.POSTED:  # before settling: a credit note gives back what it credits first
        hook(invoice)
    if original is not None and original.residual > 0:
        settled = min(original.residual, invoice.total)
        invoice_settle(original, settled)
        invoice_settle(invoice, settled)
    return invoice


def invoice_post(*, actor, invoice: Invoice) -> Invoice:
    """Post a draft: number (INV-/BILL-/RINV-/RBILL-{fy}-00001), exchange rate of its date, due date
    from the payment term unless given, and the journal entry. A credit note of an invoice settles
    what is open of that invoice.

    Raises PermissionDenied (accounting.post_invoice), InvalidState (not a draft), ValidationFailed (no
    lines, total not above zero, no exchange rate), PeriodClosed (409 period_closed), ApprovalRequired
    (409 approval_required: an approval rule applies and the invoice is not approved as it is).
    """
    require(actor, "accounting.post_invoice", invoice.company)
    with transaction.atomic():
        lock_company(invoice.company)
        locked = Invoice.objects.select_for_update(of=("self",)).select_related(
            "company", "partner", "currency", "payment_term", "journal").get(pk=invoice.pk)
        if locked.state == InvoiceState.DRAFT:
            approval_check(locked)
            for guard in hooks.POST_GUARDS:
                guard(locked)
        return _post_locked(actor, locked)


def invoice_cancel(*, actor, invoice: Invoice, date: datetime.date | None = None) -> Invoice:
    """Cancel a draft, or a posted invoice with nothing settled by posting a full credit note dated `date`
    (default: today) that settles it: the invoice ends `cancelled`, the credit note `paid`.

    Raises PermissionDenied (accounting.cancel_invoice), InvalidState (a credit note with settlements,
    a partly or fully paid or cancelled invoice), PeriodClosed.
    """
    require(actor, "accounting.cancel_invoice", invoice.company)
    with transaction.atomic():
        lock_company(invoice.company)
        invoice = lock_invoices([invoice.pk])[invoice.pk]
        before = invoice.state
        if before == InvoiceState.DRAFT:
            invoice.state = InvoiceState.CANCELLED
            invoice.save(update_fields=["state"])
        elif before == InvoiceState.POSTED and invoice.amount_paid == 0 and invoice.kind in CREDIT_FOR:
            credit = _copy_as_credit(actor, invoice, date or timezone.localdate())
            credit = Invoice.objects.select_for_update(of=("self",)).select_related(
                "company", "partner", "currency", "payment_term", "journal").get(pk=credit.pk)
            _post_locked(actor, credit)
            invoice.refresh_from_db()
            invoice.state = InvoiceState.CANCELLED
            invoice.save(update_fields=["state"])
            before = InvoiceState.PAID  # what settling by the credit note made it
        elif invoice.kind not in CREDIT_FOR and before != InvoiceState.CANCELLED:
            raise InvalidState(_("A posted credit note is not cancelled: post an invoice to undo it."))
        else:
            raise InvalidState(_("Invoice %(number)s cannot be cancelled in state “%(state)s”: only a draft or a "
                                 "posted invoice with nothing paid can.")
                               % {"number": invoice, "state": invoice.get_state_display()})
        audit.record_transition(invoice, from_state=before, to_state=InvoiceState.CANCELLED)
        for hook in hooks.CANCELLED:
            hook(invoice)
        events.emit("accounting.invoice.cancelled", company=invoice.company, obj=invoice,
                    payload={"number": invoice.number})
    return invoice


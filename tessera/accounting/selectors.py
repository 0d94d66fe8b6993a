"""Reads of accounting documents, scoped to a company (and to the user where a user asks)."""

from django.db.models import F, QuerySet

from tessera.core.models import Company
from tessera.core.selectors import model_list

from .choices import CUSTOMER_KINDS, InvoiceKind, InvoiceState
from .models import Invoice, Payment

SIDE_KINDS = {
    "customer": sorted(CUSTOMER_KINDS),
    "supplier": sorted(set(InvoiceKind.values) - set(CUSTOMER_KINDS)),
}


def open_invoices(company: Company, partner, kind_side: str) -> QuerySet[Invoice]:
    """Posted or partly paid invoices and credit notes of `partner` on one side ("customer" or
    "supplier") with something left to settle (residual > 0), oldest due first: the allocation screen's
    choices. Raises ValueError for another side."""
    if kind_side not in SIDE_KINDS:
        raise ValueError(f"kind_side must be 'customer' or 'supplier', not {kind_side!r}")
    return (Invoice.objects.filter(company=company, partner=partner, kind__in=SIDE_KINDS[kind_side],
                                   state__in=[InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID],
                                   total__gt=F("amount_paid"))
            .select_related("currency", "partner").order_by("due_on", "date", "pk"))


def invoice_list(user, company: Company | None) -> QuerySet[Invoice]:
    """Invoices and credit notes `user` may view in `company` (accounting.view_invoice)."""
    return model_list(user, Invoice, company).select_related("partner", "currency", "journal")


def payment_list(user, company: Company | None) -> QuerySet[Payment]:
    """Payments `user` may view in `company` (accounting.view_payment)."""
    return model_list(user, Payment, company).select_related("partner", "currency", "journal")


def invoice_payments(invoice: Invoice) -> QuerySet:
    """The allocations of posted payments that settle `invoice`, oldest first (its payment history)."""
    return (invoice.allocations.filter(payment__state="posted").select_related("payment")
            .order_by("payment__date", "pk"))

"""Accounting documents that may need approval (tessera.approvals registry): invoices and credit notes
(a rule names the kind it is for, e.g. supplier invoices) and outgoing payments.

The amount is in the company's currency: the document total at the exchange rate of its date (for a
draft, the rate recorded for that date, as posting will take it). `invoice_post` and `payment_post`
call `approval_check`, so a document a rule applies to is posted only once approved as it is.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tessera.approvals.registry import NUMBER, REFERENCE, TEXT, register

from .choices import InvoiceKind, InvoiceState, PaymentKind, PaymentState


def _in_base(document, amount: Decimal) -> Decimal:
    from .services.invoices import base_amount, rate_of

    company = document.company
    if document.currency_id == company.base_currency_id:
        return amount
    rate = document.exchange_rate if document.state != "draft" else rate_of(company, document.currency, document.date)
    return base_amount(amount, rate, company)


def _money(document, amount) -> str:
    return f"{document.currency.code} {number_format(amount, 2, force_grouping=True)}"


def invoice_amount(invoice) -> Decimal:
    return _in_base(invoice, invoice.total)


def invoice_categories(invoice) -> list:
    return [line.product.category for line in invoice.lines.select_related("product__category")
            if line.product_id and line.product.category_id]


def invoice_cost_centers(invoice) -> list:
    return [line.cost_center for line in invoice.lines.select_related("cost_center") if line.cost_center_id]


def invoice_discount(invoice) -> Decimal:
    return max((line.discount for line in invoice.lines.all()), default=Decimal("0"))


def invoice_summary(invoice) -> str:
    parts = [str(invoice.get_kind_display()), invoice.partner.name, _money(invoice, invoice.total)]
    if invoice.reference:
        parts.append(invoice.reference)
    return " · ".join(str(part) for part in parts)


def payment_amount(payment) -> Decimal:
    return _in_base(payment, payment.amount)


def payment_summary(payment) -> str:
    parts = [str(payment.get_kind_display()), payment.partner.name, _money(payment, payment.amount)]
    if payment.reference:
        parts.append(payment.reference)
    return " · ".join(str(part) for part in parts)


register(
    "accounting.invoice", label=_("Invoice"), amount=invoice_amount, summary=invoice_summary,
    url=lambda invoice: reverse("accounting:invoice_detail", args=[invoice.pk]),
    kinds={kind.value: kind.label for kind in InvoiceKind}, kind=lambda invoice: invoice.kind,
    submittable=lambda invoice: invoice.state == InvoiceState.DRAFT,
    fields={
        "partner": (_("Partner"), lambda invoice: invoice.partner, REFERENCE, "partners.partner"),
        "currency": (_("Currency"), lambda invoice: invoice.currency.code, TEXT),
        "journal": (_("Journal"), lambda invoice: invoice.journal, REFERENCE, "accounting.journal"),
        "product_category": (_("Product category"), invoice_categories, REFERENCE, "products.productcategory"),
        "cost_center": (_("Cost centre"), invoice_cost_centers, REFERENCE, "accounting.costcenter"),
        "discount": (_("Discount % (highest of the lines)"), invoice_discount, NUMBER),
        "total": (_("Total (document currency)"), lambda invoice: invoice.total, NUMBER),
    },
)

register(
    "accounting.payment", label=_("Payment"), amount=payment_amount, summary=payment_summary,
    url=lambda payment: reverse("accounting:payment_detail", args=[payment.pk]),
    kinds={PaymentKind.OUTBOUND.value: PaymentKind.OUTBOUND.label}, kind=lambda payment: payment.kind,
    submittable=lambda payment: payment.state == PaymentState.DRAFT,
    fields={
        "partner": (_("Partner"), lambda payment: payment.partner, REFERENCE, "partners.partner"),
        "currency": (_("Currency"), lambda payment: payment.currency.code, TEXT),
        "journal": (_("Journal"), lambda payment: payment.journal, REFERENCE, "accounting.journal"),
    },
)

"""Demo invoices, credit notes and payments, so that a new user finds open receivables and payables,
overdue items in the aged balances, a partly paid invoice and a foreign-currency customer.

CN01 (企业会计准则): customer invoices with 13 % output VAT over the last four months — one paid, one
partly paid, one overdue — a credit note, supplier invoices with input VAT, one paid. US01 (IFRS):
a capital contribution, USD invoices and a EUR invoice to a customer abroad, receipts and a supplier bill.

Idempotent: each document is found by its reference.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.core import demo
from tessera.core.models import Currency
from tessera.partners.models import Partner

from .demo import _month_day
from .models import Account, Invoice, Journal, JournalEntry, Payment, Tax
from .services.invoices import credit_note_create, invoice_create, invoice_post
from .services.ledger import entry_post_new
from .services.payments import payment_create, payment_post

# (reference, kind, partner, months back, day, currency or None, lines [(description, account, qty, price,
# tax name or None)], post)
INVOICES = {
    "CN01": [
        ("DEMO-INV-01", "customer_invoice", "C001", 3, 6, None,
         [("笔记本电脑 ThinkPad E14", "6001", "10", "4500.00", "销项税 13%"),
          ("上门安装服务", "6001", "1", "800.00", "销项税 13%")], True),
        ("DEMO-INV-02", "customer_invoice", "C002", 1, 12, None,
         [("办公桌椅套装", "6001", "20", "1200.00", "销项税 13%")], True),
        ("DEMO-INV-03", "customer_invoice", "C003", 4, 18, None,
         [("打印机耗材", "6001", "50", "160.00", "销项税 13%")], True),
        ("DEMO-INV-04", "customer_invoice", "C001", 0, 2, None,
         [("显示器 27 英寸", "6001", "8", "1500.00", "销项税 13%")], False),
        ("DEMO-BILL-01", "supplier_invoice", "S001", 1, 8, None,
         [("采购笔记本电脑", "1405", "30", "3600.00", "进项税 13%")], True),
        ("DEMO-BILL-02", "supplier_invoice", "S002", 2, 15, None,
         [("物流运输服务", "6601", "1", "5000.00", "进项税 9%")], True),
    ],
    "US01": [
        ("DEMO-INV-01", "customer_invoice", "C001", 2, 10, None,
         [("Consulting, October", "4000", "40", "150.00", None)], True),
        ("DEMO-INV-02", "customer_invoice", "C002", 1, 5, None,
         [("Hardware bundle", "4000", "5", "980.00", None)], True),
        ("DEMO-INV-03", "customer_invoice", "C001", 0, 1, "EUR",
         [("Implementation services (EU subsidiary)", "4000", "1", "12000.00", None)], True),
        ("DEMO-BILL-01", "supplier_invoice", "S001", 1, 3, None,
         [("Components", "5000", "100", "42.50", None)], True),
    ],
}
# (reference, kind, partner, months back, day, journal, amount, invoice reference or None, amount allocated)
PAYMENTS = {
    "CN01": [
        ("DEMO-PAY-01", "inbound", "C001", 2, 10, "BNK", "51754.00", "DEMO-INV-01", "51754.00"),
        ("DEMO-PAY-02", "inbound", "C002", 0, 1, "BNK", "10000.00", "DEMO-INV-02", "10000.00"),
        ("DEMO-PAY-03", "outbound", "S002", 1, 5, "BNK", "5450.00", "DEMO-BILL-02", "5450.00"),
    ],
    "US01": [
        ("DEMO-PAY-01", "inbound", "C001", 1, 9, "BNK", "6000.00", "DEMO-INV-01", "6000.00"),
        ("DEMO-PAY-02", "outbound", "S001", 0, 1, "BNK", "2000.00", "DEMO-BILL-01", "2000.00"),
    ],
}


@demo.register(order=22)
def build_documents(ctx: demo.DemoContext) -> None:
    """Invoices, a credit note and payments for CN01 and US01 (after the charts and partners)."""
    _us_opening(ctx, ctx.companies["US01"])
    for code in ("CN01", "US01"):
        company = ctx.companies[code]
        created = _invoices(ctx, company) + _payments(ctx, company)
        if code == "CN01":
            created += _credit_note(ctx, company)
        if created:
            ctx.out(_("Created %(count)s demo invoices and payments in %(company)s")
                    % {"count": created, "company": code})


def _day(ctx, months_back: int, day: int) -> datetime.date:
    return min(_month_day(ctx.today, months_back, day), ctx.today)


def _us_opening(ctx, company) -> None:
    if JournalEntry.objects.filter(company=company, reference="DEMO-01").exists():
        return
    accounts = {account.code: account for account in Account.objects.filter(company=company, code__in=["1100", "3000"])}
    if len(accounts) < 2:
        return
    entry_post_new(actor=ctx.admin, company=company, journal=Journal.objects.get(company=company, code="BNK"),
                   date=_day(ctx, 3, 1), reference="DEMO-01", description="Capital contribution",
                   lines=[{"account": accounts["1100"], "debit": Decimal("250000"), "credit": Decimal("0")},
                          {"account": accounts["3000"], "debit": Decimal("0"), "credit": Decimal("250000")}])


def _invoices(ctx, company) -> int:
    partners = {partner.code: partner for partner in Partner.objects.filter(company=company)}
    accounts = {account.code: account for account in Account.objects.filter(company=company)}
    taxes = {tax.name: tax for tax in Tax.objects.filter(company=company)}
    created = 0
    for reference, kind, partner, months_back, day, currency, lines, post in INVOICES[company.code]:
        if Invoice.objects.filter(company=company, reference=reference).exists():
            continue
        data = {"kind": kind, "partner": partners[partner], "date": _day(ctx, months_back, day),
                "reference": reference}
        if currency:
            data["currency"] = Currency.objects.get(code=currency)
        invoice = invoice_create(actor=ctx.admin, company=company, data=data, lines=[
            {"description": text, "account": accounts[account], "quantity": Decimal(quantity),
             "unit_price": Decimal(price), "taxes": [taxes[tax]] if tax else []}
            for text, account, quantity, price, tax in lines])
        if post:
            invoice_post(actor=ctx.admin, invoice=invoice)
        created += 1
    return created


def _payments(ctx, company) -> int:
    partners = {partner.code: partner for partner in Partner.objects.filter(company=company)}
    created = 0
    for reference, kind, partner, months_back, day, journal, amount, invoice_ref, allocated in PAYMENTS[company.code]:
        if Payment.objects.filter(company=company, reference=reference).exists():
            continue
        invoice = Invoice.objects.filter(company=company, reference=invoice_ref).first()
        payment = payment_create(actor=ctx.admin, company=company, data={
            "kind": kind, "partner": partners[partner], "journal": Journal.objects.get(company=company, code=journal),
            "date": max(_day(ctx, months_back, day), invoice.date) if invoice else _day(ctx, months_back, day),
            "amount": Decimal(amount), "reference": reference,
        }, allocations=[{"invoice": invoice, "amount": Decimal(allocated)}] if invoice else [])
        payment_post(actor=ctx.admin, payment=payment)
        created += 1
    return created


def _credit_note(ctx, company) -> int:
    original = Invoice.objects.filter(company=company, reference="DEMO-INV-02").first()
    if original is None or original.credit_notes.exists():
        return 0
    credit = credit_note_create(actor=ctx.admin, invoice=original, date=_day(ctx, 0, 3))
    line = credit.lines.first()
    from .services.invoices import invoice_update

    credit = invoice_update(actor=ctx.admin, invoice=credit, data={"description": "退回 1 套办公桌椅"}, lines=[
        {"description": line.description, "account": line.account, "quantity": Decimal("1"),
         "unit_price": line.unit_price, "taxes": list(line.taxes.all())}])
    invoice_post(actor=ctx.admin, invoice=credit)
    return 1

"""Posted books with customers, suppliers and VAT for the receivables, payables and VAT report tests.

Customers (receivable 1122):
  华北贸易 C001   2026-01-10  invoice 1130 (revenue 1000, VAT 130), no invoice document: due on the date
                  2026-04-15  invoice 2260 (revenue 2000, VAT 260)
                  2026-05-10  receipt 1500 (settles 1130 of Jan and 370 of Apr: 1890 of Apr stays open)
                  2026-06-20  invoice 565 (revenue 500, VAT 65)
  华东电子 C002   2025-12-01  invoice 1000 (revenue only)
                  2026-06-01  invoice 2260 posted by invoice_post, due 2026-07-31 (tax 13% on 2000)
Suppliers (payable 2202):
  东方材料 S001   2026-05-01  bill 1130 posted by invoice_post (expense 1000, input VAT 13%), due 2026-05-31
                  2026-06-10  payment 500
  西部物流 S002   2026-06-25  prepayment 300 (no bill yet)

As of 2026-06-30: receivables C001 2455 (0–30: 565, 61–90: 1890), C002 3260 (not due 2260, over 120: 1000),
total 5715; payables S001 630 (0–30: due 05-31 is 30 days back), S002 −300 (0–30), total 330.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tessera.accounting.models import Tax
from tessera.accounting.services.invoices import invoice_create, invoice_post
from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.tests.factories import AccountFactory, JournalFactory
from tessera.partners.tests.factories import PartnerFactory

D = datetime.date


@dataclass
class Books:
    ledger: object
    input_vat: object
    customers: dict
    suppliers: dict
    entries: dict
    tax: object


def post(ledger, actor, day, *amounts, partner=None, description="", reference="", source=""):
    """post(ledger, user, date, (account, "debit", "credit"), ..., partner=) -> the posted entry; the partner
    goes on the lines of the receivable and payable accounts."""
    lines = [{"account": account, "debit": Decimal(debit), "credit": Decimal(credit),
              "partner": partner if account.role in ("receivable", "payable") else None}
             for account, debit, credit in amounts]
    return entry_post_new(actor=actor, company=ledger.company, journal=ledger.journal, date=day, lines=lines,
                          description=description, reference=reference, source=source)


def invoice_posted(actor, ledger, journal, partner, kind, day, due_on, account, price, tax):
    """An invoice with one taxed line, posted by the invoice services (its entry names it in `source`)."""
    invoice = invoice_create(actor=actor, company=ledger.company,
                             data={"kind": kind, "partner": partner, "journal": journal, "date": day, "due_on": due_on},
                             lines=[{"description": "Goods", "account": account, "quantity": Decimal("1"),
                                     "unit_price": Decimal(price), "taxes": [tax]}])
    return invoice_post(actor=actor, invoice=invoice)


@pytest.fixture
def books(ledger, accountant):
    company, book = ledger.company, ledger
    input_vat = AccountFactory(company=company, code="222109", name="应交增值税-进项税额", type="liability",
                               role="tax_input")
    tax = Tax.objects.create(company=company, name="销项税 13%", kind="sales", rate=Decimal("13"),
                             account=book.output_vat)
    c1 = PartnerFactory(company=company, code="C001", name="华北贸易")
    c2 = PartnerFactory(company=company, code="C002", name="华东电子")
    s1 = PartnerFactory(company=company, code="S001", name="东方材料", is_customer=False, is_supplier=True)
    s2 = PartnerFactory(company=company, code="S002", name="西部物流", is_customer=False, is_supplier=True)

    def sale(day, partner, total, revenue, vat, **kwargs):
        amounts = [(book.receivable, total, "0"), (book.revenue, "0", revenue)]
        if vat != "0":
            amounts.append((book.output_vat, "0", vat))
        return post(book, accountant, day, *amounts, partner=partner, **kwargs)

    purchase = Tax.objects.create(company=company, name="进项税 13%", kind="purchase", rate=Decimal("13"),
                                  account=input_vat)
    sales_journal = JournalFactory(company=company, code="SAL", name="Sales", kind="sales")
    purchase_journal = JournalFactory(company=company, code="PUR", name="Purchases", kind="purchase")
    entries = {
        "c1_jan": sale(D(2026, 1, 10), c1, "1130", "1000", "130", description="Sale January"),
        "c1_apr": sale(D(2026, 4, 15), c1, "2260", "2000", "260", reference="SO-0415"),
        "c1_receipt": post(book, accountant, D(2026, 5, 10), (book.bank, "1500", "0"),
                           (book.receivable, "0", "1500"), partner=c1, description="Receipt"),
        "c1_jun": sale(D(2026, 6, 20), c1, "565", "500", "65"),
        "c2_dec": sale(D(2025, 12, 1), c2, "1000", "1000", "0"),
        "c2_jun": invoice_posted(accountant, book, sales_journal, c2, "customer_invoice", D(2026, 6, 1),
                                 D(2026, 7, 31), book.revenue, "2000", tax).entry,
        "s1_bill": invoice_posted(accountant, book, purchase_journal, s1, "supplier_invoice", D(2026, 5, 1),
                                  D(2026, 5, 31), book.expense, "1000", purchase).entry,
        "s1_payment": post(book, accountant, D(2026, 6, 10), (book.payable, "500", "0"), (book.bank, "0", "500"),
                           partner=s1),
        "s2_prepayment": post(book, accountant, D(2026, 6, 25), (book.payable, "300", "0"), (book.bank, "0", "300"),
                              partner=s2),
    }
    return Books(ledger=book, input_vat=input_vat, customers={"c1": c1, "c2": c2}, suppliers={"s1": s1, "s2": s2},
                 entries=entries, tax=tax)

"""The report tests' documents (on the shared world `p`, report day 2026-03-02), written to the tables:

- A  PO-A  S1 CNY 2026-01-10, expected 2026-01-20, partially received:
       A1 widget 10 box @ 60 (due with the order), 6 received 2026-01-18 (on time), 1 returned (quality);
       A2 tea 20 kg @ 100 less 10 % (due 2026-01-25), nothing received.      untaxed 2,400.00
- B  PO-B  S2 USD 2026-02-01, expected 2026-02-10, received:
       B1 phone 5 pcs @ 200, all received 2026-02-15 (5 days late).         1,000.00 USD = 7,100.00
- C  PO-C  S1 CNY 2026-02-20, confirmed: C1 widget 2 box @ 50, no due date.    100.00
- D  S1 submitted (waiting for approval); E  S1 cancelled; F  PO-F S1 2025-12-15 closed: F1 widget 1 box @
  60 due 2025-12-18, received 2025-12-20, billed.
- a draft bill of S1 (65.00) whose match is a mismatch.
"""

import datetime
from dataclasses import dataclass

import pytest

from tessera.accounting.models import Account
from tessera.accounting.services.invoices import invoice_create
from tessera.purchasing.models import BillMatch

from .factories import make_order, make_receipt, make_return

D = datetime.date
DAY = D(2026, 3, 2)


@dataclass
class Docs:
    a: object
    b: object
    c: object
    d: object
    e: object
    f: object
    bill: object


@pytest.fixture
def docs(p) -> Docs:
    a = make_order(p, partner=p.s1, date=D(2026, 1, 10), state="partially_received", number="PO-A",
                   expected_on=D(2026, 1, 20), lines=[(p.widget, 10, p.box, 60, 0, None),
                                                      (p.tea, 20, p.kg, 100, 10, D(2026, 1, 25))])
    a1 = a.lines.get(sequence=1)
    make_receipt(p, order=a, date=D(2026, 1, 18), number="GRN-A", lines=[(a1, 6)])
    make_return(p, partner=p.s1, order=a, date=D(2026, 1, 25), number="RTV-A", lines=[(a1, 1)])
    b = make_order(p, partner=p.s2, date=D(2026, 2, 1), state="received", number="PO-B",
                   expected_on=D(2026, 2, 10), lines=[(p.phone, 5, p.pcs, 200, 0, None)])
    make_receipt(p, order=b, date=D(2026, 2, 15), number="GRN-B", lines=[(b.lines.get(), 5)])
    c = make_order(p, partner=p.s1, date=D(2026, 2, 20), state="confirmed", number="PO-C",
                   lines=[(p.widget, 2, p.box, 50, 0, None)])
    d = make_order(p, partner=p.s1, date=D(2026, 2, 25), state="submitted",
                   lines=[(p.widget, 1000, p.box, 60, 0, None)])
    e = make_order(p, partner=p.s1, date=D(2026, 2, 3), state="cancelled", lines=[(p.widget, 7, p.box, 60, 0, None)])
    f = make_order(p, partner=p.s1, date=D(2025, 12, 15), state="closed", number="PO-F",
                   lines=[(p.widget, 1, p.box, 60, 0, D(2025, 12, 18))])
    f1 = f.lines.get()
    make_receipt(p, order=f, date=D(2025, 12, 20), number="GRN-F", lines=[(f1, 1)])
    f1.quantity_billed = 1
    f1.save(update_fields=["quantity_billed"])
    bill = invoice_create(actor=p.accountant, company=p.company, data={
        "kind": "supplier_invoice", "partner": p.s1, "date": D(2026, 2, 28), "reference": "INV-9"}, lines=[
        {"description": "Widgets", "account": Account.objects.get(company=p.company, code="1405"),
         "quantity": "1", "unit_price": "65"}])
    BillMatch.objects.create(company=p.company, invoice=bill, state="mismatch",
                             differences=[{"message": "Price 65.00 above the order's 60.00"}])
    return Docs(a=a, b=b, c=c, d=d, e=e, f=f, bill=bill)

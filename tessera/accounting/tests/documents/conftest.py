"""Fixtures of the invoice and payment service tests: ACME on the cn_enterprise chart (fiscal years
2026 and 2027), a customer on net 30, a supplier, and helpers that create and post documents."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tessera.accounting.models import Account, Journal, Tax
from tessera.accounting.services.invoices import invoice_create, invoice_post
from tessera.accounting.services.payments import payment_create, payment_post
from tessera.accounting.services.periods import fiscal_year_create
from tessera.accounting.services.setup import chart_install
from tessera.core.checks_registry import run_checks
from tessera.partners.tests.factories import PartnerFactory, PaymentTermFactory

D = datetime.date


@dataclass
class Books:
    company: object
    actor: object
    customer: object
    supplier: object
    sales: Journal
    bank: Journal
    receivable: Account
    payable: Account
    revenue: Account
    expense: Account
    output_vat: Account
    input_vat: Account
    bank_account: Account
    rounding: Account
    gain: Account
    loss: Account
    vat13: Tax
    vat9: Tax
    input13: Tax

    def invoice(self, *lines, kind="customer_invoice", post=True, **data) -> object:
        """An invoice with `lines` of (unit_price, quantity[, taxes]) (default one line of 100.00 at 13 %)."""
        customer = kind.startswith("customer")
        partner = self.customer if customer else self.supplier
        specs = [{"description": f"Item {index}", "account": self.revenue if customer else self.expense,
                  "unit_price": str(price), "quantity": str(quantity),
                  "taxes": rest[0] if rest else [self.vat13 if customer else self.input13]}
                 for index, (price, quantity, *rest) in enumerate(lines or [("100.00", 1)])]
        invoice = invoice_create(actor=self.actor, company=self.company,
                                 data={"kind": kind, "partner": partner, "date": D(2026, 3, 15), **data},
                                 lines=specs)
        return invoice_post(actor=self.actor, invoice=invoice) if post else invoice

    def payment(self, amount, *allocations, kind="inbound", post=True, **data) -> object:
        """A payment of `amount` allocated as (invoice, amount) pairs."""
        partner = self.customer if kind == "inbound" else self.supplier
        payment = payment_create(
            actor=self.actor, company=self.company,
            data={"kind": kind, "partner": partner, "journal": self.bank, "date": D(2026, 4, 10),
                  "amount": str(amount), **data},
            allocations=[{"invoice": invoice, "amount": str(value)} for invoice, value in allocations])
        return payment_post(actor=self.actor, payment=payment) if post else payment


@pytest.fixture
def books(company, accountant):
    """ACME on the cn_enterprise chart. After the test, `tessera check-books` must find nothing."""
    chart_install(actor=accountant, company=company, template="cn_enterprise", today=D(2026, 3, 15))
    fiscal_year_create(actor=accountant, company=company, year=2027)
    net30 = PaymentTermFactory(company=company, code="NET30", name="Net 30", days=30)

    def account(code):
        return Account.objects.get(company=company, code=code)

    def tax(kind, name):
        return Tax.objects.get(company=company, kind=kind, name=name)

    yield Books(
        company=company, actor=accountant,
        customer=PartnerFactory(company=company, code="C001", name="Huaxin Trading", payment_term=net30),
        supplier=PartnerFactory(company=company, code="S001", name="Dongfang Paper", is_customer=False,
                                is_supplier=True),
        sales=Journal.objects.get(company=company, code="SAL"), bank=Journal.objects.get(company=company, code="BNK"),
        receivable=account("1122"), payable=account("220201"), revenue=account("6001"), expense=account("6602"),
        output_vat=account("22210102"), input_vat=account("22210101"), bank_account=account("1002"),
        rounding=account("660304"), gain=account("66030201"), loss=account("66030202"),
        vat13=tax("sales", "销项税 13%"), vat9=tax("sales", "销项税 9%"), input13=tax("purchase", "进项税 13%"),
    )
    assert run_checks(company) == []


def legs(entry) -> list[tuple[str, Decimal, Decimal]]:
    """An entry's lines as (account code, debit, credit), in order."""
    return [(line.account.code, line.debit, line.credit) for line in entry.lines.order_by("sequence", "pk")]


def partner_balance(account, partner) -> Decimal:
    """Debit minus credit of the posted lines of `partner` on `account`."""
    from tessera.accounting.models import JournalEntryLine

    lines = JournalEntryLine.objects.filter(account=account, partner=partner, is_posted=True)
    return sum((line.debit - line.credit for line in lines), Decimal("0"))

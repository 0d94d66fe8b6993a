"""Fixtures of the invoice and payment API tests: ACME with the cn_enterprise chart installed for 2026,
a customer and a supplier, and bodies for invoices and payments."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from tessera.accounting.models import Account, Journal, Tax
from tessera.accounting.services.setup import chart_install
from tessera.core.checks_registry import run_checks
from tessera.partners.models import Partner
from tessera.partners.tests.factories import PartnerFactory, PaymentTermFactory

INVOICES = "/api/v1/accounting/invoices/"
PAYMENTS = "/api/v1/accounting/payments/"


def item(base: str, pk: int, action: str = "") -> str:
    return f"{base}{pk}/{action + '/' if action else ''}"


@dataclass
class Books:
    company: object
    customer: Partner
    supplier: Partner
    sales_journal: Journal
    purchase_journal: Journal
    bank_journal: Journal
    revenue: Account
    expense: Account
    output_vat: Tax
    input_vat: Tax


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def books(company, accountant):
    """ACME's books from the cn_enterprise chart (fiscal year 2026), a customer on net 30 and a supplier.

    After the test the books' invariants (`tessera check-books`) must still hold."""
    chart_install(actor=accountant, company=company, template="cn_enterprise", today=datetime.date(2026, 3, 15))
    net30 = PaymentTermFactory(company=company, code="NET30", name="Net 30", days=30)
    yield Books(
        company=company,
        customer=PartnerFactory(company=company, code="C001", name="Huaxin Trading", is_customer=True,
                                payment_term=net30),
        supplier=PartnerFactory(company=company, code="S001", name="Dongfang Paper", is_customer=False,
                                is_supplier=True),
        sales_journal=Journal.objects.get(company=company, code="SAL"),
        purchase_journal=Journal.objects.get(company=company, code="PUR"),
        bank_journal=Journal.objects.get(company=company, code="BNK"),
        revenue=Account.objects.get(company=company, code="6001"),
        expense=Account.objects.get(company=company, code="6602"),
        output_vat=Tax.objects.get(company=company, kind="sales", name="销项税 13%"),
        input_vat=Tax.objects.get(company=company, kind="purchase", name="进项税 13%"),
    )
    assert run_checks(company) == []


@pytest.fixture
def api(books, accountant, api_client_for):
    """The API as ACME's accounting manager."""
    return api_client_for(accountant)


@pytest.fixture
def invoice_body(books):
    """make(**changes) -> a customer invoice of 2 x 100.00 at 13 % output VAT, dated 2026-03-15."""

    def make(**changes):
        return {
            "kind": "customer_invoice", "partner": books.customer.pk, "date": "2026-03-15",
            "reference": "PO-7781",
            "lines": [{"description": "Paper A4", "account": books.revenue.pk, "quantity": "2",
                       "unit_price": "100.00", "taxes": [books.output_vat.pk]}],
            **changes,
        }

    return make


@pytest.fixture
def posted_invoice(api, invoice_body):
    """make(**changes) -> the JSON of a posted customer invoice (226.00 with the default body)."""

    def make(**changes):
        created = api.post(INVOICES, invoice_body(**changes), format="json")
        assert created.status_code == 201, created.json()
        posted = api.post(item(INVOICES, created.json()["id"], "post"), format="json")
        assert posted.status_code == 200, posted.json()
        return posted.json()

    return make


@pytest.fixture
def payment_body(books):
    """make(invoice=..., amount=..., **changes) -> a bank receipt from the customer dated 2026-03-20,
    allocated in full to `invoice` (an id) when given."""

    def make(invoice=None, amount="100.00", **changes):
        body = {"kind": "inbound", "partner": books.customer.pk, "journal": books.bank_journal.pk,
                "date": "2026-03-20", "amount": amount}
        if invoice is not None:
            body["allocations"] = [{"invoice": invoice, "amount": amount}]
        return {**body, **changes}

    return make

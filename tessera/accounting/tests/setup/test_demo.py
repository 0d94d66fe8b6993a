"""The accounting demo: charts, fiscal years, partners and CN01's posted history; idempotent and sound."""

import datetime
import functools
from decimal import Decimal

import pytest
from django.db.models import Sum

from tessera.accounting.models import Account, AccountBalance, FiscalYear, Invoice, Journal, JournalEntry, Tax
from tessera.accounting.services.chain import verify_chain
from tessera.accounting.services.setup import account_by_role
from tessera.core import demo
from tessera.core.models import Company, DomainEvent
from tessera.partners.models import Partner

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)
MODELS = (Account, Tax, Journal, FiscalYear, Partner, JournalEntry, AccountBalance, DomainEvent)


@pytest.fixture
def built(monkeypatch):
    # The demo dates its history from "today": fix it so the entries fall in known months.
    monkeypatch.setattr(demo, "DemoContext", functools.partial(demo.DemoContext, today=TODAY))
    demo.build(out=lambda line: None)
    return {code: Company.objects.get(code=code) for code in ("CN01", "US01")}


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_running_the_demo_again_creates_nothing(built):
    before = _counts()

    demo.build(out=lambda line: None)

    assert _counts() == before


def test_cn01_has_the_chinese_chart_and_us01_the_ifrs_one(built):
    assert account_by_role(built["CN01"], "tax_output").code == "22210102"
    assert account_by_role(built["US01"], "tax_output").code == "2200"


def test_both_companies_have_last_year_and_this_year(built):
    for company in built.values():
        assert list(FiscalYear.objects.filter(company=company).values_list("name", flat=True)) == ["2025", "2026"]


def test_both_companies_have_customers_and_suppliers(built):
    for company in built.values():
        partners = Partner.objects.filter(company=company)
        assert partners.filter(is_customer=True).exists() and partners.filter(is_supplier=True).exists()
    assert Partner.objects.get(company=built["CN01"], code="C001").name == "北京华信科技有限公司"


def test_cn01_history_is_posted_in_recent_months(built):
    entries = JournalEntry.objects.filter(company=built["CN01"], reference__regex=r"^DEMO-[0-9]+$")

    assert entries.count() == entries.filter(state="posted").count() == 21
    assert (min(entries.values_list("date", flat=True)), max(entries.values_list("date", flat=True))) == (
        datetime.date(2025, 10, 3), datetime.date(2026, 2, 21))
    assert entries.get(reference="DEMO-01").number == "记-202510-0001"


def test_demo_ledgers_have_intact_hash_chains(built):
    assert verify_chain(built["CN01"]) == []
    assert verify_chain(built["US01"]) == []


def test_cn01_trial_balance_balances(built):
    totals = AccountBalance.objects.filter(company=built["CN01"]).aggregate(debit=Sum("debit"), credit=Sum("credit"))

    assert totals["debit"] == totals["credit"] > 0


def test_cn01_receivable_is_what_customers_still_owe(built):
    receivable = account_by_role(built["CN01"], "receivable")
    totals = AccountBalance.objects.filter(account=receivable).aggregate(debit=Sum("debit"), credit=Sum("credit"))

    # Vouchers: 169 500 + 56 500 + 113 000 invoiced; 169 500 + 3 000 + 56 500 received. Invoices: 15 764.00
    # left of DEMO-INV-02 (27 120 less 10 000 received and a 1 356 credit note) and 9 040.00 of DEMO-INV-03.
    assert totals["debit"] - totals["credit"] == Decimal("134804.00")


def test_the_demo_documents_cover_each_invoice_state(built):
    states = dict(Invoice.objects.filter(company=built["CN01"], reference__startswith="DEMO-INV")
                  .values_list("reference", "state"))
    assert states == {"DEMO-INV-01": "paid", "DEMO-INV-02": "partially_paid", "DEMO-INV-03": "posted",
                      "DEMO-INV-04": "draft"}
    euro = Invoice.objects.get(company=built["US01"], reference="DEMO-INV-03")
    assert (euro.currency.code, euro.exchange_rate, euro.total) == ("EUR", Decimal("1.0880000000"), Decimal("12000.00"))

"""Factories and a small ready ledger for accounting tests."""

import datetime
from dataclasses import dataclass

import factory

from tessera.accounting.models import Account, Journal
from tessera.accounting.services.periods import fiscal_year_create


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ("company", "code")

    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Account {o.code}")
    type = "asset"


class JournalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journal
        django_get_or_create = ("company", "code")

    code = "GEN"
    name = "General"
    kind = "general"


@dataclass
class Ledger:
    """A company's minimal books: fiscal years 2025-2027 open, a general journal and a few accounts."""

    company: object
    journal: Journal
    cash: Account
    bank: Account
    receivable: Account
    payable: Account
    revenue: Account
    expense: Account
    output_vat: Account
    current_profit: Account
    retained_earnings: Account


def make_ledger(company, actor) -> Ledger:
    for year in (2025, 2026, 2027):
        fiscal_year_create(actor=actor, company=company, year=year)

    def account(code, name, type_, role="", reconcilable=False):
        return AccountFactory(company=company, code=code, name=name, type=type_, role=role,
                              is_reconcilable=reconcilable)

    return Ledger(
        company=company,
        journal=JournalFactory(company=company),
        cash=account("1001", "库存现金", "asset", "cash"),
        bank=account("1002", "银行存款", "asset", "bank", True),
        receivable=account("1122", "应收账款", "asset", "receivable", True),
        payable=account("2202", "应付账款", "liability", "payable", True),
        revenue=account("6001", "主营业务收入", "income"),
        expense=account("6602", "管理费用", "expense"),
        output_vat=account("222101", "应交增值税-销项税额", "liability", "tax_output"),
        current_profit=account("4103", "本年利润", "equity", "current_profit"),
        retained_earnings=account("4104", "利润分配", "equity", "retained_earnings"),
    )


D = datetime.date

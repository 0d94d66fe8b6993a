"""The demo's bank: CN01's 招商银行 基本户 on 1002 with the BNK journal, a statement of twelve lines read from
GBK, four of them reconciled, a reconciliation statement that agrees, sound books, nothing twice."""

import datetime
import functools
from decimal import Decimal

import pytest

from tessera.accounting.models import BankAccount, BankMatch, BankStatementLine
from tessera.accounting.reports_bank import bank_reconciliation
from tessera.core import demo
from tessera.core.checks_registry import run_checks
from tessera.core.models import Company

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


def test_the_demo_bank_account_statement_and_reconciliation(monkeypatch):
    monkeypatch.setattr(demo, "DemoContext", functools.partial(demo.DemoContext, today=TODAY))
    demo.build(out=lambda line: None)
    company = Company.objects.get(code="CN01")

    bank = BankAccount.objects.get(company=company)
    assert (bank.name, bank.journal.code, bank.journal.default_account.code) == ("招商银行 基本户", "BNK", "1002")
    statement = bank.statements.get()
    assert (statement.filename, statement.start_on, statement.end_on) == (
        "招商银行交易明细.csv", datetime.date(2025, 12, 5), datetime.date(2026, 3, 5))
    states = list(BankStatementLine.objects.filter(bank_account=bank).order_by("sequence")
                  .values_list("state", flat=True))
    assert states == ["reconciled"] * 4 + ["unreconciled"] * 8
    assert BankMatch.objects.filter(created_entry=True).count() == 1
    assert bank.statement_mapping["withdrawal"] == "借方金额" and bank.statement_mapping["date_format"] == "%Y%m%d"
    report = bank_reconciliation(bank, TODAY)
    assert report.difference == Decimal("0.00")
    assert run_checks(company) == []

    demo.build(out=lambda line: None)
    assert BankStatementLine.objects.filter(bank_account=bank).count() == 12

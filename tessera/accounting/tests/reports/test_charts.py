"""The statutory layouts on the installed charts (企业会计准则, 小企业会计准则, IFRS)."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import Account, Journal
from tessera.accounting.reports import Chart, balance_sheet, profit_and_loss, trial_balance
from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.services.setup import chart_install
from tessera.partners.tests.factories import PartnerFactory

D = datetime.date


def installed(company, actor, template):
    chart_install(actor=actor, company=company, template=template, today=D(2026, 1, 15))
    return {account.code: account for account in Account.objects.filter(company=company)}


def post(company, actor, *amounts):
    partner = PartnerFactory(company=company, code="C1", name="客户")
    lines = [{"account": account, "debit": debit, "credit": credit,
              **({"partner": partner} if account.role in ("receivable", "payable") else {})}
             for account, debit, credit in amounts]
    journal = Journal.objects.filter(company=company, kind="general").first()
    return entry_post_new(actor=actor, company=company, journal=journal, date=D(2026, 1, 20), lines=lines)


@pytest.mark.parametrize(("template", "family"), [("cn_enterprise", "cn_enterprise"), ("cn_small", "cn_small"),
                                                  ("ifrs", "ifrs")])
def test_the_chart_family_is_recognised(company, accountant, template, family):
    installed(company, accountant, template)

    assert Chart(company).family() == family


def test_enterprise_chart_nets_contra_accounts_on_their_line(company, accountant):
    accounts = installed(company, accountant, "cn_enterprise")
    post(company, accountant, (accounts["1601"], "50000", "0"), (accounts["1002"], "0", "50000"))
    post(company, accountant, (accounts["6602"], "1200", "0"), (accounts["1602"], "0", "1200"))
    post(company, accountant, (accounts["1122"], "11300", "0"), (accounts["6001"], "0", "10000"),
         (accounts["22210102"], "0", "1300"))
    post(company, accountant, (accounts["1002"], "60000", "0"), (accounts["4001"], "0", "60000"))

    sheet = balance_sheet(company, D(2026, 1, 31), "cn")

    assert sheet.amount("fixed_assets") == Decimal("48800.00")  # 固定资产 1601 − 累计折旧 1602
    assert sheet.amount("cash") == Decimal("10000.00")
    assert sheet.amount("taxes") == Decimal("1300.00")
    assert sheet.amount("retained_earnings") == Decimal("8800.00")
    assert sheet.amount("total_assets") == sheet.amount("total_liabilities_equity") == Decimal("70100.00")


def test_enterprise_chart_contra_account_in_the_trial_balance(company, accountant):
    accounts = installed(company, accountant, "cn_enterprise")
    post(company, accountant, (accounts["6602"], "1200", "0"), (accounts["1602"], "0", "1200"))

    rows = {row["code"]: row for row in trial_balance(company, D(2026, 1, 1), D(2026, 1, 31)).rows}

    assert (rows["1602"]["closing_debit"], rows["1602"]["closing_credit"]) == (Decimal("0.00"), Decimal("1200.00"))


def test_small_enterprise_chart_maps_its_own_codes(company, accountant):
    accounts = installed(company, accountant, "cn_small")
    post(company, accountant, (accounts["1001"], "500", "0"), (accounts["5001"], "0", "500"))
    post(company, accountant, (accounts["5602"], "120", "0"), (accounts["1001"], "0", "120"))
    post(company, accountant, (accounts["560301"], "30", "0"), (accounts["1001"], "0", "30"))

    report = profit_and_loss(company, D(2026, 1, 1), D(2026, 1, 31), "cn")

    assert (report.amount("revenue"), report.amount("admin_expenses"), report.amount("finance_expenses"),
            report.amount("net_profit")) == (Decimal("500.00"), Decimal("120.00"), Decimal("30.00"), Decimal("350.00"))


def test_ifrs_chart_in_both_layouts(company, accountant):
    accounts = installed(company, accountant, "ifrs")
    post(company, accountant, (accounts["1100"], "900", "0"), (accounts["4000"], "0", "900"))
    post(company, accountant, (accounts["6020"], "400", "0"), (accounts["1100"], "0", "400"))

    for layout in ("cn", "ifrs"):
        sheet = balance_sheet(company, D(2026, 1, 31), layout)
        report = profit_and_loss(company, D(2026, 1, 1), D(2026, 1, 31), layout)
        assert sheet.amount("total_assets") == sheet.amount("total_liabilities_equity") == Decimal("500.00")
        assert report.amount("net_profit") == Decimal("500.00")

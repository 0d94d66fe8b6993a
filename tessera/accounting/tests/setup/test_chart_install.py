"""chart_install: accounts with their hierarchy, taxes, journals and the fiscal year; idempotent; permission."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import Account, FiscalYear, Journal, Period, Tax
from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.services.setup import account_by_role, chart_install, chart_rows
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import DomainEvent, Sequence

DAY = datetime.date(2026, 3, 15)
pytestmark = pytest.mark.django_db


def _install(actor, company, template="cn_enterprise"):
    return chart_install(actor=actor, company=company, template=template, today=DAY)


def _counts(company):
    return (Account.objects.filter(company=company).count(), Tax.objects.filter(company=company).count(),
            Journal.objects.filter(company=company).count(), FiscalYear.objects.filter(company=company).count())


def test_install_creates_every_account_of_the_chart(company, accountant):
    result = _install(accountant, company)

    codes = set(Account.objects.filter(company=company).values_list("code", flat=True))
    assert codes == {row.code for row in chart_rows("cn_enterprise")}
    assert result.accounts == len(codes) == 108


def test_install_links_sub_accounts_to_their_parents(company, accountant):
    _install(accountant, company)

    parent_of = dict(Account.objects.filter(company=company).values_list("code", "parent__code"))
    assert (parent_of["1001"], parent_of["222101"], parent_of["22210101"], parent_of["22210102"],
            parent_of["220201"], parent_of["220202"], parent_of["410401"], parent_of["66030201"]) == (
        None, "2221", "222101", "222101", "2202", "2202", "4104", "660302")


def test_install_copies_names_types_and_flags(company, accountant):
    _install(accountant, company)

    account = Account.objects.get(company=company, code="220201")
    assert (account.name, account.name_en, account.type, account.role, account.is_reconcilable,
            account.cash_flow_category) == ("一般应付账款", "Accounts payable - trade", "liability", "payable", True,
                                            "op_purchases")


@pytest.mark.parametrize(("role", "code"), [
    ("cash", "1001"), ("bank", "1002"), ("receivable", "1122"), ("payable", "220201"), ("grir", "220202"),
    ("inventory", "1405"), ("tax_input", "22210101"), ("tax_output", "22210102"), ("current_profit", "4103"),
    ("retained_earnings", "410401"), ("exchange_gain", "66030201"), ("exchange_loss", "66030202"),
    ("rounding", "660304"),
])
def test_each_role_has_its_leaf_account(company, accountant, role, code):
    _install(accountant, company)

    account = account_by_role(company, role)
    assert account.code == code
    assert not account.children.exists()


def test_install_creates_the_chinese_vat_rates_on_the_vat_accounts(company, accountant):
    _install(accountant, company)

    taxes = Tax.objects.filter(company=company).select_related("account")
    rows = sorted((tax.kind, tax.rate, tax.is_exempt, tax.account.code) for tax in taxes)
    assert rows == sorted(
        [("sales", Decimal(rate), False, "22210102") for rate in ("13", "9", "6", "3", "0")]
        + [("sales", Decimal("0"), True, "22210102")]
        + [("purchase", Decimal(rate), False, "22210101") for rate in ("13", "9", "6", "3", "0")]
        + [("purchase", Decimal("0"), True, "22210101")]
    )
    assert not taxes.filter(price_included=True).exists()
    assert taxes.get(kind="sales", rate=Decimal("13")).name == "销项税 13%"


def test_install_creates_the_journals_with_chinese_voucher_numbering(company, accountant):
    _install(accountant, company)

    journals = {journal.code: journal for journal in Journal.objects.filter(company=company)}
    assert {code: journal.kind for code, journal in journals.items()} == {
        "SAL": "sales", "PUR": "purchase", "CSH": "cash", "BNK": "bank", "GEN": "general", "STK": "stock",
        "PAY": "payroll"}
    assert {journal.sequence_code for journal in journals.values()} == {"journal_entry"}
    assert journals["CSH"].default_account.code == "1001"
    assert journals["BNK"].default_account.code == "1002"
    assert journals["GEN"].default_account is None
    assert journals["BNK"].name == "银行存款日记账"


def test_install_opens_the_fiscal_year_of_the_day_with_its_periods(company, accountant):
    result = _install(accountant, company)

    assert result.fiscal_year.name == "2026"
    assert (result.fiscal_year.start_on, result.fiscal_year.end_on) == (datetime.date(2026, 1, 1),
                                                                         datetime.date(2026, 12, 31))
    assert Period.objects.filter(fiscal_year=result.fiscal_year).count() == 12


def test_install_keeps_an_existing_fiscal_year(company, accountant, ledger):
    result = _install(accountant, company)

    assert result.fiscal_year is None
    assert FiscalYear.objects.filter(company=company).count() == 3


def test_vouchers_of_a_chinese_chart_are_numbered_in_chinese_style(company, accountant):
    _install(accountant, company)

    entry = entry_post_new(
        actor=accountant, company=company, journal=Journal.objects.get(company=company, code="BNK"), date=DAY,
        lines=[{"account": account_by_role(company, "bank"), "debit": Decimal("100")},
               {"account": Account.objects.get(company=company, code="4001"), "credit": Decimal("100")}],
    )

    assert entry.number == "记-202603-0001"


def test_installing_twice_creates_nothing_more(company, accountant):
    _install(accountant, company)
    before = _counts(company)

    result = _install(accountant, company)

    assert _counts(company) == before
    assert (result.accounts, result.taxes, result.journals, result.fiscal_year, result.skipped) == (0, 0, 0, None, [])
    assert DomainEvent.objects.filter(name="accounting.chart.installed").count() == 1


def test_install_leaves_an_existing_account_alone(company, accountant):
    Account.objects.create(company=company, code="1002", name="工商银行", type="asset", role="bank")

    _install(accountant, company)

    account = Account.objects.get(company=company, code="1002")
    assert (account.name, account.is_reconcilable, account.name_en) == ("工商银行", False, "")


def test_install_does_not_give_sub_accounts_to_an_account_with_postings(company, accountant, ledger):
    entry_post_new(actor=accountant, company=company, journal=ledger.journal, date=DAY,
                   lines=[{"account": ledger.retained_earnings, "debit": Decimal("10")},
                          {"account": ledger.cash, "credit": Decimal("10")}])

    result = _install(accountant, company)

    assert not Account.objects.filter(company=company, code__startswith="4104").exclude(code="4104").exists()
    assert [line for line in result.skipped if line.startswith("4104")] == [
        "410401: its parent 4104 has postings", "410402: its parent 4104 has postings",
        "410403: its parent 4104 has postings", "410404: its parent 4104 has postings"]
    assert account_by_role(company, "retained_earnings") == ledger.retained_earnings


def test_install_hands_the_role_of_an_account_without_postings_to_its_new_sub_account(company, accountant, ledger):
    _install(accountant, company)

    assert account_by_role(company, "tax_output").code == "22210102"
    assert Account.objects.get(company=company, code="22210102").parent == ledger.output_vat


def test_install_does_not_give_a_unique_role_twice(company, accountant):
    Account.objects.create(company=company, code="1130", name="客户往来", type="asset", role="receivable")

    result = _install(accountant, company)

    assert Account.objects.get(company=company, code="1122").role == ""
    assert account_by_role(company, "receivable").code == "1130"
    assert "1122: created without role receivable, which another account has" in result.skipped


def test_install_records_a_domain_event(company, accountant):
    _install(accountant, company)

    event = DomainEvent.objects.get(name="accounting.chart.installed")
    assert (event.company, event.payload["template"], event.payload["accounts"], event.payload["taxes"],
            event.payload["journals"]) == (company, "cn_enterprise", 108, 12, 7)


def test_small_enterprise_chart_installs_with_its_roles(company, accountant):
    _install(accountant, company, "cn_small")

    assert [account_by_role(company, role).code for role in ("current_profit", "retained_earnings", "payable")] == [
        "3103", "310401", "220201"]
    assert Tax.objects.filter(company=company).count() == 12


def test_ifrs_chart_installs_english_journals_sales_taxes_and_je_numbering(company, accountant):
    _install(accountant, company, "ifrs")

    assert Journal.objects.get(company=company, code="SAL").name == "Sales"
    assert sorted(Tax.objects.filter(company=company, kind="sales").values_list("name", flat=True)) == [
        "Exempt", "Sales tax 0%", "Sales tax 10%", "Sales tax 5%"]
    assert Tax.objects.get(company=company, kind="purchase", name="Purchase tax 10%").account.code == "1400"
    sequence = Sequence.objects.get(company=company, code="journal_entry")
    assert (sequence.prefix, sequence.padding) == ("JE-{fy}-", 5)


def test_ifrs_chart_keeps_the_companys_own_voucher_sequence(company, accountant):
    Sequence.objects.create(company=company, code="journal_entry", name="Vouchers", prefix="V-{year}-", padding=3)

    _install(accountant, company, "ifrs")

    assert Sequence.objects.get(company=company, code="journal_entry").prefix == "V-{year}-"


def test_salesperson_may_not_install_a_chart(company, make_user):
    salesperson = make_user("salesperson")

    with pytest.raises(PermissionDenied) as raised:
        _install(salesperson, company)

    assert "accounting.add_account" in str(raised.value)
    assert _counts(company) == (0, 0, 0, 0)


def test_unknown_template_is_refused_and_nothing_is_written(company, accountant):
    with pytest.raises(ValidationFailed) as raised:
        _install(accountant, company, "atlantis")

    assert list(raised.value.fields) == ["template"]
    assert _counts(company) == (0, 0, 0, 0)


def test_account_by_role_without_such_account_is_a_validation_error(company):
    with pytest.raises(ValidationFailed) as raised:
        account_by_role(company, "grir")

    assert raised.value.fields == {"role": ["No active leaf account has this role."]}
    assert "Goods received not invoiced (GR/IR)" in raised.value.message


def test_account_by_role_skips_inactive_and_parent_accounts(company):
    parent = Account.objects.create(company=company, code="1002", name="银行存款", type="asset", role="bank")
    Account.objects.create(company=company, code="100201", name="工商银行", type="asset", parent=parent)
    Account.objects.create(company=company, code="1003", name="旧账户", type="asset", role="bank", is_active=False)
    Account.objects.create(company=company, code="1004", name="建设银行", type="asset", role="bank")

    assert account_by_role(company, "bank").code == "1004"

"""Company set-up of the books: install a chart template (accounts, standard taxes, journals, the current
fiscal year), list the templates, and find the account that plays a role (receivable, output VAT, ...).

Chart templates are CSV files in `accounting/data/<template>.csv` with the columns
code, name, name_en, parent, type, role, reconcilable, cash_flow_category; parents come before children.
"""

import csv
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import events
from tessera.core.errors import ValidationFailed
from tessera.core.models import Company, Sequence
from tessera.core.models.numbering import Reset
from tessera.core.permissions import require
from tessera.core.services.base import validate

from ..choices import AccountRole, AccountType, ChartTemplate, JournalKind, TaxKind
from ..models import Account, FiscalYear, Journal, JournalEntryLine, Tax
from .periods import fiscal_year_create

CHART_DIR = Path(__file__).resolve().parent.parent / "data"
CHART_COLUMNS = ["code", "name", "name_en", "parent", "type", "role", "reconcilable", "cash_flow_category"]
CHINESE_TEMPLATES = {ChartTemplate.CN_ENTERPRISE, ChartTemplate.CN_SMALL}
# Roles that one account of the chart plays alone (a company may have several bank or cash accounts).
UNIQUE_ROLES = {role for role in AccountRole if role not in {AccountRole.NONE, AccountRole.BANK, AccountRole.CASH}}
REQUIRED_ROLES = {role for role in AccountRole if role != AccountRole.NONE}

# (kind, name, rate %, exempt): the standard VAT rates of China (small-scale taxpayers' 3 % levy rate included).
CHINESE_TAXES = [
    (TaxKind.SALES, "销项税 13%", "13", False), (TaxKind.SALES, "销项税 9%", "9", False),
    (TaxKind.SALES, "销项税 6%", "6", False), (TaxKind.SALES, "简易征收 3%", "3", False),
    (TaxKind.SALES, "零税率 0%", "0", False), (TaxKind.SALES, "免税", "0", True),
    (TaxKind.PURCHASE, "进项税 13%", "13", False), (TaxKind.PURCHASE, "进项税 9%", "9", False),
    (TaxKind.PURCHASE, "进项税 6%", "6", False), (TaxKind.PURCHASE, "进项税 3%", "3", False),
    (TaxKind.PURCHASE, "进项税 0%", "0", False), (TaxKind.PURCHASE, "免税", "0", True),
]
INTERNATIONAL_TAXES = [
    (TaxKind.SALES, "Sales tax 10%", "10", False), (TaxKind.SALES, "Sales tax 5%", "5", False),
    (TaxKind.SALES, "Sales tax 0%", "0", False), (TaxKind.SALES, "Exempt", "0", True),
    (TaxKind.PURCHASE, "Purchase tax 10%", "10", False), (TaxKind.PURCHASE, "Purchase tax 5%", "5", False),
    (TaxKind.PURCHASE, "Purchase tax 0%", "0", False), (TaxKind.PURCHASE, "Exempt", "0", True),
]
TAX_ACCOUNT_ROLE = {TaxKind.SALES: AccountRole.TAX_OUTPUT, TaxKind.PURCHASE: AccountRole.TAX_INPUT}

# (code, kind, Chinese name, English name, role of the default account)
JOURNALS = [
    ("SAL", JournalKind.SALES, "销售日记账", "Sales", None),
    ("PUR", JournalKind.PURCHASE, "采购日记账", "Purchases", None),
    ("CSH", JournalKind.CASH, "现金日记账", "Cash", AccountRole.CASH),
    ("BNK", JournalKind.BANK, "银行存款日记账", "Bank", AccountRole.BANK),
    ("GEN", JournalKind.GENERAL, "普通日记账", "General", None),
    ("STK", JournalKind.STOCK, "存货日记账", "Stock", None),
    ("PAY", JournalKind.PAYROLL, "工资日记账", "Payroll", None),
]
# Every journal numbers its vouchers with the company's "journal_entry" sequence: 记-{year}{month}-0001 by
# default (Chinese style); an international chart gives the company JE-{fy}-00001 unless it has its own.
VOUCHER_SEQUENCE = "journal_entry"
INTERNATIONAL_VOUCHER_SEQUENCE = {"name": "Journal entry", "prefix": "JE-{fy}-", "padding": 5,
                                  "reset": Reset.YEARLY}


@dataclass(frozen=True)
class ChartRow:
    """One account of a chart template."""

    code: str
    name: str
    name_en: str
    parent: str
    type: str
    role: str
    is_reconcilable: bool
    cash_flow_category: str


@dataclass
class ChartInstallResult:
    """What an installation created; `skipped` lists chart codes left out and why."""

    template: str
    accounts: int = 0
    taxes: int = 0
    journals: int = 0
    fiscal_year: FiscalYear | None = None
    skipped: list[str] = field(default_factory=list)


def chart_templates() -> list[dict]:
    """The chart templates a company can be set up with: [{"code", "name"}] for forms and the API."""
    return [{"code": template.value, "name": str(template.label)} for template in ChartTemplate]


def _template(template: str) -> ChartTemplate:
    if template not in ChartTemplate.values:
        raise ValidationFailed(fields={"template": [
            _("Unknown chart template “%(template)s”; choose one of: %(choices)s.")
            % {"template": template, "choices": ", ".join(ChartTemplate.values)}
        ]})
    return ChartTemplate(template)


@cache
def chart_rows(template: str) -> tuple[ChartRow, ...]:
    """The accounts of a chart template, in file order (parents first). Raises ValidationFailed for an
    unknown template."""
    path = CHART_DIR / f"{_template(template).value}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != CHART_COLUMNS:
            raise ValueError(f"{path.name}: columns must be {CHART_COLUMNS}, not {reader.fieldnames}")
        return tuple(
            ChartRow(code=row["code"].strip(), name=row["name"].strip(), name_en=row["name_en"].strip(),
                     parent=row["parent"].strip(), type=row["type"].strip(), role=row["role"].strip(),
                     is_reconcilable=row["reconcilable"].strip() == "1",
                     cash_flow_category=row["cash_flow_category"].strip())
            for row in reader
        )


def chart_problems(rows) -> list[str]:
    """What is wrong with a chart's rows (empty when sound): duplicate codes, parents missing or listed
    after their children, unknown types or roles, roles on parent accounts, roles missing or repeated."""
    problems, seen, parents = [], set(), {row.parent for row in rows if row.parent}
    roles: dict[str, list[str]] = {}
    for row in rows:
        if row.code in seen:
            problems.append(f"{row.code}: code listed twice")
        if row.parent and row.parent not in seen:
            problems.append(f"{row.code}: parent {row.parent} missing or listed after it")
        if row.type not in AccountType.values:
            problems.append(f"{row.code}: unknown type {row.type!r}")
        if row.role not in AccountRole.values:
            problems.append(f"{row.code}: unknown role {row.role!r}")
        if row.role and row.code in parents:
            problems.append(f"{row.code}: role {row.role} on an account with sub-accounts")
        if not row.name:
            problems.append(f"{row.code}: no name")
        seen.add(row.code)
        if row.role:
            roles.setdefault(row.role, []).append(row.code)
    for role in sorted(REQUIRED_ROLES):
        codes = roles.get(role, [])
        if not codes:
            problems.append(f"role {role}: no account")
        elif role in UNIQUE_ROLES and len(codes) > 1:
            problems.append(f"role {role}: several accounts {', '.join(codes)}")
    return problems


def account_by_role(company: Company, role: str) -> Account:
    """The active leaf account of `company` that plays `role` (the lowest code if several do).

    Raises ValidationFailed when there is none: the chart was not installed or the role was removed.
    """
    account = (Account.objects.filter(company=company, role=role, is_active=True, children__isnull=True)
               .order_by("code").first())
    if account is None:
        label = dict(AccountRole.choices).get(role, role)
        raise ValidationFailed(
            _("Company %(company)s has no account for “%(role)s”: install a chart of accounts or give an "
              "account that role.") % {"company": company.code, "role": label},
            fields={"role": [_("No active leaf account has this role.")]},
        )
    return account


def _install_accounts(company: Company, rows, result: ChartInstallResult) -> None:
    existing = {account.code: account for account in Account.objects.filter(company=company)}
    posted_to = set(JournalEntryLine.objects.filter(company=company).values_list("account__code", flat=True)
                    .distinct())
    existing_parents = {account.parent.code for account in existing.values() if account.parent_id}
    chart_parents = {row.parent for row in rows if row.parent}
    # A role stays with an existing account that remains a leaf; one about to get sub-accounts hands it on.
    taken_roles = {
        account.role for account in existing.values()
        if account.role in UNIQUE_ROLES and account.code not in existing_parents
        and (account.code not in chart_parents or account.code in posted_to)
    }
    left_out: set[str] = set()
    for row in rows:
        if row.code in existing:
            continue
        if row.parent in left_out:
            left_out.add(row.code)
            result.skipped.append(f"{row.code}: its parent {row.parent} was left out")
            continue
        parent = existing.get(row.parent) if row.parent else None
        if parent is not None and row.parent in posted_to and not parent.children.exists():
            # An account with postings stays a leaf: giving it sub-accounts would strand its balance.
            left_out.add(row.code)
            result.skipped.append(f"{row.code}: its parent {row.parent} has postings")
            continue
        role = row.role
        if role in taken_roles:
            result.skipped.append(f"{row.code}: created without role {role}, which another account has")
            role = ""
        account = Account(company=company, code=row.code, name=row.name, name_en=row.name_en, parent=parent,
                          type=row.type, role=role, is_reconcilable=row.is_reconcilable,
                          cash_flow_category=row.cash_flow_category)
        validate(account)
        account.save()
        existing[row.code] = account
        if role in UNIQUE_ROLES:
            taken_roles.add(role)
        result.accounts += 1


def _install_taxes(company: Company, template: ChartTemplate, result: ChartInstallResult) -> None:
    specs = CHINESE_TAXES if template in CHINESE_TEMPLATES else INTERNATIONAL_TAXES
    accounts = {kind: account_by_role(company, role) for kind, role in TAX_ACCOUNT_ROLE.items()}
    for kind, name, rate, is_exempt in specs:
        if Tax.objects.filter(company=company, kind=kind, name=name).exists():
            continue
        tax = Tax(company=company, kind=kind, name=name, rate=Decimal(rate), is_exempt=is_exempt,
                  price_included=False, account=accounts[kind])
        validate(tax)
        tax.save()
        result.taxes += 1


def _install_journals(company: Company, template: ChartTemplate, result: ChartInstallResult) -> None:
    chinese = template in CHINESE_TEMPLATES
    for code, kind, name_zh, name_en, account_role in JOURNALS:
        if Journal.objects.filter(company=company, code=code).exists():
            continue
        journal = Journal(company=company, code=code, kind=kind, name=name_zh if chinese else name_en,
                          sequence_code=VOUCHER_SEQUENCE,
                          default_account=account_by_role(company, account_role) if account_role else None)
        validate(journal)
        journal.save()
        result.journals += 1
    if not chinese:
        Sequence.objects.get_or_create(company=company, code=VOUCHER_SEQUENCE,
                                       defaults=INTERNATIONAL_VOUCHER_SEQUENCE)


def chart_install(*, actor, company: Company, template: str, today: datetime.date | None = None
                  ) -> ChartInstallResult:
    """Set up `company`'s books from a chart template: the accounts with their hierarchy, the standard
    taxes (linked to the input and output VAT accounts), the journals SAL PUR CSH BNK GEN STK PAY, and
    the fiscal year of `today` (default: today) with its periods unless one covers that day.

    Idempotent: accounts, taxes and journals already present (by code, or kind and name) are left alone,
    and an installation that adds nothing records no event.
    A chart account is left out when its parent exists with postings and no sub-accounts; a role that
    another account already plays is not given twice. Needs accounting.add_account; one transaction.
    Raises PermissionDenied, ValidationFailed (unknown template).
    """
    require(actor, "accounting.add_account", company)
    chart = _template(template)
    rows = chart_rows(chart.value)
    today = today or timezone.localdate()
    result = ChartInstallResult(template=chart.value)
    with transaction.atomic():
        # One installation at a time per company (the company row also serialises postings).
        Company.objects.select_for_update().get(pk=company.pk)
        _install_accounts(company, rows, result)
        _install_taxes(company, chart, result)
        _install_journals(company, chart, result)
        if not FiscalYear.objects.filter(company=company, start_on__lte=today, end_on__gte=today).exists():
            result.fiscal_year = fiscal_year_create(actor=actor, company=company, year=company.fiscal_year_of(today))
        if result.accounts or result.taxes or result.journals or result.fiscal_year:
            events.emit("accounting.chart.installed", company=company, obj=company, payload={
                "template": chart.value, "accounts": result.accounts, "taxes": result.taxes,
                "journals": result.journals, "skipped": result.skipped,
            })
    return result

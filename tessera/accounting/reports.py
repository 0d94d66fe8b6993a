"""Ledger reports: trial balance, general ledger, balance sheet, profit and loss.

Sums come from AccountBalance (one row per account and period, kept by posting) for every whole
period inside the dates, and from posted lines only for the days of a partly covered month at
either edge; so a trial balance reads a few rows per account however many lines the books hold.
All amounts are Decimal.

Conventions:
- A balance is net (debit − credit). Balance-sheet accounts accumulate over all years; income and
  expense accounts start again at the fiscal year's start: what they held before it (the profit of
  earlier years, when a year-end close has not moved it yet) is carried to the retained-earnings
  account, so every opening and closing balance still ties out.
- In the trial balance a net balance is shown on the side where it lies (a debit balance in the
  debit column, a credit balance in the credit column): normally the account's own side, the other
  side for a contra account such as 累计折旧 or an overdrawn bank.
- The profit and loss leaves out year-end closing entries (FiscalYear.closing_entry and entries
  whose source is the year-end close), so a closed year still shows its profit.

Every report takes an optional `actor`: when given, the actor needs `REPORT_PERMISSION` in the
company (PermissionDenied otherwise). Bad dates raise ValidationFailed naming the field.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require

from . import report_layouts as layouts
from .choices import DEBIT_NATURE, PROFIT_AND_LOSS, AccountRole, AccountType, EntryState
from .models import Account, AccountBalance, FiscalYear, JournalEntry, JournalEntryLine, Period

REPORT_PERMISSION = "accounting.view_accountbalance"
LAYOUTS = ("cn", "ifrs")
YEAR_END_SOURCE = "accounting.fiscalyear:"  # services.yearend writes the closing entry with it
ZERO = Decimal("0")
CENT = Decimal("0.01")
ONE_DAY = datetime.timedelta(days=1)


# --- Sums ------------------------------------------------------------------------------------------

Movements = dict[int, tuple[Decimal, Decimal]]  # account pk -> (debit, credit)


def _add(totals: dict, rows, sign: int = 1) -> None:
    for row in rows:
        debit, credit = totals.get(row["account"], (ZERO, ZERO))
        totals[row["account"]] = (debit + sign * (row["debit"] or ZERO), credit + sign * (row["credit"] or ZERO))


def movements(company: Company, date_from: datetime.date | None, date_to: datetime.date | None,
              *, exclude_entries: set[int] | frozenset = frozenset()) -> Movements:
    """Posted debit and credit per account between two dates (None: open-ended), both included.

    Whole periods are read from AccountBalance; the days of a partly covered period at either
    edge from the posted lines (through the line's period index). `exclude_entries` subtracts the
    lines of those entries (the year-end closing entries, for the profit and loss).
    """
    periods = Period.objects.filter(company=company)
    if date_from:
        periods = periods.filter(start_on__gte=date_from)
    if date_to:
        periods = periods.filter(end_on__lte=date_to)
    bounds = periods.aggregate(first=Min("start_on"), last=Max("end_on"))
    totals: Movements = {}
    edges = [(date_from, date_to)]
    if bounds["first"]:
        _add(totals, AccountBalance.objects.filter(company=company, period__in=periods)
             .values("account").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by())
        # Posting puts every line in a period, so before the first or after the last whole period
        # of an open-ended range there is nothing left to read.
        edges = [(date_from, bounds["first"] - ONE_DAY) if date_from else None,
                 (bounds["last"] + ONE_DAY, date_to) if date_to else None]
    for edge in edges:
        if edge is None or (edge[0] and edge[1] and edge[0] > edge[1]):
            continue
        start, end = edge
        edge_periods = Period.objects.filter(company=company)
        lines = JournalEntryLine.objects.filter(company=company, is_posted=True)
        if start:
            edge_periods, lines = edge_periods.filter(end_on__gte=start), lines.filter(date__gte=start)
        if end:
            edge_periods, lines = edge_periods.filter(start_on__lte=end), lines.filter(date__lte=end)
        _add(totals, lines.filter(period__in=edge_periods).values("account")
             .annotate(debit=Sum("debit"), credit=Sum("credit")).order_by())
    if exclude_entries:
        lines = JournalEntryLine.objects.filter(company=company, is_posted=True, entry_id__in=exclude_entries)
        if date_from:
            lines = lines.filter(date__gte=date_from)
        if date_to:
            lines = lines.filter(date__lte=date_to)
        _add(totals, lines.values("account").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by(), -1)
    return totals


def closing_entry_ids(company: Company) -> set[int]:
    """The year-end closing entries of the company (and the reversals of such entries)."""
    ids = set(FiscalYear.objects.filter(company=company, closing_entry__isnull=False)
              .values_list("closing_entry_id", flat=True))
    ids |= set(JournalEntry.objects.filter(company=company, state=EntryState.POSTED,
                                           source__startswith=YEAR_END_SOURCE).values_list("pk", flat=True))
    if ids:
        ids |= set(JournalEntry.objects.filter(company=company, reversal_of_id__in=ids).values_list("pk", flat=True))
    return ids


def fiscal_year_start(company: Company, day: datetime.date) -> datetime.date:
    """The first day of the fiscal year containing `day` (from the company's start month when the
    year has not been opened)."""
    start = FiscalYear.objects.filter(company=company, start_on__lte=day, end_on__gte=day).values_list(
        "start_on", flat=True).first()
    return start or datetime.date(company.fiscal_year_of(day), company.fiscal_year_start_month, 1)


# --- The chart -------------------------------------------------------------------------------------

@dataclass
class ChartAccount:
    pk: int
    code: str
    name: str
    name_en: str
    type: str
    role: str
    parent_id: int | None
    children: list = field(default_factory=list)
    level: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def is_debit_nature(self) -> bool:
        return self.type in DEBIT_NATURE

    @property
    def label(self) -> str:
        """The account's name in the reader's language when the chart has an English name."""
        language = get_language() or "en"
        return self.name_en if self.name_en and not language.startswith("zh") else self.name


class Chart:
    """A company's accounts as a tree, in code order (parents before their children)."""

    def __init__(self, company: Company):
        self.accounts: dict[int, ChartAccount] = {
            row["pk"]: ChartAccount(**row)
            for row in Account.objects.filter(company=company).order_by("code").values(
                "pk", "code", "name", "name_en", "type", "role", "parent_id")
        }
        self.roots: list[ChartAccount] = []
        for account in self.accounts.values():
            parent = self.accounts.get(account.parent_id)
            (parent.children if parent else self.roots).append(account)
        self.ordered: list[ChartAccount] = []

        def walk(account, level):
            account.level = level
            self.ordered.append(account)
            for child in account.children:
                walk(child, level + 1)

        for root in self.roots:
            walk(root, 0)

    def __getitem__(self, pk: int) -> ChartAccount:
        return self.accounts[pk]

    def leaves_under(self, account: ChartAccount) -> list[ChartAccount]:
        if account.is_leaf:
            return [account]
        return [leaf for child in account.children for leaf in self.leaves_under(child)]

    def root_of(self, account: ChartAccount) -> ChartAccount:
        while account.parent_id in self.accounts:
            account = self.accounts[account.parent_id]
        return account

    def retained_earnings(self) -> ChartAccount | None:
        """Where earlier years' unclosed profit is carried: the retained-earnings (利润分配) leaf."""
        for account in self.ordered:
            if account.role == AccountRole.RETAINED_EARNINGS:
                leaves = self.leaves_under(account)
                return next((leaf for leaf in leaves if leaf.role == AccountRole.RETAINED_EARNINGS), leaves[0])
        return None

    def family(self) -> str:
        """cn_enterprise (损益类 6xxx), cn_small (5xxx) or ifrs, from the income accounts' codes."""
        firsts = [account.code[:1] for account in self.accounts.values() if account.type == AccountType.INCOME]
        if firsts and firsts.count("6") * 2 > len(firsts):
            return "cn_enterprise"
        if firsts and firsts.count("5") * 2 > len(firsts):
            return "cn_small"
        return "ifrs"


def _net(moves: Movements) -> dict[int, Decimal]:
    return {pk: debit - credit for pk, (debit, credit) in moves.items()}


def opening_balances(company: Company, chart: Chart, date_from: datetime.date) -> dict[int, Decimal]:
    """Net balance (debit − credit) per leaf account at the start of `date_from` (see the module's
    conventions: income and expense from the fiscal year's start, earlier profit in retained earnings)."""
    before = _net(movements(company, None, date_from - ONE_DAY))
    year_start = fiscal_year_start(company, date_from)
    earlier = before if year_start == date_from else _net(movements(company, None, year_start - ONE_DAY))
    retained = chart.retained_earnings()
    if retained is None:
        return before
    balances, carried = {}, ZERO
    for pk, net in before.items():
        if chart[pk].type in PROFIT_AND_LOSS:
            balances[pk] = net - earlier.get(pk, ZERO)
            carried += earlier.get(pk, ZERO)
        else:
            balances[pk] = net
    if carried:
        balances[retained.pk] = balances.get(retained.pk, ZERO) + carried
    return balances


def _authorize(actor, company: Company) -> None:
    if actor is not None:
        require(actor, REPORT_PERMISSION, company)


def check_dates(date_from, date_to) -> None:
    """Raise ValidationFailed unless both are dates and date_from <= date_to."""
    errors = {}
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if not isinstance(value, datetime.date):
            errors[name] = [_("Enter a date as YYYY-MM-DD.")]
    if not errors and date_from > date_to:
        errors["date_to"] = [_("The end date must not be before the start date.")]
    if errors:
        raise ValidationFailed(fields=errors)


def money(amount: Decimal) -> Decimal:
    """Two decimals and no negative zero: SQLite sums come back as Decimal("300"), a minus sign on zero as -0."""
    return (amount + ZERO).quantize(CENT) + ZERO


def _sides(net: Decimal) -> tuple[Decimal, Decimal]:
    return (money(net), money(ZERO)) if net >= 0 else (money(ZERO), money(-net))


# --- Trial balance ---------------------------------------------------------------------------------

AMOUNT_FIELDS = ("opening_debit", "opening_credit", "period_debit", "period_credit", "closing_debit",
                 "closing_credit")


@dataclass
class TrialBalance:
    company: Company
    date_from: datetime.date
    date_to: datetime.date
    rows: list[dict]  # account, code, name, level, is_leaf + AMOUNT_FIELDS
    totals: dict  # AMOUNT_FIELDS over the leaf rows


def trial_balance(company: Company, date_from: datetime.date, date_to: datetime.date, include_zero: bool = False,
                  *, actor=None) -> TrialBalance:
    """Opening, period debit and credit, closing per account; parents are the sums of their
    children; totals over leaf accounts (debit equals credit in each pair)."""
    _authorize(actor, company)
    check_dates(date_from, date_to)
    chart = Chart(company)
    opening = opening_balances(company, chart, date_from)
    period = movements(company, date_from, date_to)
    figures: dict[int, tuple[Decimal, Decimal, Decimal]] = {}  # pk -> (opening net, period debit, credit)

    def compute(account: ChartAccount):
        if account.is_leaf:
            debit, credit = period.get(account.pk, (ZERO, ZERO))
            figures[account.pk] = (opening.get(account.pk, ZERO), debit, credit)
        else:
            parts = [compute(child) for child in account.children]
            figures[account.pk] = tuple(sum((part[i] for part in parts), ZERO) for i in range(3))
        return figures[account.pk]

    for root in chart.roots:
        compute(root)
    rows, totals = [], dict.fromkeys(AMOUNT_FIELDS, money(ZERO))
    for account in chart.ordered:
        opening_net, debit, credit = figures[account.pk]
        opening_debit, opening_credit = _sides(opening_net)
        closing_debit, closing_credit = _sides(opening_net + debit - credit)
        amounts = dict(zip(AMOUNT_FIELDS, (opening_debit, opening_credit, money(debit), money(credit), closing_debit,
                                           closing_credit), strict=True))
        if account.is_leaf:
            totals = {name: totals[name] + amounts[name] for name in AMOUNT_FIELDS}
        if not include_zero and not any(amounts.values()):
            continue
        rows.append({"account": account.pk, "code": account.code, "name": account.name, "level": account.level,
                     "is_leaf": account.is_leaf, **amounts})
    return TrialBalance(company=company, date_from=date_from, date_to=date_to, rows=rows, totals=totals)


# --- General ledger --------------------------------------------------------------------------------

@dataclass
class GeneralLedger:
    company: Company
    account: ChartAccount
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal  # on the account's normal side: debit − credit for debit accounts, else credit − debit
    lines: list[dict]  # date, entry, number, journal, description, partner, debit, credit, balance
    total_debit: Decimal
    total_credit: Decimal
    closing: Decimal
    side: str  # "debit" or "credit": the side `opening`, `balance` and `closing` are counted on


def general_ledger(company: Company, account, date_from: datetime.date, date_to: datetime.date,
                   *, actor=None) -> GeneralLedger:
    """The posted lines of an account (a parent: of all its sub-accounts) with a running balance.

    Raises ValidationFailed (field `account`) when the account is not one of the company's.
    """
    _authorize(actor, company)
    check_dates(date_from, date_to)
    chart = Chart(company)
    pk = getattr(account, "pk", account)
    if pk not in chart.accounts:
        raise ValidationFailed(fields={"account": [_("Choose one of this company's accounts.")]})
    chosen = chart[pk]
    leaves = [leaf.pk for leaf in chart.leaves_under(chosen)]
    sign = 1 if chosen.is_debit_nature else -1
    opening_net = opening_balances(company, chart, date_from)
    balance = sign * sum((opening_net.get(leaf, ZERO) for leaf in leaves), ZERO)
    opening = balance
    rows, total_debit, total_credit = [], ZERO, ZERO
    lines = (JournalEntryLine.objects.filter(company=company, account_id__in=leaves, is_posted=True,
                                             date__gte=date_from, date__lte=date_to)
             .select_related("entry", "entry__journal", "partner", "account")
             .order_by("date", "entry__number", "sequence", "pk"))
    for line in lines.iterator(chunk_size=2000):
        balance += sign * (line.debit - line.credit)
        total_debit += line.debit
        total_credit += line.credit
        rows.append({
            "id": line.pk, "date": line.date, "entry": line.entry_id, "number": line.entry.number,
            "journal": line.entry.journal.code, "account": line.account_id, "account_code": line.account.code,
            "description": line.description or line.entry.description,
            "partner": line.partner_id, "partner_name": line.partner.name if line.partner_id else "",
            "debit": money(line.debit), "credit": money(line.credit), "balance": money(balance),
        })
    return GeneralLedger(company=company, account=chosen, date_from=date_from, date_to=date_to,
                         opening=money(opening), lines=rows, total_debit=money(total_debit),
                         total_credit=money(total_credit), closing=money(balance),
                         side="debit" if sign == 1 else "credit")


# --- Statements ------------------------------------------------------------------------------------

@dataclass
class Statement:
    """A balance sheet or profit and loss: lines with an amount per column (`columns` keys)."""

    company: Company
    kind: str  # "balance_sheet" or "profit_and_loss"
    layout: str
    columns: list[str]
    lines: list[dict]  # key, number, label, kind, level, amounts {column: Decimal}
    date_from: datetime.date | None
    date_to: datetime.date

    def amount(self, key: str, column: str | None = None) -> Decimal:
        line = next(line for line in self.lines if line["key"] == key)
        return line["amounts"][column or self.columns[0]]


def _line_label(line: layouts.Line) -> str:
    return line.label if (get_language() or "en").startswith("zh") else line.label_en


def _statutory(chart: Chart, spec: list[layouts.Line], prefixes: dict, roles: dict, types: dict,
               accepts, columns: dict[str, dict[int, Decimal]]) -> list[dict]:
    """Lines of a statutory layout: each accepted leaf account to its line, totals by formula."""
    members: dict[str, list[int]] = defaultdict(list)
    for account in chart.ordered:
        if account.is_leaf and accepts(account):
            key = layouts.line_for(account.code, account.role, account.type, prefixes, roles, types)
            members[key].append(account.pk)
    amounts: dict[str, dict[str, Decimal]] = {}
    lines = []
    for line in spec:
        if line.kind == layouts.ITEM:
            sign = 1 if line.nature == layouts.DEBIT else -1
            amounts[line.key] = {column: sign * sum((nets.get(pk, ZERO) for pk in members[line.key]), ZERO)
                                 for column, nets in columns.items()}
        elif line.kind == layouts.TOTAL:
            amounts[line.key] = {
                column: sum(((-1 if term.startswith("-") else 1) * amounts[term.lstrip("-")][column]
                             for term in line.formula), ZERO)
                for column in columns
            }
        lines.append({"key": line.key, "number": line.number, "label": _line_label(line), "kind": line.kind,
                      # Items sit under their heading; a numbered item (一、营业收入) is a heading itself.
                      "level": 1 if line.kind == layouts.ITEM and not line.label.startswith("一、") else 0,
                      "amounts": amounts.get(line.key, {column: None for column in columns})})
    return lines


def _by_type(chart: Chart, sections, columns: dict[str, dict[int, Decimal]], grand_total=None) -> list[dict]:
    """The international layout: per section (a heading, the types it holds, debit or credit nature)
    one line per top-level account, then the section's total; `grand_total` adds up sections."""
    lines, section_totals = [], {}
    for key, label, total_label, types, nature, extra in sections:
        sign = 1 if nature == layouts.DEBIT else -1
        lines.append({"key": f"h_{key}", "number": None, "label": label, "kind": layouts.HEADING, "level": 0,
                      "amounts": {column: None for column in columns}})
        total = dict.fromkeys(columns, ZERO)
        for root in chart.roots:
            if root.type not in types:
                continue
            leaves = [leaf.pk for leaf in chart.leaves_under(root)]
            amounts = {column: sign * sum((nets.get(pk, ZERO) for pk in leaves), ZERO)
                       for column, nets in columns.items()}
            if any(amounts.values()):
                lines.append({"key": f"account_{root.pk}", "number": None, "label": f"{root.code} {root.label}",
                              "kind": layouts.ITEM, "level": 1, "amounts": amounts})
            total = {column: total[column] + amounts[column] for column in columns}
        for extra_key, extra_label, extra_amounts in extra:
            lines.append({"key": extra_key, "number": None, "label": extra_label, "kind": layouts.ITEM, "level": 1,
                          "amounts": extra_amounts})
            total = {column: total[column] + extra_amounts[column] for column in columns}
        section_totals[key] = total
        lines.append({"key": f"total_{key}", "number": None, "label": total_label,
                      "kind": layouts.TOTAL, "level": 0, "amounts": total})
    if grand_total:
        key, label, parts = grand_total
        lines.append({"key": key, "number": None, "label": label, "kind": layouts.TOTAL, "level": 0,
                      "amounts": {column: sum((section_totals[part][column] * factor for part, factor in parts), ZERO)
                                  for column in columns}})
    return lines


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValidationFailed(fields={"layout": [_("Choose cn or ifrs.")]})


def balance_sheet(company: Company, as_of: datetime.date, layout: str = "cn", *, actor=None) -> Statement:
    """资产负债表 as of a date, with the balances at the start of its fiscal year beside them
    (columns "end" and "start"). Profit not yet closed is part of equity (未分配利润), so total
    assets equal total liabilities and equity."""
    _authorize(actor, company)
    check_dates(as_of, as_of)
    _check_layout(layout)
    chart = Chart(company)
    year_start = fiscal_year_start(company, as_of)
    columns = {"end": _net(movements(company, None, as_of)),
               "start": _net(movements(company, None, year_start - ONE_DAY))}
    # Income and expense accounts belong to 未分配利润 / the year's profit, whatever their code looks like.
    profit = {column: -sum((net for pk, net in nets.items() if chart[pk].type in PROFIT_AND_LOSS), ZERO)
              for column, nets in columns.items()}
    if layout == "cn":
        lines = _statutory(chart, layouts.CN_BALANCE_SHEET, layouts.BALANCE_SHEET_PREFIXES.get(chart.family(), {}),
                           layouts.BALANCE_SHEET_ROLES, layouts.BALANCE_SHEET_TYPES,
                           lambda account: account.type not in PROFIT_AND_LOSS, columns)
        _add_to_line(lines, "retained_earnings", profit, ("total_equity", "total_liabilities_equity"))
    else:
        lines = _by_type(chart, [
            ("assets", _("Assets"), _("Total assets"), {AccountType.ASSET, AccountType.COST, AccountType.COMMON},
             layouts.DEBIT, []),
            ("liabilities", _("Liabilities"), _("Total liabilities"), {AccountType.LIABILITY}, layouts.CREDIT, []),
            ("equity", _("Equity"), _("Total equity"), {AccountType.EQUITY}, layouts.CREDIT,
             [("current_profit", _("Profit not yet closed"), profit)]),
        ], columns, ("total_liabilities_equity", _("Total liabilities and equity"),
                     (("liabilities", 1), ("equity", 1))))
    return Statement(company=company, kind="balance_sheet", layout=layout, columns=["end", "start"],
                     lines=_rounded(lines),
                     date_from=None, date_to=as_of)


def _rounded(lines: list[dict]) -> list[dict]:
    for line in lines:
        line["amounts"] = {column: None if amount is None else money(amount)
                           for column, amount in line["amounts"].items()}
    return lines


def _add_to_line(lines: list[dict], key: str, amounts: dict, totals: tuple[str, ...]) -> None:
    for line in lines:
        if line["key"] == key or line["key"] in totals:
            line["amounts"] = {column: line["amounts"][column] + amounts[column] for column in amounts}


def profit_and_loss(company: Company, date_from: datetime.date, date_to: datetime.date, layout: str = "cn",
                    *, actor=None) -> Statement:
    """利润表 for the dates ("period", 本期金额) and from the fiscal year's start to date_to ("year",
    本年累计), without year-end closing entries."""
    _authorize(actor, company)
    check_dates(date_from, date_to)
    _check_layout(layout)
    chart = Chart(company)
    closing = closing_entry_ids(company)
    year_start = fiscal_year_start(company, date_to)
    columns = {"period": _net(movements(company, date_from, date_to, exclude_entries=closing)),
               "year": _net(movements(company, year_start, date_to, exclude_entries=closing))}
    columns = {column: {pk: v for pk, v in nets.items() if chart[pk].type in PROFIT_AND_LOSS}
               for column, nets in columns.items()}
    if layout == "cn":
        lines = _statutory(chart, layouts.CN_PROFIT_AND_LOSS, layouts.PROFIT_AND_LOSS_PREFIXES.get(chart.family(), {}),
                           layouts.PROFIT_AND_LOSS_ROLES, layouts.PROFIT_AND_LOSS_TYPES,
                           lambda account: account.type in PROFIT_AND_LOSS, columns)
    else:
        lines = _by_type(chart, [
            ("income", _("Income"), _("Total income"), {AccountType.INCOME}, layouts.CREDIT, []),
            ("expenses", _("Expenses"), _("Total expenses"), {AccountType.EXPENSE}, layouts.DEBIT, []),
        ], columns, ("net_profit", _("Profit for the period"), (("income", 1), ("expenses", -1))))
    return Statement(company=company, kind="profit_and_loss", layout=layout, columns=["period", "year"],
                     lines=_rounded(lines), date_from=date_from, date_to=date_to)


def net_profit(company: Company, date_from: datetime.date, date_to: datetime.date) -> Decimal:
    """Income less expenses over the dates, without closing entries (what both P&L layouts end on)."""
    nets = _net(movements(company, date_from, date_to, exclude_entries=closing_entry_ids(company)))
    types = dict(Account.objects.filter(company=company, pk__in=nets).values_list("pk", "type"))
    return -sum((net for pk, net in nets.items() if types[pk] in PROFIT_AND_LOSS), ZERO)


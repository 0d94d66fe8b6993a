"""The cash-flow statement (现金流量表, direct method) and the cash position.

Cash and cash equivalents are the accounts with the cash or bank role and those whose cash-flow
category (or a parent's) is `cash` (e.g. 1012 其他货币资金). Every other account names the item its
cash flows belong to (Account.cash_flow_category, see `account_items` for the fallbacks).

How an entry's cash movement is classified (`cash_flows`):
- The entry's net movement on cash accounts (Σ debit − credit) is its cash flow: a transfer between
  bank and cash nets to nothing and is no cash flow.
- The movement is attributed to the entry's non-cash accounts on the other side (the credits of a
  receipt, the debits of a payment), in proportion to their net amounts, each part to the account's
  item; received when the cash grew, paid when it shrank. The parts are cents split by largest
  remainder, so they add up exactly to the movement: 应交个人所得税 withheld from a salary payment
  is not a tax refund, the salary paid is what left the bank.
- Exchange gain and loss accounts (item `fx`) only take the movement when they are the entry's only
  counterparts (a revaluation of a foreign bank account); a realised difference on a settlement goes
  with the settlement. The entries of an exchange revaluation (services.revaluation: the entry, its
  reversal, their cancellations) are wholly `fx`.
So each statement ties out: the net increase is closing less opening cash of the same dates.

The sums are SQL aggregations per (entry, account) over the entries that touch cash, not a walk
over every line of the books; the opening and closing cash come from the per-period balances.
Reports take an optional `actor` (REPORT_PERMISSION in the company) and raise ValidationFailed for
bad dates or layouts.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Sum, When
from django.db.models.functions import Abs, Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company

from . import cash_flow_layouts as layouts
from .choices import CUSTOMER_KINDS, AccountRole, AccountType, CashFlowItem, InvoiceKind, InvoiceState
from .models import Account, Invoice, JournalEntry, JournalEntryLine
from .reports import CENT, LAYOUTS, ONE_DAY, ZERO, Chart, _authorize, check_dates, money, movements
from .services.invoices import base_amount
from .services.revaluation import revaluation_entry_ids

Item = CashFlowItem
CASH_ROLES = {AccountRole.CASH, AccountRole.BANK}
BROAD = {Item.OPERATING: Item.OP_OTHER, Item.INVESTING: Item.INV_OTHER, Item.FINANCING: Item.FIN_OTHER}
ACTIVITY_PREFIX = {Item.OPERATING: "op_", Item.INVESTING: "inv_", Item.FINANCING: "fin_"}
# What an account's role says when its category does not (and refines the broad "operating").
ROLE_ITEMS = {
    AccountRole.RECEIVABLE: Item.OP_SALES, AccountRole.TAX_OUTPUT: Item.OP_SALES,
    AccountRole.PAYABLE: Item.OP_PURCHASES, AccountRole.GRIR: Item.OP_PURCHASES,
    AccountRole.INVENTORY: Item.OP_PURCHASES, AccountRole.TAX_INPUT: Item.OP_PURCHASES,
    AccountRole.EXCHANGE_GAIN: Item.FX, AccountRole.EXCHANGE_LOSS: Item.FX,
}
FLOW_ITEMS = [item for item in Item.values if item and item != Item.CASH and item not in BROAD]
COLUMNS = ("period", "previous")
ENTRY_CHUNK = 2000  # entries per query of their lines (well under SQLite's limit of query parameters)
POSITION_HORIZON_DAYS = 30
POSITION_BUCKETS = ((0, 7), (8, 14), (15, 21), (22, POSITION_HORIZON_DAYS))

FlowKey = tuple[str, str]  # (item, direction)


# --- Classification --------------------------------------------------------------------------------

def _refine(category: str, role: str) -> str:
    """A broad category (operating/investing/financing) made an item, by the role where it fits."""
    role_item = ROLE_ITEMS.get(role)
    if role_item and (role_item == Item.FX or role_item.startswith(ACTIVITY_PREFIX[category])):
        return role_item
    return BROAD[category]


def account_items(company: Company) -> dict[int, str]:
    """The cash-flow item of each of the company's accounts (`cash` for cash and cash equivalents).

    In order: the cash and bank roles are cash; the account's own category (a broad one refined by
    the role); the role (receivable → op_sales, payable → op_purchases, exchange → fx...); the
    nearest parent's category; finally the type (equity → fin_other, anything else → op_other).
    """
    rows = {row["pk"]: row for row in Account.objects.filter(company=company).values(
        "pk", "parent_id", "role", "type", "cash_flow_category")}

    def category(row) -> str:
        value = row["cash_flow_category"]
        return value if value in Item.values else ""

    def resolve(row) -> str:
        role = row["role"]
        if role in CASH_ROLES:
            return Item.CASH
        own = category(row)
        if own:
            return _refine(own, role) if own in BROAD else own
        if role in ROLE_ITEMS:
            return ROLE_ITEMS[role]
        parent, seen = rows.get(row["parent_id"]), set()
        while parent is not None and parent["pk"] not in seen:
            seen.add(parent["pk"])
            inherited = category(parent)
            if inherited:
                return _refine(inherited, role) if inherited in BROAD else inherited
            parent = rows.get(parent["parent_id"])
        return Item.FIN_OTHER if row["type"] == AccountType.EQUITY else Item.OP_OTHER

    return {pk: resolve(row) for pk, row in rows.items()}


def allocate(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` split in proportion to the positive `weights`, in cents, by largest remainder (ties to
    the earlier weight): the parts add up to `total` exactly and keep its sign."""
    cents = int((abs(total) / CENT).to_integral_value())
    units = [int((abs(weight) / CENT).to_integral_value()) for weight in weights]
    whole = sum(units)
    if not whole:
        raise ValueError("allocate needs a positive weight")
    sign = -1 if total < 0 else 1
    if whole == cents:  # the usual case: the counterparts are exactly the cash moved
        return [sign * Decimal(unit) * CENT for unit in units]
    parts = [cents * unit // whole for unit in units]
    order = sorted(range(len(units)), key=lambda index: (-(cents * units[index] % whole), index))
    for index in order[:cents - sum(parts)]:
        parts[index] += 1
    return [sign * Decimal(part) * CENT for part in parts]


@dataclass
class Flows:
    """Cash received (IN) and paid (OUT) per item over some dates, positive amounts; with
    `entries`, the part of each entry too (for drill-down)."""

    totals: dict[FlowKey, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    entries: dict[FlowKey, dict[int, Decimal]] | None = None

    def get(self, item: str, direction: str) -> Decimal:
        return self.totals.get((item, direction), ZERO)

    @property
    def net(self) -> Decimal:
        return sum((amount if direction == layouts.IN else -amount
                    for (_item, direction), amount in self.totals.items()), ZERO)


def cash_flows(company: Company, date_from: datetime.date, date_to: datetime.date, *,
               items: dict[int, str] | None = None, collect: bool = False) -> Flows:
    """The posted cash flows between two dates (both included), by item and direction (see the
    module's rules). `collect` also keeps each entry's part (Flows.entries)."""
    items = items if items is not None else account_items(company)
    cash_ids = [pk for pk, item in items.items() if item == Item.CASH]
    flows = Flows(entries=defaultdict(lambda: defaultdict(lambda: ZERO)) if collect else None)
    lines = JournalEntryLine.objects.filter(company=company, is_posted=True, date__gte=date_from, date__lte=date_to)
    # First the entries that move cash (the account and date index), then their lines summed per account
    # in chunks of entries (the entry index). One query joining the lines to themselves lets PostgreSQL
    # pick a nested loop over the whole date range for every line when its statistics lag behind a load.
    entry_ids = list(lines.filter(account_id__in=cash_ids).values_list("entry_id", flat=True).distinct()
                     .order_by("entry_id"))
    revalued = revaluation_entry_ids(company)  # their cash movement is all exchange difference
    for entry_id, group in groupby(_entry_account_sums(entry_ids), key=lambda row: row[0]):
        cash, others = ZERO, []
        for _entry, account_id, debit, credit in group:
            net = money((debit or ZERO) - (credit or ZERO))
            if items.get(account_id) == Item.CASH:
                cash += net
            elif net:
                others.append((account_id, net))
        if not cash:
            continue
        direction = layouts.IN if cash > 0 else layouts.OUT
        for item, amount in _attribute(cash, others, items, entry_id in revalued):
            flows.totals[(item, direction)] += amount
            if collect:
                flows.entries[(item, direction)][entry_id] += amount
    return flows


def _entry_account_sums(entry_ids: list[int]):
    """(entry, account, debit, credit) of the posted lines of `entry_ids`, in entry and account order."""
    for start in range(0, len(entry_ids), ENTRY_CHUNK):
        yield from (JournalEntryLine.objects.filter(entry_id__in=entry_ids[start:start + ENTRY_CHUNK], is_posted=True)
                    .values_list("entry_id", "account_id").annotate(debit=Sum("debit"), credit=Sum("credit"))
                    .order_by("entry_id", "account_id"))


def _attribute(cash: Decimal, others: list[tuple[int, Decimal]], items: dict[int, str],
               revalued: bool) -> list[tuple[str, Decimal]]:
    """One entry's cash movement (≠ 0) as positive parts per item."""
    if revalued:
        return [(Item.FX, abs(cash))]
    # The counterparts on the other side: credits against cash received, debits against cash paid.
    opposite = [(pk, abs(net)) for pk, net in others if (net < 0) == (cash > 0)]
    if not opposite:  # only possible on unbalanced books: keep the statement tied out all the same
        return [(Item.OP_OTHER, abs(cash))]
    base = [(pk, weight) for pk, weight in opposite if items.get(pk) != Item.FX] or opposite
    parts = allocate(abs(cash), [weight for _pk, weight in base])
    return [(items.get(pk, Item.OP_OTHER), part) for (pk, _weight), part in zip(base, parts, strict=True) if part]


# --- The statement ---------------------------------------------------------------------------------

def year_earlier(day: datetime.date) -> datetime.date:
    """The same day a year before (a month's last day stays its last day: 2025-02-28 → 2024-02-29)."""
    year = day.year - 1
    last = calendar.monthrange(year, day.month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return datetime.date(year, day.month, last)
    return datetime.date(year, day.month, min(day.day, last))


def cash_balance(company: Company, cash_ids, day: datetime.date) -> Decimal:
    """Posted balance of the cash accounts at the end of `day` (from the per-period balances)."""
    moves = movements(company, None, day)
    return money(sum((moves[pk][0] - moves[pk][1] for pk in cash_ids if pk in moves), ZERO))


@dataclass
class CashFlowStatement:
    """现金流量表: lines with amounts for the dates ("period", 本期金额) and the same dates a year
    earlier ("previous", 上期金额); cash at the start and end, and the net increase, per column."""

    company: Company
    layout: str
    family: str
    date_from: datetime.date
    date_to: datetime.date
    previous_from: datetime.date
    previous_to: datetime.date
    columns: list[str]
    lines: list[dict]  # key, number, label, kind, level, amounts {column: Decimal | None}
    opening: dict[str, Decimal]
    closing: dict[str, Decimal]
    net_increase: dict[str, Decimal]  # all flows, exchange differences included

    def amount(self, key: str, column: str = "period") -> Decimal | None:
        return next(line for line in self.lines if line["key"] == key)["amounts"][column]

    @property
    def ties_out(self) -> bool:
        return all(self.closing[column] - self.opening[column] == self.net_increase[column] for column in self.columns)


def _label(line: layouts.Line, layout: str) -> str:
    if layout == "ifrs" or (get_language() or "en").startswith("zh"):
        return str(line.label)
    return line.label_en


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValidationFailed(fields={"layout": [_("Choose cn or ifrs.")]})


def _layout_for(chart: Chart, layout: str | None) -> tuple[str, str]:
    family = chart.family()
    layout = layout or ("ifrs" if family == "ifrs" else "cn")
    _check_layout(layout)
    return layout, family


def _line_amounts(spec: list[layouts.Line], flows: Flows, opening: Decimal) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for line in spec:
        if line.kind == layouts.ITEM:
            amounts[line.key] = sum((sign * flows.get(item, direction) for item, direction, sign in line.sources), ZERO)
        elif line.kind == layouts.TOTAL:
            amounts[line.key] = sum(((-1 if term.startswith("-") else 1) * amounts[term.lstrip("-")]
                                     for term in line.formula), ZERO)
        elif line.kind == layouts.BALANCE:
            amounts[line.key] = opening
    return amounts


def cash_flow_statement(company: Company, date_from: datetime.date, date_to: datetime.date,
                        layout: str | None = None, *, actor=None) -> CashFlowStatement:
    """现金流量表 (direct method) for the dates and the same dates a year earlier. `layout` cn or ifrs;
    None: the chart's own (ifrs for an international chart, else cn)."""
    _authorize(actor, company)
    check_dates(date_from, date_to)
    chart = Chart(company)
    layout, family = _layout_for(chart, layout)
    spec = layouts.layout_lines(layout, family)
    items = account_items(company)
    cash_ids = [pk for pk, item in items.items() if item == Item.CASH]
    ranges = {"period": (date_from, date_to), "previous": (year_earlier(date_from), year_earlier(date_to))}
    amounts, opening, closing, net_increase = {}, {}, {}, {}
    for column, (start, end) in ranges.items():
        flows = cash_flows(company, start, end, items=items)
        opening[column] = cash_balance(company, cash_ids, start - ONE_DAY)
        closing[column] = cash_balance(company, cash_ids, end)
        net_increase[column] = money(flows.net)
        amounts[column] = _line_amounts(spec, flows, opening[column])
    lines = [{"key": line.key, "number": line.number, "label": _label(line, layout), "kind": line.kind,
              "level": line.level,
              "amounts": {column: None if line.kind == layouts.HEADING else money(amounts[column][line.key])
                          for column in COLUMNS}}
             for line in spec]
    return CashFlowStatement(company=company, layout=layout, family=family, date_from=date_from, date_to=date_to,
                             previous_from=ranges["previous"][0], previous_to=ranges["previous"][1],
                             columns=list(COLUMNS), lines=lines, opening=opening, closing=closing,
                             net_increase=net_increase)


# --- Drill-down ------------------------------------------------------------------------------------

@dataclass
class CashFlowEntries:
    """The entries behind one line of the statement, each with its part of the line's amount."""

    company: Company
    layout: str
    line: str
    label: str
    date_from: datetime.date
    date_to: datetime.date
    rows: list[dict]  # entry, date, number, journal, description, amount
    total: Decimal


def _sources(spec: list[layouts.Line], key: str) -> dict[FlowKey, int] | None:
    """The (item, direction) flows a line adds up, with their signs, through its formula; None for
    a line holding a cash balance (期初/期末现金余额), which no list of entries makes up."""
    lines = {line.key: line for line in spec}
    signs: dict[FlowKey, int] = defaultdict(int)

    def walk(line_key: str, factor: int) -> bool:
        line = lines[line_key]
        for item, direction, sign in line.sources:
            signs[(item, direction)] += factor * sign
        return line.kind != layouts.BALANCE and all(
            walk(term.lstrip("-"), -factor if term.startswith("-") else factor) for term in line.formula)

    if not walk(key, 1):
        return None
    return {flow: sign for flow, sign in signs.items() if sign}


def cash_flow_entries(company: Company, date_from: datetime.date, date_to: datetime.date, line: str,
                      layout: str | None = None, *, actor=None) -> CashFlowEntries:
    """The posted entries whose cash flows make up `line` (a line key of the layout) over the dates.

    Raises ValidationFailed (field `line`) for a key the layout does not have, a heading, or a line
    of cash balances (opening, closing).
    """
    _authorize(actor, company)
    check_dates(date_from, date_to)
    chart = Chart(company)
    layout, family = _layout_for(chart, layout)
    spec = layouts.layout_lines(layout, family)
    found = next((candidate for candidate in spec if candidate.key == line and candidate.kind != layouts.HEADING),
                 None)
    sources = _sources(spec, line) if found is not None else None
    if sources is None:
        raise ValidationFailed(fields={"line": [_("Choose a line of the cash-flow statement made of cash flows.")]})
    flows = cash_flows(company, date_from, date_to, collect=True)
    parts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for flow, sign in sources.items():
        for entry_id, amount in flows.entries.get(flow, {}).items():
            parts[entry_id] += sign * amount
    entries = (JournalEntry.objects.filter(company=company, pk__in=[pk for pk, amount in parts.items() if amount])
               .select_related("journal").order_by("date", "number", "pk"))
    rows = [{"entry": entry.pk, "date": entry.date, "number": entry.number or "", "journal": entry.journal.code,
             "description": entry.description, "amount": money(parts[entry.pk])} for entry in entries]
    return CashFlowEntries(company=company, layout=layout, line=line, label=_label(found, layout),
                           date_from=date_from, date_to=date_to, rows=rows,
                           total=money(sum((row["amount"] for row in rows), ZERO)))


# --- Cash position ---------------------------------------------------------------------------------

@dataclass
class CashPosition:
    """Cash and bank balances as of a day, and what open invoices should bring in and take out over
    the next days by due date (overdue apart), with the projected balance after each span."""

    company: Company
    as_of: datetime.date
    horizon: datetime.date
    accounts: list[dict]  # account, code, name, currency, balance_currency (foreign accounts), balance
    total: Decimal
    buckets: list[dict]  # key, label, date_from, date_to, receipts, payments, net, balance
    overdue_receipts: Decimal
    overdue_payments: Decimal
    receipts: Decimal  # due from as_of to the horizon
    payments: Decimal
    projected_balance: Decimal  # total + all receipts − all payments, overdue ones included


def _foreign_balances(company: Company, account_ids, as_of: datetime.date) -> dict[int, Decimal]:
    signed = Case(When(debit__gt=0, then=Abs("amount_currency")), default=-Abs("amount_currency"),
                  output_field=DecimalField(max_digits=20, decimal_places=2))
    return {row["account_id"]: money(row["amount"] or ZERO) for row in
            JournalEntryLine.objects.filter(company=company, is_posted=True, date__lte=as_of,
                                            account_id__in=account_ids, amount_currency__isnull=False)
            .values("account_id").annotate(amount=Sum(signed)).order_by()}


def _open_items(company: Company, as_of: datetime.date, horizon: datetime.date) -> list[tuple]:
    """(due date, receipt or payment in base currency) of the open posted invoices due by `horizon`,
    summed per kind, due date and rate in SQL; a credit note counts against its side."""
    residual = ExpressionWrapper(F("total") - F("amount_paid"), output_field=DecimalField(max_digits=20,
                                                                                          decimal_places=2))
    rows = (Invoice.objects.filter(company=company, state__in=[InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID],
                                   date__lte=as_of, total__gt=F("amount_paid"))
            .annotate(due=Coalesce("due_on", "date")).filter(due__lte=horizon)
            .values("kind", "due", "exchange_rate").annotate(residual=Sum(residual)).order_by())
    items = []
    for row in rows:
        amount = base_amount(row["residual"], row["exchange_rate"], company)
        if row["kind"] in (InvoiceKind.CUSTOMER_CREDIT, InvoiceKind.SUPPLIER_CREDIT):
            amount = -amount
        side = "receipts" if row["kind"] in CUSTOMER_KINDS else "payments"
        items.append((row["due"], side, amount))
    return items


def cash_position(company: Company, as_of: datetime.date, *, actor=None) -> CashPosition:
    """Every cash and bank account's balance at the end of `as_of` (in base currency, and in its own
    currency for a foreign account), their total, and the projection over the next 30 days from open
    posted invoices (their residual today, at each invoice's rate)."""
    _authorize(actor, company)
    check_dates(as_of, as_of)
    items = account_items(company)
    cash_ids = {pk for pk, item in items.items() if item == Item.CASH}
    accounts = (Account.objects.filter(company=company, pk__in=cash_ids, children__isnull=True)
                .select_related("currency").order_by("code"))
    moves = movements(company, None, as_of)
    base = company.base_currency_id
    foreign = [account.pk for account in accounts if account.currency_id and account.currency_id != base]
    in_currency = _foreign_balances(company, foreign, as_of) if foreign else {}
    rows = []
    for account in accounts:
        debit, credit = moves.get(account.pk, (ZERO, ZERO))
        balance = money(debit - credit)
        if not account.is_active and not balance:
            continue
        is_foreign = account.pk in foreign
        rows.append({"account": account.pk, "code": account.code, "name": account.name,
                     "currency": account.currency.code if is_foreign else company.base_currency.code,
                     "balance_currency": in_currency.get(account.pk, money(ZERO)) if is_foreign else None,
                     "balance": balance})
    total = money(sum((row["balance"] for row in rows), ZERO))
    horizon = as_of + datetime.timedelta(days=POSITION_HORIZON_DAYS)
    sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    spans = [("overdue", None, as_of - ONE_DAY)] + [
        (f"days_{first}_{last}", as_of + datetime.timedelta(days=first), as_of + datetime.timedelta(days=last))
        for first, last in POSITION_BUCKETS]
    for due, side, amount in _open_items(company, as_of, horizon):
        key = next(key for key, start, end in spans if (start is None or due >= start) and due <= end)
        sums[(key, side)] += amount
    buckets, running = [], total
    for key, start, end in spans:
        receipts, payments = money(sums[(key, "receipts")]), money(sums[(key, "payments")])
        running += receipts - payments
        label = (_("Overdue") if start is None else
                 _("Due %(start)s – %(end)s") % {"start": start.isoformat(), "end": end.isoformat()})
        buckets.append({"key": key, "label": label, "date_from": start, "date_to": end, "receipts": receipts,
                        "payments": payments, "net": money(receipts - payments), "balance": money(running)})
    overdue = buckets[0]
    return CashPosition(company=company, as_of=as_of, horizon=horizon, accounts=rows, total=total, buckets=buckets,
                        overdue_receipts=overdue["receipts"], overdue_payments=overdue["payments"],
                        receipts=money(sum((bucket["receipts"] for bucket in buckets[1:]), ZERO)),
                        payments=money(sum((bucket["payments"] for bucket in buckets[1:]), ZERO)),
                        projected_balance=money(running))

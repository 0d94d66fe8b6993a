"""What the valuation service and the back-dated replay share: how a move is priced (direction, the
location it comes from or goes to, a fixed cost), the accounts and journal it posts to, the product's
valued stock read from the database, and the journal entry lines built from signed amounts.

Accounts (from the product's category, inherited up the tree; see products.services.categories):
- inventory: the category's inventory account, else the company's account with role "inventory";
- the other side, by the usage of the location the goods come from or go to:
  supplier -> goods received not invoiced (role "grir"), with the move's partner;
  customer -> the category's expense account (cost of goods sold), with the move's partner;
  inventory (count differences, losses, gains) -> the category's inventory gain/loss account;
  production -> the category's expense account (until manufacturing brings work-in-progress accounts).
A missing account raises ValidationFailed naming what to set, and nothing is written.

Phased go-live: while the company has not switched the accounting module on, moves are valued (layers,
costs, the valuation report) but post nothing, and a supplier receipt without a price comes in at the
current cost; once it is on, every valued move posts and a supplier receipt needs its unit cost.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.accounting.choices import AccountRole, JournalKind, PeriodState
from tessera.accounting.models import Account, Journal, Period
from tessera.accounting.services.errors import PeriodClosed
from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.services.setup import account_by_role
from tessera.core.errors import ValidationFailed
from tessera.core.services.companies import module_is_active
from tessera.products.models import ProductCategory
from tessera.products.services import category_setting, product_costing_method

from ..choices import LAYER_KINDS, VALUED_USAGES, LayerKind, LocationUsage
from ..models import ProductCost, StockMove, ValuationLayer
from .valuation_engine import ZERO, Owed, Receipt, State, unit_cost

SOURCE_PREFIX = "inventory.stockmove:"
IN, OUT = "in", "out"
DESCRIPTION_LENGTH = 255


def move_source(move: StockMove) -> str:
    """The `source` of the journal entries a move writes (its own and any correction it causes)."""
    return f"{SOURCE_PREFIX}{move.pk}"


@dataclass(frozen=True)
class Pricing:
    """How a move is valued: `direction` in or out of the valued stock, the `usage` of the location on
    the other side, a fixed unit cost (None: the current cost or the costing method) and, for a return to
    the supplier, the receipt layer to take from first."""

    direction: str
    usage: str
    cost: Decimal | None = None
    prefer: int | None = None


def books_kept(company) -> bool:
    """Whether the company keeps its books in Tessera (accounting module on): then valuation posts."""
    return module_is_active(company, "accounting")


def direction_of(move: StockMove) -> tuple[str, str] | None:
    """(direction, usage of the other location), or None when the move does not change the valued stock
    (both locations valued, or neither)."""
    source_valued = move.location.usage in VALUED_USAGES
    dest_valued = move.location_dest.usage in VALUED_USAGES
    if source_valued == dest_valued:
        return None
    if dest_valued:
        return IN, move.location.usage
    return OUT, move.location_dest.usage


def layer_kind(move: StockMove) -> str:
    """The kind of the layer a move writes: receipt, delivery, adjustment, return, production (other when the
    location on the other side is none of those)."""
    return LAYER_KINDS.get(direction_of(move), LayerKind.OTHER)


def main_layer_pk(move_pk: int) -> int | None:
    return (ValuationLayer.objects.filter(move_id=move_pk).exclude(quantity=0).order_by("pk")
            .values_list("pk", flat=True).first())


def pricing(move: StockMove, *, origin_costs: dict | None = None, origin_layers: dict | None = None) -> Pricing:
    """How `move` is valued (see the module docstring of valuation for the rules).

    `origin_costs` / `origin_layers` (move pk -> unit cost / main layer pk) let the replay use the costs it
    has just recomputed; missing entries are read from the database. Raises ValidationFailed when a supplier
    receipt has no unit cost.
    """
    direction, usage = direction_of(move)
    origin = move.origin_move
    if direction == IN:
        if usage == LocationUsage.SUPPLIER:
            if move.unit_cost is None and books_kept(move.company):
                raise ValidationFailed(
                    _("Receipt %(move)s from a supplier has no unit cost: give the price per unit.")
                    % {"move": move.reference or move.pk},
                    fields={"unit_cost": [_("A receipt from a supplier needs its unit cost.")]})
            return Pricing(IN, usage, move.unit_cost)
        if origin is not None:
            cost = (origin_costs or {}).get(origin.pk, origin.unit_cost)
            return Pricing(IN, usage, cost)
        return Pricing(IN, usage)
    if usage == LocationUsage.SUPPLIER and origin is not None and origin.unit_cost is not None:
        layers = origin_layers or {}
        prefer = layers[origin.pk] if origin.pk in layers else main_layer_pk(origin.pk)
        return Pricing(OUT, usage, origin.unit_cost, prefer)
    return Pricing(OUT, usage)


class Books:
    """The accounts and stock journal of one product's postings, looked up once per call."""

    def __init__(self, company, product):
        self.company = company
        self.product = product
        self.kept = books_kept(company)
        self._journal: Journal | None = None

    def _category_account(self, field: str, what: str) -> Account:
        account = category_setting(self.product.category, field)
        if account is None:
            raise ValidationFailed(
                _("Product category %(category)s has no %(what)s: set it on the category or a parent category.")
                % {"category": self.product.category, "what": what},
                fields={"product": [_("The product's category has no %(what)s.") % {"what": what}]})
        return account

    def inventory(self) -> Account:
        return category_setting(self.product.category, "inventory_account") \
            or account_by_role(self.company, AccountRole.INVENTORY)

    def counterpart(self, usage: str) -> Account:
        if usage == LocationUsage.SUPPLIER:
            return account_by_role(self.company, AccountRole.GRIR)
        if usage in (LocationUsage.CUSTOMER, LocationUsage.PRODUCTION):
            return self._category_account("expense_account", _("expense account (cost of goods sold)"))
        if usage == LocationUsage.INVENTORY:
            return self._category_account("stock_adjustment_account", _("inventory gain/loss account"))
        raise ValidationFailed(_("Stock cannot come from or go to a location of usage “%(usage)s”.")
                               % {"usage": LocationUsage(usage).label})

    def journal(self) -> Journal:
        if self._journal is None:
            self._journal = (Journal.objects.filter(company=self.company, kind=JournalKind.STOCK, is_active=True)
                             .order_by("code").first())
            if self._journal is None:
                raise ValidationFailed(
                    _("Company %(company)s has no stock journal: install a chart of accounts or add a journal of "
                      "kind “Stock”.") % {"company": self.company.code},
                    fields={"journal": [_("No active journal of kind “Stock”.")]})
        return self._journal


class Legs:
    """Signed amounts (debit positive) per (account, partner, description), then balanced entry lines."""

    def __init__(self):
        self.amounts: dict[tuple, Decimal] = {}
        self.accounts: dict[int, Account] = {}

    def add(self, account: Account, amount: Decimal, description: str, partner=None) -> None:
        if not amount:
            return
        self.accounts[account.pk] = account
        key = (account.pk, getattr(partner, "pk", None), description[:DESCRIPTION_LENGTH])
        self.amounts[key] = self.amounts.get(key, ZERO) + amount

    def pair(self, inventory: Account, counterpart: Account, amount: Decimal, description: str, partner=None):
        """`amount` into the stock (negative: out of it) against the other side."""
        self.add(inventory, amount, description)
        self.add(counterpart, -amount, description, partner)

    def lines(self) -> list[dict]:
        lines = []
        for (account, partner, description), amount in self.amounts.items():
            if amount:
                lines.append({"account": self.accounts[account], "partner": partner, "description": description,
                              "debit": amount if amount > 0 else ZERO, "credit": -amount if amount < 0 else ZERO})
        # Debits first, then credits: the order a voucher is read in.
        return sorted(lines, key=lambda line: line["credit"] > 0)

    def post(self, *, actor, books: Books, move: StockMove, date: datetime.date, description: str):
        """Post the lines as one entry of the stock journal (None when they add up to nothing, or while the
        company keeps no books in Tessera)."""
        lines = self.lines()
        if len(lines) < 2 or not books.kept:
            return None
        return entry_post_new(actor=actor, company=books.company, journal=books.journal(), date=date, lines=lines,
                              reference=(move.reference or "")[:100], description=description[:DESCRIPTION_LENGTH],
                              source=move_source(move))


def move_label(move: StockMove) -> str:
    return move.reference or _("move #%(pk)s") % {"pk": move.pk}


def lock_cost(product) -> ProductCost:
    """The product's cost row, created when missing, locked until the transaction ends: it serialises
    the valuation of the product."""
    ProductCost.objects.get_or_create(product=product, defaults={"company_id": product.company_id})
    return ProductCost.objects.select_for_update(of=("self",)).get(product=product)


def costing_method(product) -> str:
    return str(product_costing_method(product).value)


def load_state(product, cost: ProductCost) -> State:
    """The product's valued stock as the database holds it: totals, cost, open receipts, owed layers."""
    state = State(method=costing_method(product), standard_cost=product.standard_cost, quantity=cost.quantity,
                  value=cost.value, cost=cost.average_cost)
    layers = ValuationLayer.objects.filter(product=product).exclude(remaining_quantity=0).order_by("date", "pk")
    for layer in layers.values("pk", "move_id", "quantity", "value", "remaining_quantity", "remaining_value"):
        if layer["remaining_quantity"] > 0:
            state.receipts.append(Receipt(key=layer["pk"], quantity=layer["quantity"], value=layer["value"],
                                          remaining_quantity=layer["remaining_quantity"],
                                          remaining_value=layer["remaining_value"]))
        else:
            state.owed.append(Owed(key=layer["pk"], move=layer["move_id"], quantity=-layer["remaining_quantity"],
                                   value=-layer["remaining_value"]))
    return state


def save_cost(cost: ProductCost, state: State) -> None:
    cost.quantity, cost.value, cost.average_cost = state.quantity, state.value, state.cost
    ProductCost.objects.filter(pk=cost.pk).update(quantity=state.quantity, value=state.value,
                                                  average_cost=state.cost)


def refresh_move_values(move_pks, *, priced: set[int]) -> None:
    """Set each move's `value` to what its layers add up to (its corrections included) and, for the moves
    whose cost Tessera works out (`priced`: outgoing moves, receipts without a price), its unit cost."""
    totals: dict[int, Decimal] = {}
    for move_id, value in ValuationLayer.objects.filter(move_id__in=move_pks).values_list("move_id", "value"):
        totals[move_id] = totals.get(move_id, ZERO) + value  # in Python: SQLite would add them as floats
    for move in StockMove.objects.filter(pk__in=move_pks).only("pk", "product_quantity"):
        value = abs(Decimal(totals.get(move.pk) or ZERO))
        changes = {"value": value}
        if move.pk in priced and move.product_quantity:
            changes["unit_cost"] = unit_cost(value / move.product_quantity)
        StockMove.objects.filter(pk=move.pk).update(**changes)


def first_open_date(company, day: datetime.date) -> datetime.date:
    """`day` when its period is open, else the first day of the next open period after it.

    Raises PeriodClosed when no open period follows."""
    period = (Period.objects.filter(company=company, end_on__gte=day, state=PeriodState.OPEN,
                                    fiscal_year__state=PeriodState.OPEN).order_by("start_on").first())
    if period is None:
        raise PeriodClosed(_("No open accounting period on or after %(date)s: open one to post the stock "
                             "correction.") % {"date": day.isoformat()})
    return max(day, period.start_on)


def inventory_account_ids(company) -> set[int]:
    """The accounts stock is valued on: each product category's inventory account (inherited), and the
    company's account with role "inventory"."""
    ids = set()
    for category in ProductCategory.objects.filter(company=company).select_related("parent"):
        account = category_setting(category, "inventory_account")
        if account is not None:
            ids.add(account.pk)
    try:
        ids.add(account_by_role(company, AccountRole.INVENTORY).pk)
    except ValidationFailed:
        pass
    return ids

"""Back-dated moves: value a move dated before later layers of its product as if it had happened in date
order, without re-posting anything else.

How (inside valuation_move_done's transaction, with the product's cost row locked):

1. Read the product's layers (a few columns, one query) and replay its moves in order (date, then the
   order they were valued in) through the same engine as live valuation, with the new move in its place.
   Receipts keep their price; everything whose cost depends on what came before (deliveries, losses,
   returns to the cost of their delivery, gains at the current cost, settlements of negative stock) is
   worked out again.
2. The new move gets the layer it would have had at its date; it settles what was owed then, in its own
   entry dated its date.
3. What remains of each layer (FIFO queue, owed quantities) is rewritten from the replay: that is state,
   not history.
4. Every other move whose value comes out different gets a correcting layer (quantity 0, the difference)
   and the corrections go into one entry per accounting period in the stock journal: inventory against
   each move's own account (cost of goods sold, gain/loss, GR/IR), source the back-dated move. What the
   replay gives and what the layers hold are compared day by day (from the back-dated move's date on; a
   day in a closed period counts as the first open day after it), so a correction is dated the day its
   difference arises (the delivery's date, or the day a receipt settled negative stock). The corrections
   of one period share one entry, dated the earliest of them, and their layers carry the entry's date:
   the valuation as of any date equals the ledger.

Posted layers and entries are never edited: the history stays, the corrections are added.
Cost: one read of the product's layers and arithmetic in memory; writes only for what changes.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.accounting.models import Period

from ..choices import LayerKind
from ..models import ProductCost, StockMove, ValuationLayer
from . import valuation_engine as engine
from .valuation_common import (
    IN,
    Books,
    Legs,
    books_kept,
    costing_method,
    direction_of,
    first_open_date,
    move_label,
    pricing,
    refresh_move_values,
    save_cost,
)
from .valuation_engine import ZERO, unit_cost

NEW = "new"


def _final_remaining(state: engine.State) -> dict:
    """Layer key -> (remaining quantity, remaining value) as stored (owed layers negative)."""
    remaining = {receipt.key: (receipt.remaining_quantity, receipt.remaining_value) for receipt in state.receipts}
    remaining.update({owed.key: (-owed.quantity, -owed.value) for owed in state.owed})
    return remaining


def replay_backdated(*, actor, move: StockMove, cost: ProductCost) -> None:
    """Value the back-dated `move` and correct the moves after it (see the module docstring)."""
    from .valuation import write_layers

    product = move.product
    rows = list(ValuationLayer.objects.filter(product=product).order_by("date", "pk").values(
        "pk", "move_id", "date", "quantity", "value", "remaining_quantity", "remaining_value"))
    mains = [row for row in rows if row["quantity"] != 0 and row["move_id"]]
    moves = {item.pk: item for item in StockMove.objects.filter(pk__in=[row["move_id"] for row in mains])
             .select_related("location", "location_dest", "origin_move", "partner")}
    main_of = {row["move_id"]: row["pk"] for row in mains}
    position = next((index for index, row in enumerate(mains) if row["date"] > move.date), len(mains))
    events = [*mains[:position], None, *mains[position:]]

    state = engine.State(method=costing_method(product), standard_cost=product.standard_cost)
    computed: dict[int, Decimal] = defaultdict(lambda: ZERO)  # move pk -> value so far
    changes: list[tuple[int, object, Decimal]] = []  # (move pk, date, value) the replay gives the old moves
    costs: dict[int, Decimal] = {}  # move pk -> unit cost so far (what a customer return of it comes back at)
    quantities = {pk: item.product_quantity for pk, item in moves.items()} | {move.pk: move.product_quantity}
    new_outcome = new_price = None
    for row in events:
        current = move if row is None else moves[row["move_id"]]
        key = NEW if row is None else row["pk"]
        price = pricing(current, origin_costs=costs, origin_layers=main_of)
        if price.direction == IN:
            outcome = engine.receive(state, key=key, quantity=current.product_quantity, cost=price.cost)
        else:
            outcome = engine.issue(state, key=key, move=current.pk, quantity=current.product_quantity,
                                   cost=price.cost, prefer=price.prefer)
        if row is None:
            new_outcome, new_price = outcome, price  # written as they are, with the new move's entry
        else:
            changes.append((current.pk, current.date, outcome.layer.value))
            changes += [(fill.move, current.date, fill.delta) for fill in outcome.fills]
        computed[current.pk] += outcome.layer.value
        for fill in outcome.fills:
            computed[fill.move] += fill.delta
        for pk in {current.pk, *(fill.move for fill in outcome.fills)}:
            costs[pk] = unit_cost(abs(computed[pk]) / quantities[pk])

    remaining = _final_remaining(state)
    write_layers(actor, move, new_outcome, new_price, remaining=remaining.get(NEW, (ZERO, ZERO)))
    for row in rows:
        now = remaining.get(row["pk"], (ZERO, ZERO))
        if now != (row["remaining_quantity"], row["remaining_value"]):
            ValuationLayer.objects.filter(pk=row["pk"]).update(remaining_quantity=now[0], remaining_value=now[1])
    stored = [(row["move_id"], row["date"], -row["value"]) for row in rows if row["move_id"]]
    # A back-dated delivery left short may be settled by a later receipt: it is corrected like the others.
    _post_corrections(actor, move, {**moves, move.pk: move}, changes + stored)
    save_cost(cost, state)


def _post_corrections(actor, move: StockMove, moves: dict, differences: list[tuple[int, object, Decimal]]) -> None:
    """Correct the old moves by what the replay gives less what their layers hold.

    `differences` are (move pk, date, amount) to add up. Each date counts from the back-dated move's date
    on, in the first open period from there (`first_open_date`); the amounts of one move in one period
    make its correction, dated the first day whose amount does not cancel out; one entry per period,
    dated its earliest correction (the layers take the entry's date, so valuation and ledger agree on
    every day)."""
    company = move.company
    kept = books_kept(company)
    days: dict = {}

    def bucket(day):
        if day not in days:
            start = max(day, move.date)
            posted = first_open_date(company, start) if kept else start
            period = (Period.objects.filter(company=company, start_on__lte=posted, end_on__gte=posted)
                      .values_list("pk", flat=True).first())
            days[day] = (period or (posted.year, posted.month), posted)
        return days[day]

    by_day: dict[tuple, Decimal] = defaultdict(lambda: ZERO)  # (move, period, posting day) -> amount
    for pk, day, amount in differences:
        period, posted = bucket(day)
        by_day[(pk, period, posted)] += amount
    corrections: dict[tuple, list] = {}  # (period, move) -> [first day not cancelling out, total]
    for (pk, period, posted), amount in sorted(by_day.items(), key=lambda item: item[0][2]):
        found = corrections.setdefault((period, pk), [None, ZERO])
        found[1] += amount
        if amount and found[0] is None:
            found[0] = posted
    groups: dict[object, list] = defaultdict(list)
    for (period, pk), (day, total) in corrections.items():
        if total:
            groups[period].append((day, pk, total))
    if not groups:
        return
    books = Books(company, move.product)
    inventory = books.inventory() if books.kept else None
    header = _("Stock re-valued after back-dated move %(move)s of %(date)s") % {
        "move": move_label(move), "date": move.date.isoformat()}
    for items in groups.values():
        day = min(item[0] for item in items)
        legs = Legs()
        layers = []
        for _day, pk, difference in sorted(items, key=lambda item: (item[0], item[1])):
            affected = moves[pk]
            description = _("%(move)s re-valued after back-dated move %(backdated)s") % {
                "move": move_label(affected), "backdated": move_label(move)}
            if books.kept:
                legs.pair(inventory, books.counterpart(direction_of(affected)[1]), difference, description,
                          affected.partner)
            layers.append(ValuationLayer(company=company, product=move.product, move=affected, date=day,
                                         kind=LayerKind.REVALUATION, quantity=0, unit_cost=0, value=difference,
                                         description=description[:255]))
        entry = legs.post(actor=actor, books=books, move=move, date=day, description=header)
        for layer in layers:
            layer.entry = entry
        ValuationLayer.objects.bulk_create(layers)
    changed = {pk for items in groups.values() for _day, pk, _total in items}
    priced = {pk for pk in changed if direction_of(moves[pk]) != (IN, "supplier")}
    refresh_move_values(changed, priced=priced)

"""Perpetual inventory valuation: each done move that brings stock into or takes it out of the company's
valued locations (internal, transit) writes its valuation layer and posts its journal entry.

`valuation_move_done` is called by the stock engine (`move_done`) inside its transaction, after the quants
are updated and the move is marked done. It

- values the move (valuation_engine has the arithmetic): a receipt from a supplier at the move's unit
  cost (required), a customer return at the cost its delivery went out at (`origin_move`), an inventory
  gain or other receipt without a price at the current cost (the average, else the last cost, else the
  product's standard cost); a delivery or loss by the product's costing method (moving average or FIFO),
  a return to the supplier at its receipt's cost;
- writes the layer (signed quantity and value; receipts keep what remains of them), updates the
  product's ProductCost under a row lock (one valuation at a time per product), and sets the move's
  `unit_cost`, `value` and `entry`;
- posts one balanced entry in the stock journal, dated the move's date (source "inventory.stockmove:<pk>"):
  receipt Dr inventory / Cr GR/IR (partner: the supplier); delivery Dr cost of goods sold / Cr inventory;
  count differences against the inventory gain/loss account; returns mirrored.

Negative stock (when a warehouse allows it): the part a delivery takes that is not in stock is valued at
the current cost and stays owed on its layer; the next receipts settle it at their real cost, and the
difference corrects the delivery's value with a layer of quantity 0 on the delivery, posted in the
receipt's entry against the delivery's account (Dr/Cr cost of goods sold vs inventory).

Back-dated moves (dated before a later layer of the product) are valued as if they had happened in date
order: valuation_replay recomputes the product's layers in memory, rewrites what remains of them and adds
correcting layers to the moves whose value changes, with one correcting entry per accounting period
(no re-posting of anything else).

Lock order: the stock engine's quants, then the product's cost row, then the company (ledger posting).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from tessera.core.errors import InvalidState
from tessera.products.choices import ProductType

from ..choices import LayerKind, MoveState
from ..models import StockMove, ValuationLayer
from . import valuation_engine as engine
from .valuation_common import (
    IN,
    Books,
    Legs,
    direction_of,
    layer_kind,
    load_state,
    lock_cost,
    move_label,
    pricing,
    refresh_move_values,
    save_cost,
)

NEW = "new"  # the engine's key of the layer being written


def layer_description(move: StockMove) -> str:
    return (move.description or move.reference or "")[:255]


def line_description(move: StockMove) -> str:
    """"[SKU] Product: 10 pcs (REF)" for the lines of a move's entry."""
    product = move.product
    text = _("%(product)s: %(quantity)s %(unit)s") % {
        "product": f"[{product.sku}] {product.display_name}",
        "quantity": f"{move.product_quantity.normalize():f}", "unit": product.uom.short_name}
    return f"{text} ({move.reference})" if move.reference else text


def fill_description(owed_move: StockMove, move: StockMove) -> str:
    return _("Negative stock of %(owed)s settled at the cost of %(move)s") % {
        "owed": move_label(owed_move), "move": move_label(move)}


def remaining_of(item) -> tuple:
    """(remaining quantity, remaining value) of an engine receipt or owed layer, signed as stored."""
    if isinstance(item, engine.Owed):
        return -item.quantity, -item.value
    return item.remaining_quantity, item.remaining_value


def _is_backdated(move: StockMove) -> bool:
    return ValuationLayer.objects.filter(product_id=move.product_id, date__gt=move.date).exists()


def _load_move(move: StockMove) -> StockMove:
    return (StockMove.objects.select_related("product", "product__category", "product__uom", "location",
                                             "location_dest", "origin_move", "partner", "company")
            .get(pk=move.pk))


def valuation_move_done(*, actor, move: StockMove) -> None:
    """Value a move the stock engine has just carried out (see the module docstring).

    No-op for products that are not stocked and for moves between two valued locations (or two others).
    Called inside the caller's transaction; the caller has checked the permission to carry out the move.
    Raises InvalidState (the move is not done, or has been valued already), ValidationFailed (a supplier
    receipt without a unit cost, a missing account or stock journal), PeriodClosed (the move's date, or the
    date a back-dated correction needs, lies in a closed period). Nothing is written when it raises.
    """
    given, move = move, _load_move(move)
    if move.product.type != ProductType.STOCK or direction_of(move) is None:
        return
    if move.state != MoveState.DONE:
        raise InvalidState(_("Only a done move is valued."))
    with transaction.atomic():
        cost = lock_cost(move.product)
        if ValuationLayer.objects.filter(move=move).exists():
            raise InvalidState(_("Move %(move)s has been valued already.") % {"move": move_label(move)})
        if _is_backdated(move):
            from .valuation_replay import replay_backdated

            replay_backdated(actor=actor, move=move, cost=cost)
        else:
            _value_now(actor, move, cost)
    # The caller's copy of the move shows what valuation set on it.
    given.unit_cost, given.value, given.entry_id = (StockMove.objects.filter(pk=move.pk)
                                                    .values_list("unit_cost", "value", "entry_id").get())


def _value_now(actor, move: StockMove, cost) -> None:
    """Value a move dated on or after every layer of its product: one engine step on the stored state."""
    product = move.product
    state = load_state(product, cost)
    before = {id(item): remaining_of(item) for item in [*state.receipts, *state.owed]}
    loaded = [*state.receipts, *state.owed]
    price = pricing(move)
    if price.direction == IN:
        outcome = engine.receive(state, key=NEW, quantity=move.product_quantity, cost=price.cost)
    else:
        outcome = engine.issue(state, key=NEW, move=move.pk, quantity=move.product_quantity, cost=price.cost,
                               prefer=price.prefer)
    write_layers(actor, move, outcome, price)
    for item in loaded:  # what this move took from receipts, or settled of owed layers
        now = remaining_of(item)
        if now != before[id(item)]:
            ValuationLayer.objects.filter(pk=item.key).update(remaining_quantity=now[0], remaining_value=now[1])
    save_cost(cost, state)


def write_layers(actor, move: StockMove, outcome: engine.Outcome, price, *, date=None,
                 remaining: tuple | None = None) -> ValuationLayer:
    """Write the move's layer and the layers of the owed moves it settles, post its entry, and set the
    values of the moves concerned. `remaining` overrides what remains of the new layer (the replay knows
    what later moves took of it)."""
    books = Books(move.company, move.product)
    date = date or move.date
    result = outcome.layer
    remaining_quantity, remaining_value = remaining or (result.remaining_quantity, result.remaining_value)
    layer = ValuationLayer.objects.create(
        company=move.company, product=move.product, move=move, date=date, kind=layer_kind(move),
        quantity=result.quantity,
        unit_cost=result.unit_cost, value=result.value, remaining_quantity=remaining_quantity,
        remaining_value=remaining_value, description=layer_description(move))
    fills = [fill for fill in outcome.fills if fill.delta]  # an estimate that was right needs no layer
    fill_layers = []
    owed_moves = {owed.pk: owed for owed in StockMove.objects.select_related("location", "location_dest", "partner")
                  .filter(pk__in={fill.move for fill in fills})}
    for fill in fills:
        fill_layers.append(ValuationLayer.objects.create(
            company=move.company, product=move.product, move=owed_moves[fill.move], date=date,
            kind=LayerKind.REVALUATION, quantity=0,
            unit_cost=0, value=fill.delta, description=fill_description(owed_moves[fill.move], move)[:255]))
    entry = None
    if books.kept:
        legs = Legs()
        inventory = books.inventory()
        legs.pair(inventory, books.counterpart(price.usage), result.value, line_description(move), move.partner)
        for fill, fill_layer in zip(fills, fill_layers, strict=True):
            owed = owed_moves[fill.move]
            legs.pair(inventory, books.counterpart(direction_of(owed)[1]), fill.delta, fill_layer.description,
                      owed.partner)
        entry = legs.post(actor=actor, books=books, move=move, date=date, description=line_description(move))
    if entry is not None:
        ValuationLayer.objects.filter(pk__in=[layer.pk, *(item.pk for item in fill_layers)]).update(entry=entry)
        layer.entry = entry
    priced = {move.pk} if (price.direction != IN or price.usage != "supplier") else set()
    priced |= set(owed_moves)
    refresh_move_values({move.pk, *owed_moves}, priced=priced)
    StockMove.objects.filter(pk=move.pk).update(entry=entry)
    move.refresh_from_db(fields=["unit_cost", "value", "entry"])
    return layer

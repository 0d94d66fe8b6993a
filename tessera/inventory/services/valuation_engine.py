"""The arithmetic of inventory valuation, without the database: one product's valued stock (`State`) and
what a move into or out of it does (`receive`, `issue`). The live service and the back-dated replay both
run these two functions, so a move valued now and the same move replayed later give the same figures.

Rules (amounts in the company's currency, values to the cent, costs to six decimals, half up):

- Every incoming layer joins the queue of open receipts with `remaining_quantity`/`remaining_value`;
  outgoing moves take quantities from the queue oldest first (FIFO products value them so; moving-average
  products use the queue only to know how old their stock is). The value taken from a receipt is
  cumulative: after `c` of its `q` units are gone it has given `round(c × value / q)`, and all of its value
  with its last unit, so its remaining value never depends on how its units were split.
- Moving average: an outgoing move is valued at the average cost (`State.cost`) times its quantity, and the
  move that takes the last unit takes all the value left, so no stock ever has a value without a quantity
  (10.00 for 3 units goes out as 3.33, 3.33 and 3.34). The average changes only when stock comes in (or a
  return to a supplier leaves at its receipt's cost): cost = value / quantity.
- FIFO: an outgoing move is valued at what it takes from the queue.
- Negative stock: the part of an outgoing move that the stock does not cover is valued at the current cost
  (the average, else the last cost known, else the product's standard cost) and stays *owed* on its layer
  (negative `remaining_quantity`/`remaining_value`). The next receipts fill what is owed, oldest first, at
  their own cost; the difference between that and the estimate corrects the outgoing move's value (a
  `Fill`: the service writes it as a layer of quantity 0 on the outgoing move and posts it against that
  move's account).
- Incoming moves have a fixed unit cost (a supplier's price, the cost a delivery went out at for a customer
  return) or take the current cost (inventory gains and other receipts without a price).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
COST_STEP = Decimal("0.000001")
AVERAGE, FIFO = "average", "fifo"


def money(amount: Decimal) -> Decimal:
    """An amount rounded half up to the cent."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def unit_cost(amount: Decimal) -> Decimal:
    """A cost per unit rounded half up to six decimals (the precision of costs in the database)."""
    return Decimal(amount).quantize(COST_STEP, rounding=ROUND_HALF_UP)


@dataclass
class Receipt:
    """An incoming layer still (partly) in stock: its own quantity and value, and what is left of them."""

    key: object  # the layer's identity (its pk, or a marker for a layer not saved yet)
    quantity: Decimal
    value: Decimal
    remaining_quantity: Decimal
    remaining_value: Decimal

    def given(self, consumed: Decimal) -> Decimal:
        """The value this receipt has given once `consumed` of its units are gone (cumulative rounding)."""
        if consumed >= self.quantity:
            return self.value
        return money(consumed * self.value / self.quantity)

    def take(self, quantity: Decimal) -> Decimal:
        """Take `quantity` units (at most what remains) and return their value."""
        consumed = self.quantity - self.remaining_quantity
        value = self.given(consumed + quantity) - self.given(consumed)
        self.remaining_quantity -= quantity
        self.remaining_value -= value
        return value


@dataclass
class Owed:
    """The uncovered part of an outgoing layer: `quantity` units went out that the stock did not have,
    valued at an estimate of `value`; receipts fill it later."""

    key: object  # the outgoing layer
    move: object  # the outgoing move's key
    quantity: Decimal
    value: Decimal

    def take(self, quantity: Decimal) -> Decimal:
        """Settle `quantity` owed units; returns the share of the estimate they carried."""
        value = self.value if quantity >= self.quantity else money(quantity * self.value / self.quantity)
        self.quantity -= quantity
        self.value -= value
        return value


@dataclass
class Fill:
    """A receipt filled what an outgoing move owed: `delta` is the change of that move's (signed, negative)
    value and of the stock's value: the estimate less the real cost."""

    move: object
    layer: object
    quantity: Decimal
    delta: Decimal


@dataclass
class Layer:
    """What a move adds to the stock: signed quantity and value, its unit cost, and what remains of it."""

    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    remaining_quantity: Decimal = ZERO
    remaining_value: Decimal = ZERO


@dataclass
class Outcome:
    layer: Layer
    fills: list[Fill] = field(default_factory=list)


@dataclass
class State:
    """One product's valued stock: totals (ProductCost), current cost, open receipts and owed layers."""

    method: str
    standard_cost: Decimal = ZERO
    quantity: Decimal = ZERO
    value: Decimal = ZERO
    cost: Decimal = ZERO
    receipts: list[Receipt] = field(default_factory=list)
    owed: list[Owed] = field(default_factory=list)

    def current_cost(self) -> Decimal:
        """The cost of a unit now: the average (moving average, or the FIFO stock's), else the last one
        known, else the product's standard cost."""
        return self.cost if self.cost > 0 else unit_cost(self.standard_cost)

    def _consume(self, quantity: Decimal, prefer=None) -> Decimal:
        """Take `quantity` from the open receipts (the `prefer`red one first, then oldest first)."""
        order = sorted(self.receipts, key=lambda receipt: receipt.key != prefer) if prefer is not None \
            else self.receipts
        value, left = ZERO, quantity
        for receipt in order:
            if left <= 0:
                break
            taken = min(left, receipt.remaining_quantity)
            value += receipt.take(taken)
            left -= taken
        self.receipts = [receipt for receipt in self.receipts if receipt.remaining_quantity > 0]
        return value


def receive(state: State, *, key, quantity: Decimal, cost: Decimal | None) -> Outcome:
    """Bring `quantity` in at `cost` per unit (None: the current cost); fill what is owed first."""
    price = unit_cost(cost) if cost is not None else state.current_cost()
    value = money(quantity * price)
    receipt = Receipt(key=key, quantity=quantity, value=value, remaining_quantity=quantity, remaining_value=value)
    fills = []
    while state.owed and receipt.remaining_quantity > 0:
        owed = state.owed[0]
        settled = min(owed.quantity, receipt.remaining_quantity)
        real = receipt.take(settled)
        estimate = owed.take(settled)
        fills.append(Fill(move=owed.move, layer=owed.key, quantity=settled, delta=estimate - real))
        if owed.quantity <= 0:
            state.owed.pop(0)
    if receipt.remaining_quantity > 0:
        state.receipts.append(receipt)
    state.quantity += quantity
    state.value += value + sum((fill.delta for fill in fills), ZERO)
    state.cost = unit_cost(state.value / state.quantity) if state.quantity > 0 else price
    layer = Layer(quantity=quantity, value=value, unit_cost=price, remaining_quantity=receipt.remaining_quantity,
                  remaining_value=receipt.remaining_value)
    return Outcome(layer=layer, fills=fills)


def issue(state: State, *, key, move, quantity: Decimal, cost: Decimal | None = None, prefer=None) -> Outcome:
    """Take `quantity` out: by the costing method, or at a fixed `cost` (a return to the supplier at its
    receipt's price, taking from that receipt first: `prefer`). What the stock does not cover is owed."""
    covered = min(quantity, max(state.quantity, ZERO))
    short = quantity - covered
    if state.method == FIFO:
        covered_value = state._consume(covered, prefer)
    else:
        state._consume(covered, prefer)  # quantities only: how old the stock is
        if covered and covered == state.quantity:
            covered_value = state.value  # the last unit takes what is left
        else:
            covered_value = money(covered * (unit_cost(cost) if cost is not None else state.cost))
            if state.value >= 0:
                covered_value = min(covered_value, state.value)
    estimate_cost = unit_cost(cost) if cost is not None else state.current_cost()
    estimate = money(short * estimate_cost)
    if short:
        state.owed.append(Owed(key=key, move=move, quantity=short, value=estimate))
    total = covered_value + estimate
    state.quantity -= quantity
    state.value -= total
    if state.quantity > 0 and (state.method == FIFO or cost is not None):
        state.cost = unit_cost(state.value / state.quantity)
    elif state.cost <= 0:
        state.cost = estimate_cost
    layer = Layer(quantity=-quantity, value=-total, unit_cost=unit_cost(total / quantity),
                  remaining_quantity=-short, remaining_value=-estimate)
    return Outcome(layer=layer)

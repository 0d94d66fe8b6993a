"""The stock engine's invariants for `tessera check-books` (registered on import by apps.ready):

- every quant's on-hand quantity equals the done lines into its location less those out of it (per
  product, location and lot), and every location of the company's stock with done lines has its quant;
- every quant's reserved quantity equals the open lines (of confirmed or assigned moves) out of it;
- every open move's reserved_quantity equals its open lines; done and cancelled moves hold no open lines;
- a serial number is never more than one unit in stock.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tessera.core.checks_registry import register_check
from tessera.products.choices import Tracking

from .choices import VALUED_USAGES, MoveState
from .models import StockMove, StockMoveLine, StockQuant

ZERO = Decimal("0")
OPEN_STATES = (MoveState.CONFIRMED, MoveState.ASSIGNED)


def _label(key) -> str:
    product, location, lot = key
    return _("product %(product)s in location %(location)s, lot %(lot)s") % {
        "product": product, "location": location, "lot": lot or "-"}


def quant_problems(company) -> list[str]:
    """Quants against the sum of done lines, and reservations against open lines."""
    expected: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    done = StockMoveLine.objects.filter(company=company, is_done=True)
    for field, sign in (("location_dest", 1), ("location", -1)):
        rows = done.filter(**{f"{field}__usage__in": VALUED_USAGES}).values(
            "product_id", f"{field}_id", "lot_id").annotate(total=Sum("quantity")).order_by()
        for row in rows:
            expected[(row["product_id"], row[f"{field}_id"], row["lot_id"])] += sign * row["total"]
    reserved: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for row in StockMoveLine.objects.filter(company=company, is_done=False, move__state__in=OPEN_STATES).values(
            "product_id", "location_id", "lot_id").annotate(total=Sum("quantity")).order_by():
        reserved[(row["product_id"], row["location_id"], row["lot_id"])] += row["total"]
    problems, seen = [], set()
    for quant in StockQuant.objects.filter(company=company).order_by("pk"):
        key = (quant.product_id, quant.location_id, quant.lot_id)
        seen.add(key)
        if quant.quantity != expected.get(key, ZERO):
            problems.append(_("Stock of %(what)s is %(quant)s, its done move lines add up to %(lines)s")
                            % {"what": _label(key), "quant": quant.quantity, "lines": expected.get(key, ZERO)})
        if quant.reserved != reserved.get(key, ZERO):
            problems.append(_("Reserved %(what)s is %(quant)s, its open move lines add up to %(lines)s")
                            % {"what": _label(key), "quant": quant.reserved, "lines": reserved.get(key, ZERO)})
    for key in sorted(set(expected) | set(reserved), key=str):
        if key not in seen and (expected.get(key) or reserved.get(key)):
            problems.append(_("No stock record for %(what)s, its move lines add up to %(lines)s")
                            % {"what": _label(key), "lines": expected.get(key, ZERO)})
    return problems


def move_problems(company) -> list[str]:
    """Each open move's reserved quantity against its open lines; no open lines on finished moves."""
    problems = []
    lines = dict(StockMoveLine.objects.filter(company=company, is_done=False).values("move_id")
                 .annotate(total=Sum("quantity")).order_by().values_list("move_id", "total"))
    for move in StockMove.objects.filter(company=company).filter(~Q(reserved_quantity=0) | Q(pk__in=list(lines))) \
            .order_by("pk"):
        held = lines.get(move.pk, ZERO)
        if move.state not in OPEN_STATES and held:
            problems.append(_("Stock move %(move)s is %(state)s but still holds %(held)s reserved")
                            % {"move": move.pk, "state": move.state, "held": held})
        elif move.reserved_quantity != held:
            problems.append(_("Stock move %(move)s has %(reserved)s reserved, its open lines add up to %(held)s")
                            % {"move": move.pk, "reserved": move.reserved_quantity, "held": held})
        if move.reserved_quantity > move.product_quantity:
            problems.append(_("Stock move %(move)s reserves more than it moves") % {"move": move.pk})
    return problems


def serial_problems(company) -> list[str]:
    rows = StockQuant.objects.filter(company=company, product__tracking=Tracking.SERIAL,
                                     location__usage__in=VALUED_USAGES, lot__isnull=False).values(
        "lot_id", "lot__name").annotate(total=Sum("quantity")).order_by("lot__name").filter(total__gt=1)
    return [_("Serial number %(name)s is in stock %(count)s times") % {"name": row["lot__name"],
                                                                       "count": row["total"]} for row in rows]


def stock_problems(company) -> list[str]:
    return quant_problems(company) + move_problems(company) + serial_problems(company)


register_check("inventory.stock", stock_problems)

"""Guards other apps register against product changes master data cannot judge alone.

A product's costing method says how its stock is valued (moving average or FIFO). Once stock has been
valued one way, switching to the other would leave the valuation layers and the ledger telling a story
the new method cannot continue. Products cannot look at stock (inventory sits above master data), so
inventory registers a guard here from its AppConfig.ready: given the products whose effective costing
method would change, it answers why each may not (stock on hand, layers with remaining quantity).
"""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed

# A guard takes the pks of the products whose effective costing method would change and returns
# {product pk: "why not" (a short translated text)} for those that must keep it.
CostingGuard = Callable[[list[int]], dict[int, str]]

_costing_guards: list[CostingGuard] = []


def register_costing_guard(guard: CostingGuard) -> CostingGuard:
    """Register `guard` (once; registering the same function again does nothing). Usable as a decorator."""
    if guard not in _costing_guards:
        _costing_guards.append(guard)
    return guard


def costing_change_blockers(product_ids: Iterable[int]) -> dict[int, list[str]]:
    """Why each of the products may not change costing method: {pk: [reasons]}, empty when all may."""
    ids = sorted(set(product_ids))
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for guard in _costing_guards:
        for pk, reason in guard(ids).items():
            found.setdefault(pk, []).append(reason)
    return found


def costing_change_check(product_ids: Iterable[int], *, describe: Callable[[int], str]) -> None:
    """Raise ValidationFailed on `costing_method` when any of the products may not change costing method;
    `describe(pk)` names a product in the message (at most five are named)."""
    blockers = costing_change_blockers(product_ids)
    if not blockers:
        return
    named = [f"{describe(pk)} ({'; '.join(reasons)})" for pk, reasons in sorted(blockers.items())[:5]]
    more = len(blockers) - len(named)
    listing = ", ".join(named) + (_(" and %(count)s more") % {"count": more} if more > 0 else "")
    raise ValidationFailed(fields={"costing_method": [
        _("The costing method cannot change while stock is valued with it: %(products)s. Bring the stock to zero "
          "first, or keep the current method.") % {"products": listing}]})


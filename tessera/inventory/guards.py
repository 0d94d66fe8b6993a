"""Inventory's answers to the products guards (tessera.products.guards), registered from the AppConfig.

A product's costing method may not change while stock is valued with it: while it has stock on hand in
a valued location (internal or transit) or valuation layers with remaining quantity (FIFO's open layers).
"""

from django.db.models import Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tessera.products.guards import register_costing_guard

from .choices import VALUED_USAGES
from .models import StockQuant, ValuationLayer


def _quantity(value) -> str:
    return number_format(value.quantize(1) if value == value.to_integral() else value.normalize())


@register_costing_guard
def stock_blocks_costing_change(product_ids: list[int]) -> dict[int, str]:
    """{product pk: why} for the products with stock on hand or layers with remaining quantity."""
    reasons: dict[int, str] = {}
    on_hand = (StockQuant.objects.filter(product_id__in=product_ids, location__usage__in=VALUED_USAGES)
               .values("product_id").annotate(total=Sum("quantity")).exclude(total=0))
    for row in on_hand:
        reasons[row["product_id"]] = _("%(quantity)s on hand") % {"quantity": _quantity(row["total"])}
    layers = (ValuationLayer.objects.filter(product_id__in=product_ids).filter(~Q(remaining_quantity=0))
              .exclude(product_id__in=reasons).values_list("product_id", flat=True).distinct())
    for pk in layers:
        reasons[pk] = _("valuation layers with remaining quantity")
    return reasons

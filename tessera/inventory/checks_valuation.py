"""The valuation's invariants for `tessera check-books` (registered on import by apps.ready):

- per product, the layers add up to its ProductCost (quantity and value); what remains of them adds up to
  the quantity (receipts less owed negative stock) and, for FIFO products, to the value;
- every done move of a stocked product into or out of the valued locations has its layer of its quantity,
  and its `value` is what its layers add up to (corrections included);
- the stock ledger equals the general ledger: each layer's entry is posted and dated the layer's date, and
  each stock entry (source "inventory.stockmove:…", and any entry reversing one) moves the inventory
  accounts by exactly the value of its layers. With the layers dated as their entries this makes the
  valuation as of any date equal to the inventory accounts' balance from stock postings on that date.
  (Postings to the inventory accounts made by hand, an opening balance say, are not stock postings: the
  valuation report shows them as the difference to the accounts' full balance.)
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tessera.accounting.choices import EntryState
from tessera.accounting.models import JournalEntryLine
from tessera.core.checks_registry import register_check
from tessera.products.choices import ProductType
from tessera.products.models import Product
from tessera.products.services import product_costing_method

from .choices import VALUED_USAGES, MoveState
from .models import ProductCost, StockMove, ValuationLayer
from .services.valuation_common import SOURCE_PREFIX, inventory_account_ids

ZERO = Decimal("0")
CENT = Decimal("0.01")
QUANTITY_STEP = Decimal("0.0001")


def _money(value) -> str:
    # Database sums come back as 113 or 113.00 (SQLite adds decimals as floats): compare them one way.
    return f"{Decimal(value or 0).quantize(CENT) + 0:f}"  # + 0: no "-0.00"


def _quantity(value) -> Decimal:
    return Decimal(value or 0).quantize(QUANTITY_STEP) + 0


def _number(value) -> str:
    return f"{_quantity(value).normalize():f}"


def layers_match_costs(company) -> list[str]:
    """Per product: Σ layers = ProductCost; what remains of the layers = the quantity (and the FIFO value)."""
    sums = {row["product_id"]: row for row in ValuationLayer.objects.filter(company=company).values("product_id")
            .annotate(quantity=Sum("quantity"), value=Sum("value"), remaining_quantity=Sum("remaining_quantity"),
                      remaining_value=Sum("remaining_value")).order_by()}
    costs = {cost.product_id: cost for cost in ProductCost.objects.filter(company=company)}
    products = {product.pk: product for product in Product.objects.filter(pk__in=set(sums) | set(costs))
                .select_related("category")}
    problems = []
    for pk in sorted(set(sums) | set(costs)):
        row = sums.get(pk, {"quantity": ZERO, "value": ZERO, "remaining_quantity": ZERO, "remaining_value": ZERO})
        cost = costs.get(pk)
        quantity, value = (cost.quantity, cost.value) if cost else (ZERO, ZERO)
        sku = products[pk].sku
        if _quantity(row["quantity"]) != _quantity(quantity) or _money(row["value"]) != _money(value):
            problems.append(_("Product %(sku)s: its layers add up to %(layer_quantity)s and %(layer_value)s, its "
                              "cost record holds %(quantity)s and %(value)s")
                            % {"sku": sku, "layer_quantity": _number(row["quantity"]),
                               "layer_value": _money(row["value"]), "quantity": _number(quantity),
                               "value": _money(value)})
        if _quantity(row["remaining_quantity"]) != _quantity(quantity):
            problems.append(_("Product %(sku)s: what remains of its layers adds up to %(remaining)s, not its "
                              "quantity %(quantity)s")
                            % {"sku": sku, "remaining": _number(row["remaining_quantity"]),
                               "quantity": _number(quantity)})
        elif product_costing_method(products[pk]).value == "fifo" and _money(row["remaining_value"]) != _money(value):
            problems.append(_("Product %(sku)s (FIFO): what remains of its layers is worth %(remaining)s, not its "
                              "value %(value)s")
                            % {"sku": sku, "remaining": _money(row["remaining_value"]), "value": _money(value)})
    return problems


def moves_are_valued(company) -> list[str]:
    """Each done move across the valued locations of a stocked product has its layer; its value = its layers."""
    crossing = (Q(location__usage__in=VALUED_USAGES) & ~Q(location_dest__usage__in=VALUED_USAGES)) | \
               (~Q(location__usage__in=VALUED_USAGES) & Q(location_dest__usage__in=VALUED_USAGES))
    moves = StockMove.objects.filter(crossing, company=company, state=MoveState.DONE,
                                     product__type=ProductType.STOCK)
    main = defaultdict(list)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in ValuationLayer.objects.filter(company=company, move__isnull=False).values("move_id", "quantity",
                                                                                          "value"):
        totals[row["move_id"]] += row["value"]
        if row["quantity"]:
            main[row["move_id"]].append(row["quantity"])
    problems = []
    for move in moves.values("pk", "reference", "product_quantity", "value", "location_dest__usage").order_by("pk"):
        label = move["reference"] or f"#{move['pk']}"
        incoming = move["location_dest__usage"] in VALUED_USAGES
        expected = move["product_quantity"] if incoming else -move["product_quantity"]
        if main[move["pk"]] != [expected]:
            problems.append(_("Stock move %(move)s is done but has no valuation layer of its quantity %(quantity)s")
                            % {"move": label, "quantity": _number(expected)})
        elif _money(abs(totals[move["pk"]])) != _money(move["value"]):
            problems.append(_("Stock move %(move)s: its value %(value)s is not what its layers add up to (%(layers)s)")
                            % {"move": label, "value": _money(move["value"]),
                               "layers": _money(abs(totals[move["pk"]]))})
    return problems


def layers_match_ledger(company) -> list[str]:
    """Each layer's entry is posted on the layer's date; each stock entry moves the inventory accounts by
    exactly its layers' value."""
    accounts = inventory_account_ids(company)
    problems = []
    by_entry: dict[int, Decimal] = defaultdict(lambda: ZERO)
    layers = ValuationLayer.objects.filter(company=company, entry__isnull=False).values(
        "entry_id", "value", "date", "entry__date", "entry__state", "entry__number")
    for layer in layers:
        by_entry[layer["entry_id"]] += layer["value"]
        if layer["entry__state"] != EntryState.POSTED or layer["entry__date"] != layer["date"]:
            problems.append(_("Valuation layer of %(date)s: its entry %(entry)s is not posted or not dated the "
                              "layer's date") % {"date": layer["date"].isoformat(),
                                                 "entry": layer["entry__number"] or "-"})
    stock = Q(entry__source__startswith=SOURCE_PREFIX) | Q(entry__reversal_of__source__startswith=SOURCE_PREFIX)
    lines = (JournalEntryLine.objects.filter(stock, company=company, is_posted=True, account_id__in=accounts)
             .values("entry_id", "entry__number").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by())
    posted = {row["entry_id"]: (row["entry__number"], (row["debit"] or ZERO) - (row["credit"] or ZERO))
              for row in lines}
    for entry in sorted(set(by_entry) | set(posted)):
        number, amount = posted.get(entry, (None, ZERO))
        if _money(amount) != _money(by_entry.get(entry, ZERO)):
            problems.append(_("Stock entry %(entry)s moves the inventory accounts by %(amount)s, its valuation "
                              "layers by %(layers)s")
                            % {"entry": number or f"#{entry}", "amount": _money(amount),
                               "layers": _money(by_entry.get(entry, ZERO))})
    return problems


for _check in (layers_match_costs, moves_are_valued, layers_match_ledger):
    register_check(f"inventory.valuation_{_check.__name__}", _check)

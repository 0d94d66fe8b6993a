"""check-books on valuation: layers against product costs, moves against their layers, layers against the
ledger; each check finds what was broken behind Tessera's back and nothing on sound books."""

import pytest

from tessera.accounting.models import Journal
from tessera.accounting.services.ledger import entry_post_new, entry_reverse
from tessera.inventory.checks_valuation import layers_match_costs, layers_match_ledger, moves_are_valued
from tessera.inventory.choices import MoveState
from tessera.inventory.models import ProductCost, StockMove, ValuationLayer

from .conftest import D, dec


def test_sound_books_pass_every_check(valued):
    valued.receive(valued.fifo, 10, "5.00")
    valued.deliver(valued.fifo, 12)
    valued.receive(valued.average, 3, "3.333333")
    valued.lose(valued.average, 1)

    assert layers_match_costs(valued.company) == []
    assert moves_are_valued(valued.company) == []
    assert layers_match_ledger(valued.company) == []


@pytest.mark.corrupts_books
def test_cost_record_that_differs_from_the_layers_is_reported(valued):
    valued.receive(valued.fifo, 10, "5.00")
    ProductCost.objects.filter(product=valued.fifo).update(value=dec("49.00"))

    assert layers_match_costs(valued.company) == [
        "Product FIFO: its layers add up to 10 and 50.00, its cost record holds 10 and 49.00",
        "Product FIFO (FIFO): what remains of its layers is worth 50.00, not its value 49.00",
    ]


@pytest.mark.corrupts_books
def test_done_move_without_layer_and_move_value_off_its_layers_are_reported(valued):
    receipt = valued.receive(valued.average, 10, "5.00", reference="IN-1")
    StockMove.objects.filter(pk=receipt.pk).update(value=dec("51.00"))
    StockMove.objects.create(company=valued.company, product=valued.average, quantity=2, uom=valued.average.uom,
                             product_quantity=2, location=valued.stock, location_dest=valued.customer,
                             date=D(2026, 3, 3), state=MoveState.DONE, reference="OUT-X")

    assert moves_are_valued(valued.company) == [
        "Stock move IN-1: its value 51.00 is not what its layers add up to (50.00)",
        "Stock move OUT-X is done but has no valuation layer of its quantity -2",
    ]


@pytest.mark.corrupts_books
def test_reversing_a_stock_entry_by_hand_is_reported(valued):
    receipt = valued.receive(valued.average, 10, "5.00")

    reversal = entry_reverse(actor=valued.actor, entry=receipt.entry, date=D(2026, 3, 5))

    assert layers_match_ledger(valued.company) == [
        f"Stock entry {reversal.number} moves the inventory accounts by -50.00, its valuation layers by 0.00"]


@pytest.mark.corrupts_books
def test_layer_value_changed_behind_tessera_s_back_is_reported(valued):
    receipt = valued.receive(valued.average, 10, "5.00")
    ValuationLayer.objects.filter(move=receipt).update(value=dec("40.00"))

    problems = layers_match_ledger(valued.company)

    assert problems == [f"Stock entry {receipt.entry.number} moves the inventory accounts by 50.00, its valuation "
                        "layers by 40.00"]


def test_hand_posting_to_the_inventory_account_is_not_a_stock_posting(valued):
    valued.receive(valued.average, 10, "5.00")
    entry_post_new(actor=valued.actor, company=valued.company,
                   journal=Journal.objects.get(company=valued.company, code="GEN"), date=D(2026, 3, 1),
                   lines=[{"account": valued.inventory, "debit": dec("100.00")},
                          {"account": valued.grir, "credit": dec("100.00")}])

    assert layers_match_ledger(valued.company) == []

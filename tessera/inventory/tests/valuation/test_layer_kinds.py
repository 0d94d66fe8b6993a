"""Each valuation layer says what it records (`kind`): receipt, delivery, adjustment, return, revaluation;
the product's layers report and API show it, and the migration's backfill gives existing layers theirs."""

import importlib

import pytest
from django.apps import apps

from tessera.inventory.models import ValuationLayer

from .conftest import D

pytestmark = pytest.mark.django_db


def kinds(product) -> list[tuple]:
    return [(layer.kind, layer.quantity) for layer in ValuationLayer.objects.filter(product=product)
            .order_by("date", "pk")]


def test_moves_write_layers_of_their_kind(valued):
    receipt = valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    delivery = valued.deliver(valued.average, 4, date=D(2026, 3, 3))
    valued.lose(valued.average, 1, date=D(2026, 3, 4))
    valued.gain(valued.average, 2, date=D(2026, 3, 5))
    valued.move(valued.average, 1, valued.customer, valued.stock, date=D(2026, 3, 6), origin=delivery,
                partner=valued.buyer, reference="RET-IN")
    valued.move(valued.average, 3, valued.stock, valued.supplier, date=D(2026, 3, 7), origin=receipt,
                partner=valued.vendor, reference="RET-OUT")

    assert kinds(valued.average) == [("receipt", 10), ("delivery", -4), ("adjustment", -1), ("adjustment", 2),
                                     ("return", 1), ("return", -3)]


def test_a_backdated_receipt_writes_revaluation_layers(valued):
    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    valued.deliver(valued.average, 8, date=D(2026, 3, 10))
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 5))  # back-dated: the delivery is re-valued

    assert kinds(valued.average) == [("receipt", 10), ("receipt", 10), ("delivery", -8), ("revaluation", 0)]


def test_the_layers_report_and_api_show_the_kind(valued, api_client_for):
    valued.receive(valued.fifo, 5, "4.00")
    valued.deliver(valued.fifo, 2)

    response = api_client_for(valued.actor).get("/api/v1/inventory/valuation/layers/",
                                                {"product": valued.fifo.pk})

    assert response.status_code == 200
    assert [(row["kind"], row["kind_display"]) for row in response.json()["rows"]] == [
        ("receipt", "Receipt"), ("delivery", "Delivery")]


def test_the_backfill_gives_existing_layers_their_kind(valued):
    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    valued.deliver(valued.average, 8, date=D(2026, 3, 10))
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 5))
    valued.lose(valued.average, 1, date=D(2026, 3, 11))
    before = kinds(valued.average)
    ValuationLayer.objects.update(kind="other")

    migration = importlib.import_module("tessera.inventory.migrations.0003_valuationlayer_kind_backfill")
    migration.backfill(apps, None)

    assert kinds(valued.average) == before

"""Choices of the inventory app and the allowed state moves of its documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LocationUsage(models.TextChoices):
    """Internal locations hold the company's stock; the others are where goods come from or go to."""

    VIEW = "view", _("View (groups locations)")
    INTERNAL = "internal", _("Internal")
    SUPPLIER = "supplier", _("Supplier")
    CUSTOMER = "customer", _("Customer")
    INVENTORY = "inventory", _("Inventory loss and gain")
    TRANSIT = "transit", _("Transit")
    PRODUCTION = "production", _("Production")


# Locations whose stock the company owns and values.
VALUED_USAGES = {LocationUsage.INTERNAL, LocationUsage.TRANSIT}


class LayerKind(models.TextChoices):
    """What a valuation layer records: stock in from a supplier, out to a customer, a count's difference, goods
    coming back (from a customer) or going back (to a supplier), production, or a change of value alone
    (a back-dated move re-valued the later ones, or an estimate settled)."""

    RECEIPT = "receipt", pgettext_lazy("stock coming in", "Receipt")
    DELIVERY = "delivery", _("Delivery")
    ADJUSTMENT = "adjustment", _("Adjustment")
    RETURN = "return", _("Return")
    PRODUCTION = "production", _("Production")
    REVALUATION = "revaluation", _("Revaluation")
    OTHER = "other", _("Other")


# (direction of the stock: "in" or "out", usage of the location on the other side) -> the layer's kind.
LAYER_KINDS = {
    ("in", LocationUsage.SUPPLIER): LayerKind.RECEIPT,
    ("out", LocationUsage.CUSTOMER): LayerKind.DELIVERY,
    ("in", LocationUsage.CUSTOMER): LayerKind.RETURN,
    ("out", LocationUsage.SUPPLIER): LayerKind.RETURN,
    ("in", LocationUsage.INVENTORY): LayerKind.ADJUSTMENT,
    ("out", LocationUsage.INVENTORY): LayerKind.ADJUSTMENT,
    ("in", LocationUsage.PRODUCTION): LayerKind.PRODUCTION,
    ("out", LocationUsage.PRODUCTION): LayerKind.PRODUCTION,
}


class MoveState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Waiting for stock")
    ASSIGNED = "assigned", _("Reserved")
    DONE = "done", pgettext_lazy("stock move", "Done")
    CANCELLED = "cancelled", _("Cancelled")


MOVE_TRANSITIONS = {
    "confirm": ({MoveState.DRAFT}, MoveState.CONFIRMED),
    "reserve": ({MoveState.CONFIRMED, MoveState.ASSIGNED}, MoveState.ASSIGNED),
    "unreserve": ({MoveState.CONFIRMED, MoveState.ASSIGNED}, MoveState.CONFIRMED),
    "done": ({MoveState.DRAFT, MoveState.CONFIRMED, MoveState.ASSIGNED}, MoveState.DONE),
    "cancel": ({MoveState.DRAFT, MoveState.CONFIRMED, MoveState.ASSIGNED}, MoveState.CANCELLED),
}


class AdjustmentState(models.TextChoices):
    DRAFT = "draft", _("Counting")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


ADJUSTMENT_TRANSITIONS = {
    "post": ({AdjustmentState.DRAFT}, AdjustmentState.POSTED),
    "cancel": ({AdjustmentState.DRAFT}, AdjustmentState.CANCELLED),
}


class TransferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_TRANSIT = "in_transit", _("In transit")
    DONE = "done", pgettext_lazy("transfer", "Done")
    CANCELLED = "cancelled", _("Cancelled")


TRANSFER_TRANSITIONS = {
    "confirm": ({TransferState.DRAFT}, TransferState.CONFIRMED),
    "ship": ({TransferState.CONFIRMED}, TransferState.IN_TRANSIT),
    "done": ({TransferState.CONFIRMED, TransferState.IN_TRANSIT}, TransferState.DONE),
    "cancel": ({TransferState.DRAFT, TransferState.CONFIRMED}, TransferState.CANCELLED),
}

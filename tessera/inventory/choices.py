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

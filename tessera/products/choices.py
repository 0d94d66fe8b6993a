"""Choices of the products app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductType(models.TextChoices):
    STOCK = "stock", _("Stockable")
    CONSUMABLE = "consumable", _("Consumable")
    SERVICE = "service", _("Service")


class CostingMethod(models.TextChoices):
    AVERAGE = "average", _("Moving average")
    FIFO = "fifo", _("FIFO")


class Tracking(models.TextChoices):
    NONE = "none", _("Not tracked")
    LOT = "lot", _("By lot")
    SERIAL = "serial", _("By serial number")

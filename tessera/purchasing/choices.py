"""States and kinds of the purchasing documents, with the moves each state allows (one table per document)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequisitionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ORDERED = "ordered", _("Ordered")
    CANCELLED = "cancelled", _("Cancelled")


REQUISITION_TRANSITIONS = {
    "submit": {RequisitionState.DRAFT, RequisitionState.REJECTED},
    "approve": {RequisitionState.SUBMITTED, RequisitionState.DRAFT},
    "reject": {RequisitionState.SUBMITTED},
    "convert": {RequisitionState.APPROVED},
    "cancel": {RequisitionState.DRAFT, RequisitionState.SUBMITTED, RequisitionState.APPROVED,
               RequisitionState.REJECTED},
}


class RfqState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to suppliers")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


RFQ_TRANSITIONS = {
    "send": {RfqState.DRAFT},
    "award": {RfqState.SENT},
    "cancel": {RfqState.DRAFT, RfqState.SENT},
}


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    CONFIRMED = "confirmed", _("Confirmed")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    RECEIVED = "received", _("Received")
    BILLED = "billed", _("Billed")
    CLOSED = "closed", pgettext_lazy("purchase order", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


ORDER_TRANSITIONS = {
    "submit": {OrderState.DRAFT},
    "approve": {OrderState.SUBMITTED},
    "reject": {OrderState.SUBMITTED},
    "confirm": {OrderState.DRAFT, OrderState.APPROVED},
    "receive": {OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED, OrderState.BILLED},
    "bill": {OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED, OrderState.CONFIRMED},
    "close": {OrderState.PARTIALLY_RECEIVED, OrderState.RECEIVED, OrderState.BILLED},
    "cancel": {OrderState.DRAFT, OrderState.SUBMITTED, OrderState.APPROVED, OrderState.CONFIRMED},
}
# Editable while nothing is committed to the supplier; a change after approval needs approval again.
ORDER_EDITABLE = {OrderState.DRAFT, OrderState.APPROVED}


class ReceiptState(models.TextChoices):
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReturnState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


RETURN_TRANSITIONS = {
    "post": {ReturnState.DRAFT},
    "cancel": {ReturnState.DRAFT},
}


class RefundMethod(models.TextChoices):
    OFFSET = "offset", _("Offset against what we owe the supplier")
    REFUND = "refund", _("Refund by the supplier")


class MatchState(models.TextChoices):
    MATCHED = "matched", _("Matched")
    MISMATCH = "mismatch", _("Mismatch")
    APPROVED = "approved", _("Mismatch approved")


"""Accounting's notifications: overdue invoices, and readable names of accounting events.

`invoices_overdue_notify` (the daily task `tessera.accounting.invoices_overdue_notify`, see
CELERY_BEAT_SCHEDULE) emits `accounting.invoice.overdue` once per customer or supplier invoice still
open after its due date; the kind registered here tells the company's accountants and the invoice's
followers. Imported from AccountingConfig.ready.
"""

import datetime
from decimal import Decimal

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import events
from tessera.core.activity import record_name, record_url
from tessera.core.models import DomainEvent
from tessera.core.notifications import (
    can_view,
    event_record,
    register_event_label,
    register_kind,
    users_with_roles,
)
from tessera.core.services.comments import followers_of

from .choices import InvoiceKind, InvoiceState
from .models import Invoice

OVERDUE = "accounting.invoice.overdue"
OPEN_STATES = (InvoiceState.POSTED, InvoiceState.PARTIALLY_PAID)
ACCOUNTANT_ROLES = ("accountant", "accounting_manager")


def _not_announced(queryset):
    content_type = ContentType.objects.get_for_model(Invoice)
    announced = DomainEvent.objects.filter(name=OVERDUE, content_type=content_type,
                                           object_id=Cast(OuterRef("pk"), CharField()))
    return queryset.filter(~Exists(announced))


def invoices_overdue_notify(*, today: datetime.date | None = None, company=None) -> int:
    """Emit `accounting.invoice.overdue` for every open invoice (not credit note) due before `today` that
    has not been announced yet; return how many. Invoices are locked while checked, so two runs at once
    announce each invoice once."""
    today = today or timezone.localdate()
    candidates = Invoice.objects.filter(kind__in=(InvoiceKind.CUSTOMER_INVOICE, InvoiceKind.SUPPLIER_INVOICE),
                                        state__in=OPEN_STATES, due_on__lt=today)
    if company is not None:
        candidates = candidates.filter(company=company)
    company_ids = sorted(set(_not_announced(candidates).values_list("company_id", flat=True)))
    count = 0
    for company_id in company_ids:
        with transaction.atomic():
            locked = list(_not_announced(candidates.filter(company_id=company_id))
                          .select_for_update(of=("self",)).select_related("company", "partner", "currency")
                          .order_by("pk"))
            for invoice in locked:
                events.emit(OVERDUE, company=invoice.company, obj=invoice, payload={
                    "number": invoice.number, "kind": invoice.kind, "partner": invoice.partner_id,
                    "partner_name": invoice.partner.name, "due_on": invoice.due_on.isoformat(),
                    "days_overdue": (today - invoice.due_on).days, "residual": str(invoice.residual),
                    "currency": invoice.currency.code,
                })
                count += 1
    return count


@shared_task(name="tessera.accounting.invoices_overdue_notify", ignore_result=True)
def invoices_overdue_task() -> int:
    """Daily: announce the invoices that became overdue."""
    return invoices_overdue_notify()


def _overdue_recipients(event):
    invoice = event_record(event)
    if invoice is None:
        return []
    users = list(users_with_roles(event.company, *ACCOUNTANT_ROLES)) + followers_of(invoice)
    return [user for user in users if can_view(user, invoice)]


def _overdue_render(event, user):
    invoice = event_record(event)
    payload = event.payload or {}
    title = _("%(invoice)s is overdue") % {"invoice": record_name(invoice) if invoice else payload.get("number")}
    due_on = datetime.date.fromisoformat(payload["due_on"]) if payload.get("due_on") else None
    body = _("%(partner)s · due %(due)s (%(days)s days ago) · %(amount)s %(currency)s open") % {
        "partner": payload.get("partner_name", ""),
        "due": formats.date_format(due_on, "SHORT_DATE_FORMAT") if due_on else "",
        "days": payload.get("days_overdue", ""),
        "amount": formats.number_format(Decimal(payload.get("residual") or "0"), use_l10n=True,
                                        force_grouping=True),
        "currency": payload.get("currency", ""),
    }
    return title, body, record_url(invoice) if invoice else ""


register_kind(OVERDUE, label=gettext_lazy("Invoice overdue"), recipients=_overdue_recipients,
              render=_overdue_render, default_email=True,
              description=gettext_lazy("A customer or supplier invoice is still open after its due date "
                                       "(to the company's accountants and the invoice's followers)."))

for _name, _label in (
    ("accounting.invoice.posted", gettext_lazy("Invoice posted")),
    ("accounting.invoice.cancelled", gettext_lazy("Invoice cancelled")),
    (OVERDUE, gettext_lazy("Invoice overdue")),
    ("accounting.payment.posted", gettext_lazy("Payment posted")),
    ("accounting.payment.allocated", gettext_lazy("Payment allocated")),
    ("accounting.payment.cancelled", gettext_lazy("Payment cancelled")),
    ("accounting.entry.posted", gettext_lazy("Entry posted")),
    ("accounting.entry.reversed", gettext_lazy("Entry reversed")),
):
    register_event_label(_name, _label)

"""Consumers of the domain event log: notifications and webhooks read it after a stored cursor.

Each consumer has an EventCursor. `event_log_consume` hands every event after it to the consumer's
handler once, in id order, under a lock on the cursor row (two dispatchers never handle the same
event at the same time). Every commit that wrote events schedules a dispatch (events.emit:
`on_commit`, then a Celery task, run in-process without a broker); a periodic run (Celery beat or
`tessera run-scheduled`) catches up on whatever a crash left behind. Nothing is lost and nothing is
handled twice (handlers are idempotent too: a notification is unique per event and user, a delivery
per event and subscription).

Ids are not committed in order on PostgreSQL: a transaction that took id 10 may commit after the one
that took id 11. The cursor therefore only moves over a missing id once the event after it is older
than EVENT_LOG_SETTLE_SECONDS; until then the ids handled above it are kept in `handled`.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from ..models import DomainEvent, EventCursor

logger = logging.getLogger(__name__)

# A cursor created on a busy installation starts here, so that old history is not announced again.
START_WINDOW = datetime.timedelta(hours=24)


def settle_seconds() -> int:
    return int(getattr(settings, "EVENT_LOG_SETTLE_SECONDS", 600))


def _cursor_locked(consumer: str) -> EventCursor:
    cursor = EventCursor.objects.select_for_update().filter(consumer=consumer).first()
    if cursor is None:
        # Start after the history older than a day; else just before the first event there is (ids need not
        # start at 1: a sequence is not reset by rollbacks), so the cursor does not wait for ids never used.
        start = DomainEvent.objects.filter(at__lt=timezone.now() - START_WINDOW).aggregate(last=Max("pk"))["last"]
        if start is None:
            first = DomainEvent.objects.aggregate(first=Min("pk"))["first"]
            start = first - 1 if first else 0
        EventCursor.objects.get_or_create(consumer=consumer, defaults={"position": start})
        cursor = EventCursor.objects.select_for_update().get(consumer=consumer)
    return cursor


def _advance(cursor: EventCursor, handled: set[int]) -> None:
    """Move the position over handled ids; over a missing id only once the event after it has settled."""
    position = cursor.position
    remaining = sorted(pk for pk in handled if pk > position)
    if position == 0 and remaining:  # a cursor created before any event: start at the first one handled
        position = remaining[0] - 1
    settled_before = timezone.now() - datetime.timedelta(seconds=settle_seconds())
    while remaining:
        pk = remaining[0]
        if pk != position + 1:
            created = DomainEvent.objects.filter(pk=pk).values_list("at", flat=True).first()
            if created is not None and created > settled_before:
                break  # an earlier id may still commit: wait for it
        position = pk
        remaining.pop(0)
    cursor.position = position
    cursor.handled = remaining


def event_log_consume(consumer: str, handler: Callable[[DomainEvent], object], *, batch: int = 200) -> int:
    """Give every event after `consumer`'s cursor to `handler` once, in id order; return how many.

    Each event is handled in a savepoint: a handler that raises is logged and the event is counted as
    handled (one bad event must not stop the stream; what it wrote is rolled back).
    """
    with transaction.atomic():
        cursor = _cursor_locked(consumer)
        handled = set(cursor.handled)
        events = (DomainEvent.objects.filter(pk__gt=cursor.position)
                  .select_related("content_type", "company", "actor").order_by("pk"))
        count = 0
        for event in events[: batch + len(handled)]:
            if event.pk in handled:
                continue
            if count >= batch:
                break
            try:
                with transaction.atomic():
                    handler(event)
            except Exception:
                logger.exception("The %s consumer failed on event %s (%s)", consumer, event.pk, event.name)
            handled.add(event.pk)
            count += 1
        _advance(cursor, handled)
        cursor.save(update_fields=["position", "handled", "updated_at"])
    return count


def event_log_consume_all(consumer: str, handler: Callable[[DomainEvent], object], *, batch: int = 200) -> int:
    """Consume until nothing is left (a batch per transaction)."""
    total = 0
    while True:
        count = event_log_consume(consumer, handler, batch=batch)
        total += count
        if count < batch:
            return total


def events_dispatch() -> dict:
    """Everything that reacts to new events: notifications (and their e-mails) and webhook deliveries."""
    from . import notifications, webhooks

    notified = event_log_consume_all("notifications", notifications.notify_event)
    emailed = notifications.notification_emails_send()
    queued = event_log_consume_all("webhooks", webhooks.webhook_event_fanout)
    webhooks.webhook_deliveries_start()
    return {"events_notified": notified, "emails": emailed, "events_for_webhooks": queued}


def events_dispatch_soon() -> None:
    """Called once per commit that wrote events: dispatch now (no broker) or through a worker."""
    from ..tasks import dispatch_events

    try:
        if dispatch_events.app.conf.task_always_eager:
            dispatch_events.apply()
        else:
            dispatch_events.delay()
    except Exception:  # the change is committed: a failed dispatch is caught up by the periodic run
        logger.exception("Could not dispatch the new domain events")

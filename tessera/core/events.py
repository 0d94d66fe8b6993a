"""The domain event log: business facts written in the transaction that made them true.

Once the transaction commits, the event log's consumers (notifications, webhooks: services.dispatch)
are run, once per transaction however many events it wrote.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from . import context
from .models import DomainEvent


def emit(name: str, *, company=None, obj=None, payload: dict | None = None) -> DomainEvent:
    """Record `name` (e.g. `sales.order.confirmed`) about `obj`. Must run inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Domain events are written inside the transaction of the change they record.")
    user = context.current().user
    event = DomainEvent.objects.create(
        company=company,
        name=name,
        content_type=ContentType.objects.get_for_model(type(obj)) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        payload=payload or {},
        actor=user if getattr(user, "is_authenticated", False) else None,
    )
    _dispatch_after_commit()
    return event


def _dispatch():
    from .services.dispatch import events_dispatch_soon

    events_dispatch_soon()


_dispatch.is_event_dispatch = True


def _dispatch_after_commit() -> None:
    """Schedule one dispatch for this transaction (a rolled-back savepoint drops its callbacks, so the
    check looks at what is still scheduled)."""
    connection = transaction.get_connection()
    if any(getattr(callback[1], "is_event_dispatch", False) for callback in connection.run_on_commit):
        return
    transaction.on_commit(_dispatch)

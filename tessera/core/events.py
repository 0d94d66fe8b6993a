"""The domain event log: business facts written in the transaction that made them true."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from . import context
from .models import DomainEvent


def emit(name: str, *, company=None, obj=None, payload: dict | None = None) -> DomainEvent:
    """Record `name` (e.g. `sales.order.confirmed`) about `obj`. Must run inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Domain events are written inside the transaction of the change they record.")
    user = context.current().user
    return DomainEvent.objects.create(
        company=company,
        name=name,
        content_type=ContentType.objects.get_for_model(type(obj)) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        payload=payload or {},
        actor=user if getattr(user, "is_authenticated", False) else None,
    )

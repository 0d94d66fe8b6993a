"""The audit trail: every create, change and delete of a registered model, and every transition.

`register(Model)` connects the signals; entries are written in the same transaction as the change,
with who (user), how (channel, API token) and when from `tessera.core.context`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import context
from .models import AuditEntry
from .models.audit import AuditAction

_REGISTRY: dict[type[models.Model], set[str]] = {}
ALWAYS_EXCLUDED = {"password", "last_login", "key_hash"}


def register(model: type[models.Model], *, exclude: tuple[str, ...] = ()) -> type[models.Model]:
    """Audit `model`'s creates, changes and deletes (usable as a class decorator)."""
    _REGISTRY[model] = set(exclude) | ALWAYS_EXCLUDED
    uid = f"tessera-audit-{model._meta.label}"
    pre_save.connect(_remember_old, sender=model, dispatch_uid=uid + "-pre", weak=False)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + "-post", weak=False)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + "-delete", weak=False)
    return model


def is_registered(model) -> bool:
    return model in _REGISTRY


# Models deliberately not audited, with the reason (a meta-test requires every model to be one or the other).
EXEMPT: dict[str, str] = {}


def exempt(model_label: str, reason: str) -> None:
    """Declare that `app_label.Model` is not audited, and why."""
    EXEMPT[model_label] = reason


exempt("core.AuditEntry", "the audit trail itself")
exempt("core.DomainEvent", "an append-only log written by the services")
exempt("core.Job", "operational state of background work; its outcome is a domain event")
exempt("core.IdempotencyRecord", "a cached API answer")
exempt("core.SequenceCounter", "a counter; the numbered documents are audited")
exempt("core.RoleSeededModel", "seeding bookkeeping; the roles' permissions are audited")
exempt("core.Notification", "a user's inbox, derived from the domain event log")
exempt("core.EventCursor", "bookkeeping of the event log's consumers")
exempt("core.WebhookDelivery", "the delivery log itself: every attempt is kept")
exempt("core.WebhookAttempt", "the delivery log itself")


def _value(instance, field):
    value = getattr(instance, field.attname)
    if isinstance(field, models.FileField):
        return str(value) if value else ""
    return value


def snapshot(instance) -> dict:
    excluded = _REGISTRY.get(instance._meta.model, ALWAYS_EXCLUDED)
    return {
        field.name: _value(instance, field)
        for field in instance._meta.concrete_fields
        if field.name not in excluded and not field.primary_key
    }


def _company_of(instance):
    if instance.__class__._meta.label == "core.Company":
        return instance
    return getattr(instance, "company", None) if hasattr(instance, "company_id") else None


def write_entry(instance, action: str, changes: dict, *, company=None) -> AuditEntry:
    acting = context.current()
    user = acting.user if getattr(acting.user, "is_authenticated", False) else None
    company = company if company is not None else _company_of(instance)
    return AuditEntry.objects.create(
        company=company if company is not None and company.pk else None,
        content_type=ContentType.objects.get_for_model(instance._meta.model),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        changes=changes,
        actor=user,
        actor_repr=user.get_username() if user else acting.channel,
        channel=acting.channel,
        api_token=acting.api_token,
        request_id=acting.request_id or "",
    )


def record_transition(instance, *, from_state: str, to_state: str, field: str = "state") -> AuditEntry:
    """Services call this after a state change (confirm, post, cancel, ...)."""
    return write_entry(instance, AuditAction.TRANSITION, {field: [from_state, to_state]})


def _remember_old(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_old = None
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_old = snapshot(old) if old is not None else None


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    new = snapshot(instance)
    if created:
        write_entry(instance, AuditAction.CREATE, {name: [None, value] for name, value in new.items()})
        return
    old = getattr(instance, "_audit_old", None) or {}
    changes = {name: [old.get(name), value] for name, value in new.items() if old.get(name) != value}
    if changes:
        write_entry(instance, AuditAction.UPDATE, changes)


def _after_delete(sender, instance, **kwargs):
    write_entry(instance, AuditAction.DELETE, {name: [value, None] for name, value in snapshot(instance).items()})


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"} or not is_registered(instance._meta.model):
        return
    field_name = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "relations"
    )
    labels = sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set or []))
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    write_entry(instance, AuditAction.UPDATE, {field_name: {verb: labels}})


m2m_changed.connect(_m2m_changed, dispatch_uid="tessera-audit-m2m", weak=False)

User = get_user_model()
register(User, exclude=("last_login",))
register(Group)


def _register_core_models() -> None:
    from .models import (
        ApiToken,
        Attachment,
        Comment,
        Company,
        CompanyModule,
        Currency,
        ExchangeRate,
        Follower,
        NotificationPreference,
        Role,
        Sequence,
        UserProfile,
        WebhookSubscription,
    )

    for model in (Attachment, Comment, Company, CompanyModule, Currency, ExchangeRate, Follower,
                  NotificationPreference, Role, Sequence, UserProfile):
        register(model)
    register(WebhookSubscription, exclude=("secret",))  # the signing secret never goes into the trail
    register(ApiToken, exclude=("key_hash", "last_used_at"))


_register_core_models()

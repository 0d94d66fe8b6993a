"""The registry of notification kinds: which domain events notify whom, and what they say.

A module registers its kinds when Django starts (from its `apps.ready`, e.g. in
`tessera/<app>/notifications.py`):

    from django.utils.translation import gettext_lazy as _
    from tessera.core.notifications import register_kind, users_with_roles

    def _recipients(event):                      # who is told: an iterable of users
        return users_with_roles(event.company, "warehouse_clerk")

    def _render(event, user):                    # what they read, in their own language
        return (_("%(product)s is below its reorder point") % event.payload, "", "/inventory/...")

    register_kind("inventory.stock.below_reorder_point", label=_("Stock below reorder point"),
                  recipients=_recipients, render=_render, default_email=True)

The kind's name is the domain event it reacts to (`event=` names another event or a pattern such as
`approvals.request.*`, so that two kinds can share one event: a mention and a plain comment). For each
event the dispatcher (services.notifications) asks every matching kind, in registration order, for its
recipients; a user is notified at most once per event (the first kind naming them wins), never about
their own action unless the kind says `notify_actor=True`, and only as their preferences allow (in
Tessera / by e-mail; without a preference: in Tessera, and by e-mail when `default_email`).

Kinds registered with `fallback=True` (core's "activity on records I follow") handle only events no
other kind claims. `render` runs in the recipient's language; it returns (title, body, url) with a
site-relative url.
"""

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

User = get_user_model()


@dataclass(frozen=True)
class NotificationKind:
    name: str
    label: str
    recipients: Callable
    render: Callable
    default_email: bool = False
    event: str = ""
    notify_actor: bool = False
    fallback: bool = False
    description: str = ""

    def matches(self, event_name: str) -> bool:
        pattern = self.event or self.name
        return event_name == pattern or fnmatch.fnmatchcase(event_name, pattern)


KINDS: dict[str, NotificationKind] = {}


def register_kind(name: str, *, label, recipients: Callable[..., Iterable], render: Callable[..., tuple],
                  default_email: bool = False, event: str = "", notify_actor: bool = False, fallback: bool = False,
                  description="") -> NotificationKind:
    """Declare the notification kind `name` (see the module docstring). Registering a name again
    replaces it (modules reload in development servers)."""
    kind = NotificationKind(name=name, label=label, recipients=recipients, render=render,
                            default_email=default_email, event=event, notify_actor=notify_actor,
                            fallback=fallback, description=description)
    KINDS[name] = kind
    return kind


def kind_get(name: str) -> NotificationKind | None:
    return KINDS.get(name)


def kinds_ordered() -> list[NotificationKind]:
    """Every kind for the preferences screen: grouped by module (the name's first part), then by label."""
    return sorted(KINDS.values(), key=lambda kind: (kind.fallback, kind.name.split(".")[0], str(kind.label)))


def kinds_for(event_name: str) -> list[NotificationKind]:
    """The kinds an event raises, in registration order; the fallback kinds only when no other matches."""
    specific = [kind for kind in KINDS.values() if not kind.fallback and kind.matches(event_name)]
    if specific:
        return specific
    return [kind for kind in KINDS.values() if kind.fallback and kind.matches(event_name)]


# --- Helpers for recipients ---------------------------------------------------------------------

def active_users():
    return User.objects.filter(is_active=True)


def in_company(users, company):
    """Keep the users who may work in `company` (superusers may work everywhere)."""
    if company is None:
        return users
    return users.filter(Q(is_superuser=True) | Q(profile__companies=company)).distinct()


def users_with_roles(company, *role_codes: str):
    """Active users holding one of the seeded roles `role_codes` who work in `company`."""
    return in_company(active_users().filter(groups__role__code__in=role_codes), company).distinct()


def users_with_permission(company, perm: str):
    """Active users granted `perm` ("app_label.codename") by a role or directly, working in `company`.
    Superusers are left out: they hold every permission and would be told everything."""
    app_label, codename = perm.split(".", 1)
    granted = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    return in_company(active_users().filter(granted), company).distinct()


def event_record(event):
    """The record an event is about, or None (gone, or the event names none)."""
    if not event.content_type_id or not event.object_id:
        return None
    model = event.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=event.object_id).first()


def can_view(user, record) -> bool:
    """May `user` see `record` (its model's view permission in its company, or a record grant)?"""
    from .permissions import check_view

    return bool(check_view(user, record))


# --- Labels of events (for "activity on records I follow" and the webhook screens) -----------------

EVENT_LABELS: dict[str, str] = {}


def register_event_label(name: str, label) -> None:
    """A readable, translatable name for a domain event: `register_event_label("accounting.invoice.posted",
    _("Invoice posted"))`."""
    EVENT_LABELS[name] = label


def event_label(name: str) -> str:
    """The registered label, else the event's last two parts made readable ("invoice posted")."""
    if name in EVENT_LABELS:
        return str(EVENT_LABELS[name])
    parts = name.split(".")
    return " ".join(part.replace("_", " ") for part in parts[-2:]).capitalize()


for _name, _label in (
    ("core.attachment.added", _("File attached")),
    ("core.attachment.removed", _("File removed")),
    ("core.comment.added", _("Comment")),
    ("core.comment.edited", _("Comment edited")),
    ("core.comment.deleted", _("Comment deleted")),
    ("core.job.succeeded", _("Background job finished")),
    ("core.job.failed", _("Background job failed")),
):
    register_event_label(_name, _label)

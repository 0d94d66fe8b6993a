"""Notifications: fan a domain event out to its recipients, send the e-mails, mark read, preferences.

`notify_event` is the notifications consumer of the event log (services.dispatch): for each kind the
event raises (tessera.core.notifications) it asks for the recipients and writes one Notification per
user, rendered in the user's language, as the user's preferences allow. E-mails are sent after the
rows are committed, through Django's e-mail settings (EMAIL_*; the console backend by default).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..errors import NotFound, ValidationFailed
from ..models import DomainEvent, Notification, NotificationPreference
from ..models.notifications import EmailState
from ..notifications import KINDS, NotificationKind, kinds_for, kinds_ordered

logger = logging.getLogger(__name__)


def language_of(user) -> str:
    profile = getattr(user, "profile", None)
    return (getattr(profile, "language", "") or settings.LANGUAGE_CODE) if profile is not None \
        else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """A site-relative link made absolute with TESSERA_BASE_URL (for e-mails and webhooks)."""
    if not path or "://" in path:
        return path
    return settings.TESSERA_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


# --- Preferences --------------------------------------------------------------------------------

def _effective(kind: NotificationKind, stored: NotificationPreference | None) -> tuple[bool, bool]:
    if stored is None:
        return True, kind.default_email
    return stored.in_app, stored.email


def preference_of(user, kind: NotificationKind) -> tuple[bool, bool]:
    """(in Tessera, by e-mail) for `kind`: the user's choice, else the kind's defaults."""
    return _effective(kind, NotificationPreference.objects.filter(user=user, kind=kind.name).first())


def notification_preferences(user) -> list[dict]:
    """Every registered kind with the user's effective choice, for the preferences screen and the API."""
    stored = {pref.kind: pref for pref in NotificationPreference.objects.filter(user=user)}
    rows = []
    for kind in kinds_ordered():
        in_app, email = _effective(kind, stored.get(kind.name))
        rows.append({"kind": kind.name, "label": str(kind.label), "description": str(kind.description or ""),
                     "in_app": in_app, "email": email, "default_email": kind.default_email})
    return rows


def notification_preference_set(*, actor, kind: str, in_app: bool, email: bool) -> NotificationPreference:
    """Set how `actor` wants notifications of `kind`. Raises ValidationFailed for an unknown kind."""
    if kind not in KINDS:
        raise ValidationFailed(fields={"kind": [_("Unknown notification kind: %(kind)s.") % {"kind": kind}]})
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"in_app": bool(in_app), "email": bool(email)})
    return preference


def notification_preferences_save(*, actor, choices: dict[str, tuple[bool, bool]]) -> None:
    """Save several kinds at once ({kind: (in Tessera, by e-mail)}), all or nothing."""
    unknown = sorted(set(choices) - set(KINDS))
    if unknown:
        raise ValidationFailed(fields={"kind": [_("Unknown notification kind: %(kind)s.") % {"kind": unknown[0]}]})
    with transaction.atomic():
        for kind, (in_app, email) in sorted(choices.items()):
            notification_preference_set(actor=actor, kind=kind, in_app=in_app, email=email)


# --- Fan-out ------------------------------------------------------------------------------------

def _recipients(kind: NotificationKind, event: DomainEvent) -> list:
    users, seen = [], set()
    for user in kind.recipients(event) or []:
        if user is None or user.pk in seen or not user.is_active:
            continue
        if not kind.notify_actor and event.actor_id and user.pk == event.actor_id:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def notify_event(event: DomainEvent) -> list[Notification]:
    """Write the notifications `event` raises (idempotent: users already notified of it are skipped).

    A kind that fails (its recipients or its rendering) is logged and skipped; the others still notify.
    """
    claimed = set(Notification.objects.filter(event=event).values_list("user_id", flat=True))
    created = []
    for kind in kinds_for(event.name):
        try:
            users = [user for user in _recipients(kind, event) if user.pk not in claimed]
            stored = {pref.user_id: pref for pref in NotificationPreference.objects.filter(
                kind=kind.name, user__in=[user.pk for user in users])}
            rows = []
            for user in users:
                claimed.add(user.pk)
                in_app, email = _effective(kind, stored.get(user.pk))
                email = email and bool(user.email)
                if not (in_app or email):
                    continue
                with translation.override(language_of(user)):
                    title, body, url = kind.render(event, user)
                    title, body = str(title), str(body or "")
                rows.append(Notification(
                    user=user, company=event.company, event=event, kind=kind.name, title=title[:200], body=body,
                    url=str(url or "")[:500], is_in_app=in_app,
                    email_state=EmailState.PENDING if email else EmailState.NONE,
                ))
            with transaction.atomic():
                Notification.objects.bulk_create(rows, ignore_conflicts=True)
            created.extend(rows)
        except Exception:
            logger.exception("Notification kind %s failed on event %s", kind.name, event.pk)
    return created


# --- E-mail -------------------------------------------------------------------------------------

def _email_text(notification: Notification) -> str:
    parts = [notification.body] if notification.body else []
    if notification.url:
        parts.append(absolute_url(notification.url))
    parts.append("—\n" + _("You receive this e-mail because of your notification settings: %(url)s")
                 % {"url": absolute_url(reverse("core:notification_preferences"))})
    return "\n\n".join(parts)


def notification_email_send(notification_id: int) -> bool:
    """Send one pending notification e-mail, once (claimed by an atomic update). True when sent."""
    if not Notification.objects.filter(pk=notification_id, email_state=EmailState.PENDING).update(
            email_state=EmailState.SENDING):
        return False
    notification = Notification.objects.select_related("user", "company", "user__profile").get(pk=notification_id)
    prefix = f"[{notification.company.code}] " if notification.company_id else "[Tessera] "
    try:
        with translation.override(language_of(notification.user)):
            send_mail(subject=prefix + notification.title, message=_email_text(notification), from_email=None,
                      recipient_list=[notification.user.email], fail_silently=False)
    except Exception:
        logger.exception("Could not e-mail notification %s to %s", notification_id, notification.user_id)
        Notification.objects.filter(pk=notification_id).update(email_state=EmailState.FAILED)
        return False
    Notification.objects.filter(pk=notification_id).update(email_state=EmailState.SENT, emailed_at=timezone.now())
    return True


def notification_emails_send(*, limit: int = 500) -> int:
    """Send the pending notification e-mails (after the rows are committed); return how many went out."""
    pending = list(Notification.objects.filter(email_state=EmailState.PENDING).order_by("pk")
                   .values_list("pk", flat=True)[:limit])
    return sum(1 for pk in pending if notification_email_send(pk))


# --- Reading ------------------------------------------------------------------------------------

def notification_list(user, company):
    """The user's in-app notifications in `company` (and company-less ones), newest first."""
    return Notification.objects.filter(Q(company=company) | Q(company__isnull=True), user=user, is_in_app=True)


def notification_unread_count(user, company) -> int:
    """The bell's number: one indexed count."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return notification_list(user, company).filter(read_at__isnull=True).count()


def notification_get(*, user, company, pk) -> Notification:
    """One of the user's notifications; another user's (or an unknown id) is NotFound."""
    found = notification_list(user, company).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Notification not found."))
    return found


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (already read: unchanged). Another user's: NotFound."""
    if notification.user_id != actor.pk:
        raise NotFound(_("Notification not found."))
    if notification.read_at is None:
        with transaction.atomic():
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor, company) -> int:
    """Mark every unread notification of the actor in `company` read; return how many."""
    with transaction.atomic():
        return notification_list(actor, company).filter(read_at__isnull=True).update(read_at=timezone.now())

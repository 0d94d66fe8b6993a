"""Notifications raised from the domain event log, each user's preferences, and the consumers' cursors.

`tessera.core.notifications` holds the registry of notification kinds; `services.notifications` turns
each domain event into notifications for the recipients its kinds name.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import DomainEvent
from .company import Company


class EmailState(models.TextChoices):
    NONE = "none", _("Not sent by e-mail")
    PENDING = "pending", _("To be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")


class Notification(models.Model):
    """One thing a user should know (an approval awaiting them, an invoice overdue), raised by one event.

    At most one per (event, user): the dispatcher may see an event twice (catch-up after a crash) and
    never notifies twice. `is_in_app` is off when the user wants this kind by e-mail only; such rows
    stay out of the bell and the list and only record the e-mail.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("company"))
    event = models.ForeignKey(DomainEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    is_in_app = models.BooleanField(_("shown in Tessera"), default=True)
    email_state = models.CharField(_("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="uniq_notification_event_user"),
        ]
        indexes = [
            # The bell's count: a user's unread in-app notifications, read every 30 seconds by every open page.
            models.Index(fields=["user", "company"], condition=models.Q(read_at__isnull=True, is_in_app=True),
                         name="notification_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a user wants one kind of notification: in Tessera (the bell), by e-mail, both or neither.

    No row means the kind's defaults (in Tessera: yes; e-mail: as the kind declares).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=100)
    in_app = models.BooleanField(_("in Tessera"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="uniq_notification_preference")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class EventCursor(models.Model):
    """How far a consumer of the domain event log (notifications, webhooks) has got.

    `position`: every event up to it has been handled. `handled`: ids above it already handled while
    an earlier id was still missing (on PostgreSQL a transaction that took a lower id can commit
    later; the gap is waited for a while, then given up as a rolled-back id).
    """

    consumer = models.CharField(_("consumer"), max_length=50, unique=True)
    position = models.BigIntegerField(_("position"), default=0)
    handled = models.JSONField(_("handled above the position"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event cursor")
        verbose_name_plural = _("event cursors")

    def __str__(self) -> str:
        return f"{self.consumer} @ {self.position}"

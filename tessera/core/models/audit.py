"""The audit trail and the domain event log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from .company import Company


class Channel(models.TextChoices):
    UI = "ui", _("Web UI")
    API = "api", _("API")
    SYSTEM = "system", _("System")
    CLI = "cli", _("Command line")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("State change")


class AuditEntry(models.Model):
    """One create, change, delete or state transition of a record: who, when, how, old and new values.

    Written in the same transaction as the change (a rolled-back change leaves no entry). Never
    edited or deleted through Tessera.
    """

    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    action = models.CharField(_("action"), max_length=12, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=dict, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("user"),
    )
    actor_repr = models.CharField(_("user name"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SYSTEM)
    api_token = models.ForeignKey(
        "core.ApiToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("API token"),
    )
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["company", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"


class DomainEvent(models.Model):
    """A business fact (`sales.order.confirmed`), written in the same transaction as the change.

    The one source that notifications, webhooks and process analytics read, in `pk` order.
    """

    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    name = models.CharField(_("event"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        indexes = [models.Index(fields=["company", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"

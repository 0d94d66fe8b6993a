"""Discussion on any business record: comments with @mentions and files, and the record's followers."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .attachments import Attachment
from .company import CompanyOwned


class Comment(CompanyOwned):
    """A message about one record (`content_type` + `object_id`), by one user.

    `mentions`: the users named with @username who could see the record (they are notified);
    `attachments`: files sent with the comment, kept as attachments of the record itself. The author
    may edit the text (`edited_at`); the author or an administrator may delete it, which keeps the row
    as a tombstone (`deleted_at`, `deleted_by`; text, mentions and file links cleared) so the record's
    timeline still says a comment was there and who removed it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    body = models.TextField(_("comment"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                      verbose_name=_("mentioned users"))
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="comments",
                                         verbose_name=_("attachments"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("deleted by"))

    class Meta:
        ordering = ["content_type", "object_id", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Follower(CompanyOwned):
    """A user following a record: told of its comments and changes.

    The record's creator follows it without a row; `is_active=False` records that someone stopped
    following (so the creator can stop too).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    is_active = models.BooleanField(_("following"), default=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["content_type", "object_id", "pk"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "user"], name="uniq_follower"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.content_type.model}:{self.object_id}"

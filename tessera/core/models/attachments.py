"""Files attached to any business record (a voucher's receipts, a supplier's bill scan, a contract).

Stored through Django's storage API (`STORAGES["default"]`), so S3-compatible storage works in
production; size and type are checked by `services.attachments.attachment_add` before anything is written.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .company import CompanyOwned


def attachment_path(instance, filename: str) -> str:
    return f"attachments/{instance.company_id}/{instance.content_type_id}/{instance.object_id}/{filename}"


class Attachment(CompanyOwned):
    """A file attached to one record (`content_type` + `object_id`). Attachments of a posted document
    stay: they are evidence. `sha256` lets a reader prove the file is the one uploaded."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, editable=False)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))

    class Meta:
        ordering = ["content_type", "object_id", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.filename

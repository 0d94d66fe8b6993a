"""The Attachments tab of every record page: list, upload (htmx), download, remove.

The record is named by its content type and id and must belong to the company the user works in;
access follows the record's own permissions (see services.attachments).
"""

from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import errors
from ..models import Attachment
from ..roles import BUSINESS_APPS
from ..selectors import scoped
from ..services import attachments as service
from .generic import Screen, is_company_owned, is_htmx

PANE_TEMPLATE = "core/attachments/pane.html"


def record_for(company, content_type_id, object_id):
    """The company's record behind a (content type, id) pair, or NotFound."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None or content_type.app_label not in BUSINESS_APPS + ("core",) or not is_company_owned(model):
        raise errors.NotFound()
    record = scoped(model._default_manager.all(), company).filter(pk=object_id).first()
    if record is None:
        raise errors.NotFound()
    return record


def pane_context(user, record) -> dict:
    """What the Attachments tab shows (also used by DetailView to render it inline)."""
    content_type = ContentType.objects.get_for_model(type(record))
    return {
        "attachments": list(service.attachments_of(record).select_related("uploaded_by")),
        "attachment_record": record,
        "attachment_url": reverse("core:attachment_pane", args=[content_type.pk, record.pk]),
        "attachment_can_add": service.attachment_can_change(user, record),
        "attachment_can_remove": service.attachment_can_change(user, record) and not service.is_locked(record),
        "attachment_accept": ",".join(f".{ext}" for ext in service.allowed_extensions()),
    }


class AttachmentScreen(Screen):
    """Access follows the record (checked by each view), not a permission of its own."""

    permission = None
    record = None
    title = gettext_lazy("Attachments")

    def get_breadcrumbs(self, obj=None) -> list:
        return []

    def pane(self, status=200, error=""):
        context = pane_context(self.request.user, self.record)
        context["attachment_error"] = error
        return self.render(context, PANE_TEMPLATE, status=status)


class AttachmentPaneView(AttachmentScreen):
    """GET: the tab's content; POST: upload a file, then the refreshed tab (or the record page)."""

    def check_access(self) -> None:
        self.record = record_for(self.company, self.kwargs["content_type"], self.kwargs["object_id"])
        if not service.attachment_can_view(self.request.user, self.record):
            raise errors.PermissionDenied(_("You may not see this record."))

    def get(self, request, *args, **kwargs):
        return self.pane()

    def post(self, request, *args, **kwargs):
        try:
            service.attachment_add(actor=request.user, record=self.record, file=request.FILES.get("file"),
                                   description=request.POST.get("description", ""))
        except errors.ValidationFailed as error:
            message = "; ".join(str(m) for m in error.fields.get("file", [])) or error.message
            return self.pane(status=400, error=message)
        if is_htmx(request):
            return self.pane()
        return redirect(request.META.get("HTTP_REFERER") or "/")


class AttachmentFileView(AttachmentScreen):
    """Download one file (always as a download: never rendered inline by the browser)."""

    def get_attachment(self):
        attachment = scoped(Attachment.objects.all(), self.company).filter(pk=self.kwargs["pk"]).first()
        if attachment is None or attachment.record is None:
            raise errors.NotFound(_("Attachment not found."))
        return attachment

    def get(self, request, *args, **kwargs):
        attachment = self.get_attachment()
        if not service.attachment_can_view(request.user, attachment.record):
            raise errors.NotFound(_("Attachment not found."))
        response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename,
                                content_type=attachment.mime_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AttachmentDeleteView(AttachmentFileView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        attachment = self.get_attachment()
        self.record = attachment.record
        try:
            service.attachment_delete(actor=request.user, attachment=attachment)
        except errors.InvalidState as error:
            return self.pane(status=409, error=error.message)
        if is_htmx(request):
            return self.pane()
        return redirect(request.META.get("HTTP_REFERER") or "/")

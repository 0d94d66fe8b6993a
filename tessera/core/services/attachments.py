"""Attach files to any company-owned record, list and remove them.

Who may do what follows the record: seeing it lets a user see and download its files; the change
permission on its model lets them add files and remove files. Files of a document that has left
draft (posted, paid, cancelled...) are evidence: they can be added, never removed.

An upload is checked before anything is written: size (`ATTACHMENT_MAX_BYTES`), a known extension,
and content that really is of that kind (a PDF starts with %PDF, an image opens in Pillow, office
files are ZIP or OLE containers, text decodes). Active content (HTML, SVG, scripts, executables) is
refused because a browser could run it.
"""

import hashlib
import os
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from .. import events
from ..errors import InvalidState, NotFound, ValidationFailed
from ..models import Attachment
from ..permissions import check, check_view, perm_name, require

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# extension: (MIME type, how its content is recognised)
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "image"),
    "jpg": ("image/jpeg", "image"),
    "jpeg": ("image/jpeg", "image"),
    "gif": ("image/gif", "image"),
    "webp": ("image/webp", "image"),
    "tif": ("image/tiff", "image"),
    "tiff": ("image/tiff", "image"),
    "ofd": ("application/ofd", "zip"),  # China's e-invoice format (a ZIP container)
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "zip"),
    "zip": ("application/zip", "zip"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "doc": ("application/msword", "ole"),
    "txt": ("text/plain", "text"),
    "csv": ("text/csv", "text"),
    "xml": ("application/xml", "text"),
    "json": ("application/json", "text"),
}

LOCKED_STATES_EXCEPT = {"", "draft"}


def allowed_extensions() -> list[str]:
    return sorted(KINDS)


def _clean_filename(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "file"
    stem, dot, ext = name.rpartition(".")
    if dot and len(name) > 150:
        name = f"{stem[:140]}.{ext[:9]}"
    return name[:150]


def _content_matches(kind: str, head: bytes, file) -> bool:
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "zip":
        return head.startswith(ZIP)
    if kind == "ole":
        return head.startswith(OLE)
    if kind == "image":
        from PIL import Image, UnidentifiedImageError

        try:
            file.seek(0)
            with Image.open(file) as image:
                image.verify()
            return True
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return False
        finally:
            file.seek(0)
    # text: no NUL bytes, decodes as UTF-8 or GB18030 (what Excel in China writes)
    file.seek(0)
    data = file.read()
    file.seek(0)
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def attachment_validate(file) -> tuple[str, str]:
    """Check an uploaded file; return (clean file name, MIME type). Raises ValidationFailed on `file`."""
    def refuse(message):
        raise ValidationFailed(message, fields={"file": [message]})

    if file is None:
        refuse(_("Choose a file to attach."))
    size = getattr(file, "size", None) or 0
    limit = settings.ATTACHMENT_MAX_BYTES
    if size <= 0:
        refuse(_("The file is empty."))
    if size > limit:
        refuse(_("The file is %(size)s MB; attachments may be at most %(limit)s MB.")
               % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"})
    filename = _clean_filename(getattr(file, "name", "") or "")
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension not in KINDS:
        refuse(_("Files of type “%(ext)s” cannot be attached. Allowed: %(allowed)s.")
               % {"ext": extension or "?", "allowed": ", ".join(allowed_extensions())})
    mime_type, kind = KINDS[extension]
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not _content_matches(kind, head, file):
        refuse(_("The file's content is not a valid %(ext)s file.") % {"ext": extension.upper()})
    return filename, mime_type


def is_locked(record) -> bool:
    """A record with a life cycle that has left draft keeps its files."""
    state = getattr(record, "state", None)
    return state is not None and state not in LOCKED_STATES_EXCEPT


def _company_of(record):
    company = getattr(record, "company", None)
    if company is None:
        raise ValidationFailed(_("Files can be attached to company records only."))
    return company


def attachments_of(record):
    """The files attached to `record`, oldest first."""
    content_type = ContentType.objects.get_for_model(type(record))
    return Attachment.objects.filter(content_type=content_type, object_id=str(record.pk)).order_by("pk")


def attachment_can_view(user, record) -> bool:
    return bool(check_view(user, record, _company_of(record)))


def attachment_can_change(user, record) -> bool:
    return bool(check(user, perm_name(type(record), "change"), _company_of(record)))


def attachment_add(*, actor, record, file, description: str = "") -> Attachment:
    """Attach `file` to `record` after the permission and content checks (nothing is stored on failure)."""
    company = _company_of(record)
    require(actor, perm_name(type(record), "change"), company)
    filename, mime_type = attachment_validate(file)
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    attachment = Attachment(
        company=company, content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk),
        filename=filename, mime_type=mime_type, size=file.size, sha256=digest.hexdigest(),
        description=(description or "")[:255], uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with transaction.atomic():
        attachment.file.save(filename, file, save=False)
        try:
            attachment.save()
            events.emit("core.attachment.added", company=company, obj=record,
                        payload={"attachment": attachment.pk, "filename": filename})
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_get(*, user, record, pk) -> Attachment:
    """One file of `record` the user may see (NotFound otherwise)."""
    if not attachment_can_view(user, record):
        raise NotFound()
    found = attachments_of(record).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def attachment_delete(*, actor, attachment: Attachment) -> None:
    """Remove a file from a record that is still a draft (or has no life cycle)."""
    record = attachment.record
    if record is None:
        raise NotFound()
    require(actor, perm_name(type(record), "change"), _company_of(record))
    if is_locked(record):
        raise InvalidState(_("%(record)s is no longer a draft: its attachments are evidence and stay.")
                           % {"record": record})
    name = attachment.file.name
    with transaction.atomic():
        Attachment.objects.select_for_update().filter(pk=attachment.pk).delete()
        events.emit("core.attachment.removed", company=attachment.company, obj=record,
                    payload={"attachment": attachment.pk, "filename": attachment.filename})
        transaction.on_commit(lambda: attachment.file.storage.delete(name))

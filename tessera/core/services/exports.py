"""Exports an implementation team hands to auditors: the audit trail as a CSV or XLSX file."""

import datetime
import json
from collections.abc import Callable

import tablib
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from ..errors import ValidationFailed
from ..models import Company
from ..selectors import audit_entry_list

EXPORT_FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 500


def _parse_date(value, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationFailed(fields={field: [_("Enter a date as YYYY-MM-DD.")]}) from error


def audit_trail_export(
    *, actor, company: Company | None, file_format: str = "csv", date_from=None, date_to=None,
    name: str, progress: Callable[[int, str], None] = lambda percent, message="": None,
) -> dict:
    """Write the audit trail of `company` (plus shared set-up records) to `exports/<name>.<format>`
    in the media storage. Returns {"file": storage name, "path": file path, "rows": count, "format"}.

    Raises PermissionDenied without core.view_auditentry, ValidationFailed for a bad format or date.
    """
    if file_format not in EXPORT_FORMATS:
        raise ValidationFailed(fields={"format": [_("Choose csv or xlsx.")]})
    start, end = _parse_date(date_from, "date_from"), _parse_date(date_to, "date_to")
    entries = audit_entry_list(actor, company).order_by("at", "pk")
    if start:
        entries = entries.filter(at__date__gte=start)
    if end:
        entries = entries.filter(at__date__lte=end)
    total = entries.count()
    dataset = tablib.Dataset(
        headers=[_("At"), _("User"), _("Channel"), _("Action"), _("Record type"), _("Record id"), _("Record"),
                 _("Changes"), _("Request id")],
        title=str(_("Audit trail"))[:31],
    )
    for index, entry in enumerate(entries.iterator(chunk_size=PROGRESS_EVERY), start=1):
        dataset.append([
            entry.at.isoformat(), entry.actor_repr, entry.channel, entry.action,
            entry.content_type.model_class()._meta.label if entry.content_type.model_class() else "",
            entry.object_id, entry.object_repr,
            json.dumps(entry.changes, cls=DjangoJSONEncoder, ensure_ascii=False), entry.request_id,
        ])
        if index % PROGRESS_EVERY == 0:
            progress(int(90 * index / total), _("%(done)s of %(total)s entries") % {"done": index, "total": total})
    content = dataset.export(file_format)
    if isinstance(content, str):
        content = content.encode("utf-8-sig")  # the BOM makes Excel read the Chinese text as UTF-8
    stored = default_storage.save(f"exports/{name}.{file_format}", ContentFile(content))
    return {"file": stored, "path": default_storage.path(stored), "rows": total, "format": file_format}

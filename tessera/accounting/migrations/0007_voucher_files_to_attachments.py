"""A voucher's single attachment field becomes a core Attachment (every record now has attachments):
existing files become Attachment rows, then the field goes."""

import hashlib

from django.db import migrations


def files_to_attachments(apps, schema_editor):
    JournalEntry = apps.get_model("accounting", "JournalEntry")
    Attachment = apps.get_model("core", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="accounting", model="journalentry")
    for entry in JournalEntry.objects.exclude(attachment="").iterator():
        name = entry.attachment.name
        try:
            with entry.attachment.open("rb") as file:
                data = file.read()
        except OSError:
            continue  # the file is gone: nothing to carry over
        Attachment.objects.create(
            company_id=entry.company_id, content_type=content_type, object_id=str(entry.pk), file=name,
            filename=name.rsplit("/", 1)[-1], mime_type="application/octet-stream", size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0006_invoice_line_product"),
        ("core", "0002_attachments"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(files_to_attachments, migrations.RunPython.noop),
        migrations.RemoveField(model_name="journalentry", name="attachment"),
    ]

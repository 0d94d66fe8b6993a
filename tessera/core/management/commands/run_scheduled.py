"""`tessera run-scheduled [--task NAME]`: run the periodic tasks once, in this process.

For installations without Celery beat (no broker): call it from cron, e.g. every minute
(`* * * * * tessera run-scheduled`). Every task in CELERY_BEAT_SCHEDULE is idempotent (notifications
and webhooks catch up after their cursor, the overdue invoices job announces each invoice once), so
running them more often than their schedule changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tessera.core import context


class Command(BaseCommand):
    help = _("Run the periodic tasks (notifications, webhook retries, overdue invoices) once.")

    def add_arguments(self, parser):
        parser.add_argument("--task", action="append", help=_("only this entry of CELERY_BEAT_SCHEDULE (repeatable)"))

    def handle(self, *args, **options):
        from tessera.celery import app

        schedule = settings.CELERY_BEAT_SCHEDULE
        names = options["task"] or list(schedule)
        unknown = [name for name in names if name not in schedule]
        if unknown:
            raise CommandError(_("Unknown scheduled task: %(names)s. Known: %(known)s.")
                               % {"names": ", ".join(unknown), "known": ", ".join(schedule)})
        app.loader.import_default_modules()
        for name in names:
            task = app.tasks[schedule[name]["task"]]
            with context.acting(channel="cli"):
                result = task.apply(throw=True).get()
            self.stdout.write(f"{name}: {result}")

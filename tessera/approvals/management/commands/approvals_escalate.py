"""`tessera approvals-escalate [--date YYYY-MM-DD]`: escalate the approval steps undecided for too long
(for cron, where no Celery beat runs)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tessera.approvals.services.escalation import approval_escalate_due
from tessera.core import context


class Command(BaseCommand):
    help = "Escalate approval steps whose escalation is due (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Escalate as on this day (YYYY-MM-DD); default: today.")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        with context.acting(channel="cli"):
            escalated = approval_escalate_due(today=today)
        self.stdout.write(f"Escalated {len(escalated)} approval request(s).")

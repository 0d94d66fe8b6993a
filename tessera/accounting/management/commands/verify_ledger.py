"""`tessera verify-ledger [--company CODE]`: prove that no posted entry changed behind the application's back.

Recomputes every posted entry's hash and its link to the one before; prints OK per company or each
problem, and exits non-zero when there is one.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tessera.accounting.choices import EntryState
from tessera.accounting.models import JournalEntry
from tessera.accounting.services.chain import verify_chain
from tessera.core.models import Company


def companies_for(code: str | None):
    """The company named by --company, or every company; CommandError for an unknown code."""
    if code is None:
        return list(Company.objects.order_by("code"))
    company = Company.objects.filter(code=code).first()
    if company is None:
        raise CommandError(_("There is no company %(code)s.") % {"code": code})
    return [company]


class Command(BaseCommand):
    help = _("Verify the tamper-evidence hash chain of posted journal entries.")

    def add_arguments(self, parser):
        parser.add_argument("--company", help=_("the company code (default: every company)"))

    def handle(self, *args, **options):
        found = 0
        companies = companies_for(options["company"])
        if not companies:
            self.stdout.write(_("There is no company yet."))
        for company in companies:
            problems = verify_chain(company)
            found += len(problems)
            for problem in problems:
                self.stdout.write(self.style.ERROR(f"{company.code}: {problem}"))
            if not problems:
                count = JournalEntry.objects.filter(company=company, state=EntryState.POSTED).count()
                self.stdout.write(self.style.SUCCESS(
                    ngettext("%(company)s: OK (%(count)d posted entry)", "%(company)s: OK (%(count)d posted entries)",
                             count) % {"company": company.code, "count": count}))
        if found:
            raise CommandError(ngettext("%(count)d problem found.", "%(count)d problems found.", found)
                               % {"count": found})

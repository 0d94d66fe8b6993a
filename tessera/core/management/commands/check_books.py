"""`tessera check-books [--company CODE]`: run every registered invariant check on the books.

Modules register their checks in `tessera.core.checks_registry` (the ledger balances, balances equal
lines, the hash chain, stock equals moves, ...). Prints OK per company or each problem with the
check's name; exits non-zero when there is one. Only reads: safe on a live database.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tessera.core.checks_registry import CHECKS, run_checks
from tessera.core.models import Company


class Command(BaseCommand):
    help = _("Check the books' invariants (ledger, sub-ledgers, stock) of every company.")

    def add_arguments(self, parser):
        parser.add_argument("--company", help=_("the company code (default: every company)"))

    def handle(self, *args, **options):
        if options["company"] is None:
            companies = list(Company.objects.order_by("code"))
        else:
            companies = list(Company.objects.filter(code=options["company"]))
            if not companies:
                raise CommandError(_("There is no company %(code)s.") % {"code": options["company"]})
        if not companies:
            self.stdout.write(_("There is no company yet."))
        found = 0
        for company in companies:
            problems = run_checks(company)
            found += len(problems)
            for name, problem in problems:
                self.stdout.write(self.style.ERROR(f"{company.code} [{name}]: {problem}"))
            if not problems:
                self.stdout.write(self.style.SUCCESS(
                    ngettext("%(company)s: OK (%(count)d check)", "%(company)s: OK (%(count)d checks)", len(CHECKS))
                    % {"company": company.code, "count": len(CHECKS)}))
        if found:
            raise CommandError(ngettext("%(count)d problem found.", "%(count)d problems found.", found)
                               % {"count": found})

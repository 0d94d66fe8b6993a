"""`tessera demo`: build the demo companies and users, and print the logins. Safe to run again."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tessera.core import context, demo


class Command(BaseCommand):
    help = _("Build (or complete) the demo companies, users and settings, and print the logins.")

    def add_arguments(self, parser):
        parser.add_argument("--password", default=demo.DEMO_PASSWORD, help=_("the demo users' shared password"))

    def handle(self, *args, **options):
        with context.acting(channel="cli"):
            ctx = demo.build(password=options["password"], out=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS(_("Demo ready.")))
        self.stdout.write(
            _("Companies: %(companies)s (default %(default)s)")
            % {"companies": ", ".join(str(company) for company in ctx.companies.values()),
               "default": demo.DEFAULT_COMPANY}
        )
        self.stdout.write(_("Sign in with one of these users; the password of all of them is: %(password)s")
                          % {"password": ctx.password})
        for username, role_code in demo.USERS.items():
            role = ctx.users[username].groups.first()
            self.stdout.write(f"  {username:<14} {role.name if role else role_code}")

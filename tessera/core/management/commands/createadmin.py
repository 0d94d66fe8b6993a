"""`tessera createadmin`: create (or reset) an administrator: Administrator role, every company.

Not a Django superuser: the administrator's rights come from the seeded role, so they show in the
permission matrix and the audit trail like everyone else's.
"""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tessera.core import context
from tessera.core.errors import ValidationFailed
from tessera.core.models import Company, Role
from tessera.core.services.users import user_provision


class Command(BaseCommand):
    help = _("Create an administrator (Administrator role, all companies), or reset the password of an existing one.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", help=_("the password (default: a new random one, printed)"))
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        password = options["password"] or secrets.token_urlsafe(12)
        companies = list(Company.objects.filter(is_active=True).order_by("code"))
        with context.acting(channel="cli"):
            try:
                user, created = user_provision(
                    username=options["username"], password=password, email=options["email"],
                    roles=[Role.objects.get(code="administrator")], companies=companies,
                )
            except ValidationFailed as error:
                messages = [message for field in error.fields.values() for message in field]
                raise CommandError(" ".join(messages) or str(error.message)) from error
        verb = _("Created") if created else _("Reset")
        self.stdout.write(self.style.SUCCESS(_("%(verb)s administrator %(username)s.")
                                             % {"verb": verb, "username": user.username}))
        self.stdout.write(_("Login: %(username)s / %(password)s") % {"username": user.username, "password": password})
        if not companies:
            self.stdout.write(_("There is no company yet: sign in and create one under Settings > Companies."))

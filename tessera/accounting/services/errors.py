"""The accounting module's 409 codes (API.md)."""

from django.utils.translation import gettext_lazy as _

from tessera.core.errors import Conflict


class PeriodClosed(Conflict):
    code = "period_closed"
    default_message = _("The period is closed.")


class UnbalancedEntry(Conflict):
    code = "unbalanced_entry"
    default_message = _("The entry does not balance: total debit must equal total credit.")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "tessera.accounting"
    label = "accounting"
    verbose_name = _("Accounting")

    def ready(self) -> None:
        from . import (
            approval_documents,  # noqa: F401  (invoices and payments that approval rules may apply to)
            audit_registry,  # noqa: F401  (audit trail registrations and check-books checks)
            menu,  # noqa: F401  (registers the module's menu and numbering defaults)
            notifications,  # noqa: F401  (the overdue-invoice notification and its daily task)
        )

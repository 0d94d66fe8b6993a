from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "tessera.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (the approver a document waits for may view it)
            audit_registry,  # noqa: F401  (audit trail registrations)
            hooks,  # noqa: F401  (notification kinds, timeline provider and record panel, where core has them)
            menu,  # noqa: F401  (the module's menu and home card)
        )

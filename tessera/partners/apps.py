from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "tessera.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from . import (
            audit_registry,  # noqa: F401  (audit trail registrations)
            menu,  # noqa: F401  (registers the module's menu)
        )

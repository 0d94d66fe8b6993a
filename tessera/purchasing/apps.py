from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "tessera.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from . import audit_registry  # noqa: F401  (audit trail registrations)
        from .areas import AREAS

        # Each area registers its menu entries, approval document types, hooks and notifications in
        # `registrations/<area>.py`.
        for area in AREAS:
            name = f"tessera.purchasing.registrations.{area}"
            if find_spec(name) is not None:
                import_module(name)

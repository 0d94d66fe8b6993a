from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tessera.core"
    label = "core"
    verbose_name = _("Settings")

    def ready(self) -> None:
        from . import audit, signals  # noqa: F401  (connects the audit and seeding signals)
        from .menu import register_core_module

        register_core_module()

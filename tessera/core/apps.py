from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tessera.core"
    label = "core"
    verbose_name = _("Settings")

    def ready(self) -> None:
        from . import (  # noqa: F401
            activity,  # core's notification kinds and timeline providers
            audit,  # connects the audit signals
            signals,  # connects the seeding signals
        )
        from .menu import register_core_module

        register_core_module()

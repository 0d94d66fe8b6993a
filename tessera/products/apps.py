from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "tessera.products"
    label = "products"
    verbose_name = _("Products")

    def ready(self) -> None:
        from . import (
            audit_registry,  # noqa: F401  (audit trail registrations)
            menu,  # noqa: F401  (registers the module's menu entries)
        )

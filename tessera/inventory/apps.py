from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "tessera.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from . import (
            audit_registry,  # noqa: F401  (audit trail registrations)
            checks,  # noqa: F401  (check-books: stock equals moves)
            checks_valuation,  # noqa: F401  (check-books: valuation equals layers and the ledger)
            guards,  # noqa: F401  (no costing method change while stock is valued with it)
            menu,  # noqa: F401  (registers the module's menu entries)
            notifications,  # noqa: F401  (the "stock below reorder point" notification kind)
        )

"""Products, their categories and units belong to the always-on master data module (registered by partners
too: core.menu.register merges the entries)."""

from django.utils.translation import gettext_lazy as _

from tessera.core.menu import MenuEntry, Module, register

register(Module(code="masterdata", name=_("Master data"), order=10, always_on=True, menu=[
    MenuEntry(_("Products"), "products:product_list", "products.view_product"),
    MenuEntry(_("Product categories"), "products:productcategory_list", "products.view_productcategory"),
    MenuEntry(_("Units of measure"), "products:uom_list", "products.view_uom"),
]))

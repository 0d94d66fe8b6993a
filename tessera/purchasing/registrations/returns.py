"""Returns to suppliers in the rest of Tessera: the menu entry."""

from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register

register(Module(code="purchasing", name=gettext_lazy("Purchasing"), order=40, menu=[
    MenuEntry(gettext_lazy("Returns to suppliers"), "purchasing:return_list", "purchasing.view_supplierreturn"),
]))

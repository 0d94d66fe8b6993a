"""Requests for quotation in the menu."""

from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register

register(Module(
    code="purchasing", name=gettext_lazy("Purchasing"), order=40,
    menu=[MenuEntry(gettext_lazy("Requests for quotation"), "purchasing:rfq_list", "purchasing.view_rfq")],
))

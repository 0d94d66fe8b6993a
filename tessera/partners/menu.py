"""Master data: partners, their tags and payment terms are used by every module, so the module is always on."""

from django.utils.translation import gettext_lazy as _

from tessera.core.menu import MenuEntry, Module, register

register(Module(code="masterdata", name=_("Master data"), order=10, always_on=True, menu=[
    MenuEntry(_("Partners"), "partners:partner_list", "partners.view_partner"),
    MenuEntry(_("Partner tags"), "partners:partnertag_list", "partners.view_partnertag"),
    MenuEntry(_("Payment terms"), "partners:paymentterm_list", "partners.view_paymentterm"),
]))

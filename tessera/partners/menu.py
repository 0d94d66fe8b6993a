"""Master data: partners and payment terms are used by every module, so the module is always on."""

from django.utils.translation import gettext_lazy as _

from tessera.core.menu import Module, register

register(Module(code="masterdata", name=_("Master data"), order=10, always_on=True, menu=[]))

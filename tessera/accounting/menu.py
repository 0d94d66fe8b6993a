"""The accounting module's menu (voucher numbering defaults live with core numbering: 记-{year}{month}-)."""

from django.utils.translation import gettext_lazy as _

from tessera.core.menu import Module, register

register(Module(code="accounting", name=_("Accounting"), order=20, menu=[]))

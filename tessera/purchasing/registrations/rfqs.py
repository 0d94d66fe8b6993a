"""Requests for quotation in the menu."""

from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register
from tessera.core.notifications import register_event_label

register(Module(
    code="purchasing", name=gettext_lazy("Purchasing"), order=40,
    menu=[MenuEntry(gettext_lazy("Requests for quotation"), "purchasing:rfq_list", "purchasing.view_rfq")],
))

for _event, _label in (("purchasing.rfq.sent", gettext_lazy("RFQ sent")),
                       ("purchasing.rfq.awarded", gettext_lazy("RFQ awarded")),
                       ("purchasing.rfq.cancelled", gettext_lazy("RFQ cancelled"))):
    register_event_label(_event, _label)

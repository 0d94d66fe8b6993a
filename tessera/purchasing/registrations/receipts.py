"""Goods receipts in the rest of Tessera: the menu entry and the home card of orders waiting for goods."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register
from tessera.core.permissions import check

from ..choices import OrderState

WAITING = (OrderState.CONFIRMED, OrderState.PARTIALLY_RECEIVED)


def orders_to_receive_card(request, company):
    """How many confirmed orders still wait for (some of) their goods."""
    if company is None or not check(request.user, "purchasing.receive_purchaseorder", company):
        return None
    from ..models import PurchaseOrder

    count = PurchaseOrder.objects.filter(company=company, state__in=WAITING).count()
    try:
        url = reverse("purchasing:order_list") + "?state=confirmed"
    except NoReverseMatch:
        url = reverse("purchasing:receipt_list")
    return {"title": _("Orders to receive"), "value": count, "url": url}


register(Module(code="purchasing", name=gettext_lazy("Purchasing"), order=40, menu=[
    MenuEntry(gettext_lazy("Goods receipts"), "purchasing:receipt_list", "purchasing.view_receipt"),
], cards=[orders_to_receive_card]))

"""Purchase orders in the rest of Tessera: the approvals document type (on_decided moves the order), the
menu entries of orders, supplier prices and settings, and the home card of orders waiting for approval."""

from decimal import Decimal

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tessera.approvals.registry import NUMBER, REFERENCE, TEXT, register
from tessera.core.errors import NotFound
from tessera.core.menu import MenuEntry, Module
from tessera.core.menu import register as register_menu
from tessera.core.services.currency import currency_convert

from ..choices import OrderState


def order_amount(order) -> Decimal:
    """The order's total in the company's currency at the order date's rate (the total when none is set)."""
    company = order.company
    if order.currency_id == company.base_currency_id:
        return order.total
    try:
        return currency_convert(amount=order.total, currency=order.currency, quote=company.base_currency, on=order.date)
    except NotFound:
        return order.total


def order_categories(order) -> list:
    return [line.product.category for line in order.lines.select_related("product__category")]


def order_max_discount(order) -> Decimal:
    return max((line.discount for line in order.lines.all()), default=Decimal("0"))


def order_summary(order) -> str:
    amount = f"{order.currency.code} {number_format(order.total, 2, force_grouping=True)}"
    parts = [order.partner.name, amount, order.warehouse.name]
    if order.reference:
        parts.append(order.reference)
    return " · ".join(str(part) for part in parts)


def _on_decided(order, state: str) -> None:
    from ..services.orders import order_follow_decision

    order_follow_decision(order, state)


def _submit(*, actor, document) -> None:
    from ..services.orders import order_submit

    order_submit(actor=actor, order=document)


register(
    "purchasing.purchaseorder", label=_("Purchase order"), amount=order_amount, summary=order_summary,
    url=lambda order: reverse("purchasing:order_detail", args=[order.pk]),
    requester=lambda order: order.buyer,
    submittable=lambda order: order.state == OrderState.DRAFT,
    submit_permission="purchasing.submit_purchaseorder",
    on_decided=_on_decided, submit=_submit,
    fields={
        "partner": (_("Supplier"), lambda order: order.partner, REFERENCE, "partners.partner"),
        "warehouse": (_("Warehouse"), lambda order: order.warehouse, REFERENCE, "inventory.warehouse"),
        "product_category": (_("Product category"), order_categories, REFERENCE, "products.productcategory"),
        "discount": (_("Discount % (highest of the lines)"), order_max_discount, NUMBER),
        "currency": (_("Currency"), lambda order: order.currency.code, TEXT),
    },
)


# --- Menu and home card ------------------------------------------------------------------------

def orders_waiting_card(request, company):
    """Purchase orders waiting for approval (submitted, or drafts whose request was submitted from the
    approvals panel), linking to the list of submitted orders."""
    from django.utils.translation import gettext

    from tessera.core.permissions import check

    from ..models import PurchaseOrder

    if company is None or not check(request.user, "purchasing.view_purchaseorder", company):
        return None
    from django.db.models import Q

    from tessera.approvals.models import ApprovalRequest

    pending = ApprovalRequest.objects.filter(company=company, document_type="purchasing.purchaseorder",
                                             state="pending").values("object_id")
    count = PurchaseOrder.objects.filter(company=company).filter(
        Q(state=OrderState.SUBMITTED) | Q(state=OrderState.DRAFT, pk__in=[int(row["object_id"]) for row in pending])
    ).count()
    return {"title": gettext("Orders waiting for approval"), "value": count,
            "url": reverse("purchasing:order_list") + f"?state={OrderState.SUBMITTED}"}


register_menu(Module(
    code="purchasing", name=_("Purchasing"), order=40,
    menu=[
        MenuEntry(_("Purchase orders"), "purchasing:order_list", "purchasing.view_purchaseorder"),
        MenuEntry(_("Supplier prices"), "purchasing:price_list", "purchasing.view_supplierprice"),
        MenuEntry(_("Purchase settings"), "purchasing:settings", "purchasing.view_purchasesettings"),
    ],
    cards=[orders_waiting_card],
))

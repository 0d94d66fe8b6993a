"""Bills' helpers: received orders, settings, posting as the accountant."""

from decimal import Decimal

import pytest

from tessera.accounting.services.invoices import invoice_post
from tessera.core.context import acting
from tessera.purchasing.services.bills import order_bill
from tessera.purchasing.services.receipts import order_receive
from tessera.purchasing.services.settings import purchase_settings

from ..conftest import TODAY
from ..receipts.factories import confirmed_order, line_of, widget_order  # noqa: F401  (re-exported)


def receive(p, order, quantities: dict, date=TODAY):
    """Receive {product: quantity} (in the line's unit) of `order`."""
    return order_receive(actor=p.clerk, order=order, date=date, lines=[
        {"line": line_of(order, product).pk, "quantity": str(quantity)} for product, quantity in quantities.items()])


def received_widgets(p, boxes="10", price="60", date=TODAY):
    """An order of `boxes` boxes of widget at `price` a box, all received."""
    order = widget_order(p, boxes=boxes, price=price)
    receive(p, order, {p.widget: boxes}, date=date)
    order.refresh_from_db()
    return order


def bill(p, order, actor=None, **kwargs):
    """order_bill as the accountant (recorded as the bill's creator)."""
    actor = actor or p.accountant
    kwargs.setdefault("date", TODAY)
    with acting(user=actor):
        return order_bill(actor=actor, order=order, **kwargs)


def post(p, invoice, actor=None):
    return invoice_post(actor=actor or p.accountant, invoice=invoice)


def tolerances(p, **values) -> None:
    settings = purchase_settings(p.company)
    for name, value in values.items():
        setattr(settings, name, Decimal(str(value)) if not hasattr(value, "pk") else value)
    settings.save()


@pytest.fixture
def price_difference(p):
    """6402 (other operating costs) as the price difference account of the purchase settings."""
    from tessera.accounting.models import Account

    account = Account.objects.get(company=p.company, code="6402")
    tolerances(p, price_difference_account=account)
    return account

"""The reports on documents made by the purchasing services: a bill above the order price shows as the
supplier's price variance and ties to the price difference account; a quality return shows in the return
rate; what the return credited leaves nothing to bill."""

from decimal import Decimal

import pytest

from tessera.accounting.models import Account
from tessera.accounting.services.invoices import invoice_post, invoice_update
from tessera.core.context import acting
from tessera.purchasing import reports
from tessera.purchasing.services.bills import order_bill
from tessera.purchasing.services.orders import order_confirm, order_create
from tessera.purchasing.services.receipts import order_receive
from tessera.purchasing.services.returns import return_create, return_post
from tessera.purchasing.services.settings import purchase_settings

from ..conftest import D

pytestmark = pytest.mark.django_db
dec = Decimal


@pytest.fixture
def flow(p, make_user):
    settings = purchase_settings(p.company)
    settings.price_tolerance_percent = dec("10")
    settings.price_difference_account = Account.objects.get(company=p.company, code="6402")
    settings.save()
    order = order_create(actor=p.purchaser, company=p.company, data={
        "partner": p.s1.pk, "warehouse": p.warehouse.pk, "date": D(2026, 3, 2), "expected_on": D(2026, 3, 5)},
        lines=[{"product": p.widget.pk, "quantity": "10", "unit_price": "60"}])
    order = order_confirm(actor=p.manager, order=order)
    line = order.lines.get()
    order_receive(actor=p.clerk, order=order, date=D(2026, 3, 4), lines=[{"line": line.pk, "quantity": "10"}])
    with acting(user=p.accountant):
        bill = order_bill(actor=p.accountant, order=order, date=D(2026, 3, 6), reference="SUP-1")
    bill_line = bill.lines.get()
    bill = invoice_update(actor=p.accountant, invoice=bill, data={}, lines=[{
        "product": bill_line.product_id, "description": bill_line.description, "account": bill_line.account_id,
        "quantity": "10", "uom": bill_line.uom_id, "unit_price": "63", "taxes": [p.vat13.pk]}])
    invoice_post(actor=p.accountant, invoice=bill)
    supplier_return = return_create(actor=p.clerk, company=p.company, data={
        "order": order.pk, "date": D(2026, 3, 9), "reason": "Dented", "is_quality_issue": True},
        lines=[{"order_line": line.pk, "quantity": "2"}])
    # Goods already billed go back with a credit note: the clerk posting it keeps the books too.
    return_post(actor=make_user("warehouse_clerk", "accountant", username="clerk2"), supplier_return=supplier_return)
    order.refresh_from_db()
    return order


def test_supplier_performance_ties_the_price_variance_to_the_ledger(p, flow):
    report = reports.supplier_performance(p.company, D(2026, 3, 1), D(2026, 3, 31), actor=p.manager)

    [row] = report.rows
    assert (row["partner_name"], row["orders"], row["ordered_base"], row["lines_received"], row["on_time_rate"],
            row["average_delay"]) == ("上海供应商有限公司", 1, dec("600.00"), 1, dec("100.00"), dec("0.0"))
    assert (row["billed_base"], row["billed_at_order_base"], row["price_variance"],
            row["price_variance_percent"]) == (dec("630.00"), dec("600.00"), dec("30.00"), dec("5.00"))
    assert p.balance("6402") == row["price_variance"]
    assert (row["received_quantity"], row["returned_quantity"], row["quality_return_rate"]) == (
        dec("120"), dec("24"), dec("20.00"))


def test_the_credited_return_leaves_nothing_to_bill_or_receive(p, flow):
    assert reports.bills_to_match(p.company).rows == []
    assert reports.receipts_pending(p.company, D(2026, 3, 31)).rows == []
    assert reports.purchase_analysis(p.company, D(2026, 3, 1), D(2026, 3, 31)).totals["amount"] == dec("600.00")

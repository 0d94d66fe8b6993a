"""The purchasing demo: orders in every state through the services, the books still tie, the reports show
the stories (late mice, a price difference on cables, a quality return), and a second run changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tessera.core import demo
from tessera.core.checks_registry import run_checks
from tessera.core.models import Company
from tessera.purchasing import reports
from tessera.purchasing.models import PurchaseOrder, Receipt, SupplierPrice, SupplierReturn

pytestmark = pytest.mark.django_db
dec = Decimal


def test_the_demo_orders_books_and_reports_and_a_second_run_changes_nothing():
    demo.build(out=lambda line: None)
    cn, us = Company.objects.get(code="CN01"), Company.objects.get(code="US01")

    states = dict(PurchaseOrder.objects.filter(company=cn).values_list("reference", "state"))
    assert states == {"DEMO-PO-01": "closed", "DEMO-PO-02": "partially_received", "DEMO-PO-03": "billed",
                      "DEMO-PO-04": "received", "DEMO-PO-05": "cancelled", "DEMO-PO-06": "confirmed",
                      "DEMO-PO-07": "submitted", "DEMO-PO-08": "draft"}
    assert dict(PurchaseOrder.objects.filter(company=us).values_list("reference", "state")) == {
        "DEMO-PO-01": "billed", "DEMO-PO-02": "confirmed", "DEMO-PO-03": "draft"}
    assert PurchaseOrder.objects.get(company=cn, reference="DEMO-PO-07").total == dec("71190.00")
    assert SupplierPrice.objects.filter(company=cn).count() == 17
    assert Receipt.objects.filter(company=cn).count() == 4
    assert SupplierReturn.objects.get(company=cn).state == "done"
    assert run_checks(cn) == [] and run_checks(us) == []

    today = timezone.localdate()
    performance = {row["partner_name"]: row for row in reports.supplier_performance(
        cn, today - datetime.timedelta(days=400), today).rows}
    cables_and_mice = performance["苏州精工制造有限公司"]
    assert (cables_and_mice["orders"], cables_and_mice["on_time_rate"], cables_and_mice["average_delay"],
            cables_and_mice["price_variance"], cables_and_mice["price_variance_percent"],
            cables_and_mice["quality_return_rate"]) == (2, dec("50.00"), dec("1.0"), dec("80.00"), dec("3.17"),
                                                        dec("3.13"))
    assert performance["杭州西湖茶业有限公司"]["average_delay"] == dec("2.0")
    figures = reports.dashboard(cn, today)
    assert (figures["open_orders"], figures["waiting_approval"], figures["late_lines"],
            figures["lines_to_bill"]) == (3, 1, 1, 2)

    counts = {model.__name__: model.objects.count() for model in (PurchaseOrder, SupplierPrice, Receipt,
                                                                    SupplierReturn)}
    demo.build(out=lambda line: None)
    assert {model.__name__: model.objects.count() for model in (PurchaseOrder, SupplierPrice, Receipt,
                                                                 SupplierReturn)} == counts

"""The purchasing reports' figures on the documents of conftest.py (report day 2026-03-02)."""

from decimal import Decimal

import pytest

from tessera.core import errors
from tessera.purchasing import reports
from tessera.purchasing.report_tables import (
    analysis_table,
    bills_to_match_table,
    open_orders_table,
    receipts_pending_table,
    supplier_performance_table,
)

from .conftest import DAY, D

pytestmark = pytest.mark.django_db
dec = Decimal


def test_open_orders_per_order_what_is_left_to_receive_and_bill(p, docs):
    report = reports.open_orders(p.company, DAY, actor=p.purchaser)
    assert [(row["number"], row["state"], row["untaxed"], row["to_receive"], row["to_bill"], row["expected_on"],
             row["days_late"], row["untaxed_base"], row["to_receive_base"], row["to_bill_base"])
            for row in report.rows] == [
        ("PO-A", "partially_received", dec("2400.00"), dec("2040.00"), dec("300.00"), D(2026, 1, 20), 41,
         dec("2400.00"), dec("2040.00"), dec("300.00")),
        ("PO-B", "received", dec("1000.00"), dec("0.00"), dec("1000.00"), None, None,
         dec("7100.00"), dec("0.00"), dec("7100.00")),
        ("PO-C", "confirmed", dec("100.00"), dec("100.00"), dec("0.00"), None, None,
         dec("100.00"), dec("100.00"), dec("0.00")),
    ]
    assert report.totals == {"orders": 3, "untaxed_base": dec("9600.00"), "to_receive_base": dec("2140.00"),
                             "to_bill_base": dec("7400.00")}


def test_open_orders_of_one_supplier(p, docs):
    report = reports.open_orders(p.company, DAY, partner=p.s2)
    assert [row["number"] for row in report.rows] == ["PO-B"]
    assert report.totals["untaxed_base"] == dec("7100.00")


def test_receipts_pending_most_overdue_first(p, docs):
    report = reports.receipts_pending(p.company, DAY)
    assert [(row["number"], row["sku"], row["quantity"], row["received"], row["outstanding"], row["uom"],
             row["expected_on"], row["days_late"], row["value_base"]) for row in report.rows] == [
        ("PO-A", "W-1", dec("10"), dec("6"), dec("4"), "box", D(2026, 1, 20), 41, dec("240.00")),
        ("PO-A", "TEA", dec("20"), dec("0"), dec("20"), "kg", D(2026, 1, 25), 36, dec("1800.00")),
        ("PO-C", "W-1", dec("2"), dec("0"), dec("2"), "box", None, None, dec("100.00")),
    ]
    assert report.totals == {"lines": 3, "late": 2, "value_base": dec("2140.00")}


def test_receipts_pending_late_only_on_an_earlier_day(p, docs):
    report = reports.receipts_pending(p.company, D(2026, 1, 22), late_only=True)
    assert [(row["sku"], row["days_late"]) for row in report.rows] == [("W-1", 2)]


def test_bills_to_match_received_not_billed_and_mismatches(p, docs):
    report = reports.bills_to_match(p.company)
    assert [(row["number"], row["sku"], row["received"], row["billed"], row["to_bill"], row["amount"],
             row["currency"], row["amount_base"], row["last_receipt_on"]) for row in report.rows] == [
        ("PO-A", "W-1", dec("5"), dec("0"), dec("5"), dec("300.00"), "CNY", dec("300.00"), D(2026, 1, 18)),
        ("PO-B", "PH", dec("5"), dec("0"), dec("5"), dec("1000.00"), "USD", dec("7100.00"), D(2026, 2, 15)),
    ]
    assert [(bill["invoice"], bill["reference"], bill["total_base"], bill["differences"], bill["differences_text"])
            for bill in report.extra["mismatches"]] == [
        (docs.bill.pk, "INV-9", dec("65.00"), 1, "Price 65.00 above the order's 60.00")]
    assert report.totals == {"lines": 2, "amount_base": dec("7400.00"), "bills": 1,
                             "bills_total_base": dec("65.00")}


def test_supplier_performance(p, docs):
    report = reports.supplier_performance(p.company, D(2026, 1, 1), DAY)
    figures = [(row["partner_name"], row["orders"], row["ordered_base"], row["lines_received"], row["on_time_rate"],
                row["average_delay"], row["price_variance"], row["price_variance_percent"],
                row["quality_return_rate"]) for row in report.rows]
    assert figures == [
        ("Acme Supply Inc.", 1, dec("7100.00"), 1, dec("0.00"), dec("5.0"), dec("0"), None, dec("0.00")),
        ("上海供应商有限公司", 2, dec("2500.00"), 1, dec("100.00"), dec("0.0"), dec("0"), None, dec("16.67")),
    ]
    totals = report.totals
    assert (totals["orders"], totals["ordered_base"], totals["lines_received"], totals["on_time_rate"],
            totals["average_delay"], totals["quality_return_rate"]) == (
        3, dec("9600.00"), 2, dec("50.00"), dec("5.0"), dec("15.58"))


def test_supplier_performance_before_the_year_counts_the_closed_order(p, docs):
    report = reports.supplier_performance(p.company, D(2025, 12, 1), D(2025, 12, 31), partner=p.s1)
    row = report.rows[0]
    assert (row["orders"], row["lines_received"], row["on_time_rate"], row["average_delay"]) == (
        1, 1, dec("0.00"), dec("2.0"))


def test_purchase_analysis_by_supplier_product_and_month(p, docs):
    by_supplier = reports.purchase_analysis(p.company, D(2026, 1, 1), DAY, group="supplier")
    assert [(row["label"], row["orders"], row["lines"], row["quantity"], row["amount"]) for row in by_supplier.rows] \
        == [("Acme Supply Inc.", 1, 1, dec("5"), dec("7100.00")),
            ("上海供应商有限公司", 2, 3, dec("164"), dec("2500.00"))]
    assert by_supplier.totals == {"orders": 3, "lines": 4, "quantity": dec("169"), "amount": dec("9600.00")}
    by_product = reports.purchase_analysis(p.company, D(2026, 1, 1), DAY, group="product")
    assert [(row["label"], row["quantity"], row["uom"], row["amount"]) for row in by_product.rows] == [
        ("[PH] Phone", dec("5"), "pcs", dec("7100.00")), ("[TEA] Tea", dec("20"), "kg", dec("1800.00")),
        ("[W-1] Widget", dec("144"), "pcs", dec("700.00"))]
    by_month = reports.purchase_analysis(p.company, D(2026, 1, 1), DAY, group="month")
    assert [(row["label"], row["orders"], row["amount"]) for row in by_month.rows] == [
        ("2026-01", 1, dec("2400.00")), ("2026-02", 2, dec("7200.00")), ("2026-03", 0, dec("0"))]
    assert by_month.extra["chart"]["labels"] == ["2026-01", "2026-02", "2026-03"]
    assert by_month.extra["chart"]["values"] == ["2400.00", "7200.00", "0"]


def test_purchase_analysis_filtered_by_product(p, docs):
    report = reports.purchase_analysis(p.company, D(2025, 1, 1), DAY, group="supplier", product=p.widget)
    assert [(row["label"], row["quantity"], row["amount"]) for row in report.rows] == [
        ("上海供应商有限公司", dec("156"), dec("760.00"))]


def test_dashboard_figures(p, docs):
    figures = reports.dashboard(p.company, DAY, actor=p.manager)
    assert {key: figures[key] for key in ("open_orders", "to_receive_base", "waiting_approval", "late_lines",
                                          "late_value_base", "lines_to_bill", "to_bill_base", "mismatched_bills",
                                          "this_month_base")} == {
        "open_orders": 3, "to_receive_base": dec("2140.00"), "waiting_approval": 1, "late_lines": 2,
        "late_value_base": dec("2040.00"), "lines_to_bill": 2, "to_bill_base": dec("7400.00"),
        "mismatched_bills": 1, "this_month_base": dec("0")}
    assert figures["chart"]["labels"][0] == "2025-04" and figures["chart"]["labels"][-1] == "2026-03"
    assert dict(zip(figures["chart"]["labels"], figures["chart"]["values"], strict=True))["2025-12"] == "60.00"


def test_a_missing_rate_leaves_the_order_out_and_says_so(p, docs):
    from tessera.core.models import ExchangeRate

    ExchangeRate.objects.filter(currency=p.usd).delete()
    report = reports.open_orders(p.company, DAY)
    assert report.missing_rates == 1
    assert report.totals["untaxed_base"] == dec("2500.00")
    assert "no exchange rate" in open_orders_table(report).notes[0]


def test_reports_need_the_view_permission(p, docs):
    with pytest.raises(errors.PermissionDenied):
        reports.open_orders(p.company, DAY, actor=p.employee)
    with pytest.raises(errors.PermissionDenied):
        reports.supplier_performance(p.company, D(2026, 1, 1), DAY, actor=p.employee)


def test_bad_parameters_name_the_field(p, docs, other_company):
    with pytest.raises(errors.ValidationFailed) as caught:
        reports.purchase_analysis(p.company, D(2026, 1, 1), DAY, group="week")
    assert caught.value.fields == {"group": ["Choose supplier, product or month."]}
    with pytest.raises(errors.ValidationFailed) as caught:
        reports.supplier_performance(p.company, DAY, D(2026, 1, 1))
    assert list(caught.value.fields) == ["date_to"]
    from tessera.partners.tests.factories import PartnerFactory

    with pytest.raises(errors.ValidationFailed) as caught:
        reports.open_orders(p.company, DAY, partner=PartnerFactory(company=other_company))
    assert list(caught.value.fields) == ["partner"]


def test_tables_lay_the_reports_out(p, docs):
    table = receipts_pending_table(reports.receipts_pending(p.company, DAY))
    assert [column.key for column in table.columns][:3] == ["number", "partner_name", "sku"]
    assert table.totals["value_base"] == dec("2140.00")
    table = bills_to_match_table(reports.bills_to_match(p.company))
    assert [row["document"] for row in table.rows] == ["Received, not billed", "PO-A", "PO-B",
                                                       "Bills with a mismatch", "INV-9"]
    table = supplier_performance_table(reports.supplier_performance(p.company, D(2026, 1, 1), DAY))
    assert table.totals["partner_name"] == "Total" and table.totals["on_time_rate"] == dec("50.00")
    table = analysis_table(reports.purchase_analysis(p.company, D(2026, 1, 1), DAY, group="product"))
    assert [column.key for column in table.columns] == ["label", "orders", "lines", "quantity", "uom", "amount"]


def test_match_findings_read_as_sentences():
    assert reports._difference_text({"kind": "price", "product": "W-1", "billed_price": "70.000000",
                                     "ordered_price": "60.000000", "currency": "CNY"}) == \
        "W-1: billed at 70.000000, ordered at 60.000000 CNY"
    assert reports._difference_text({"kind": "amount", "billed": "700.00", "matched": "600.00",
                                     "currency": "CNY"}) == "Bill 700.00, matched value 600.00 CNY"

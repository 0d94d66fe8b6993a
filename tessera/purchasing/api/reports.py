"""Purchasing reports at /api/v1/purchasing/reports/: JSON by default, or a file with `?format=csv|xlsx|pdf`.

- `open-orders/?date=&partner=&warehouse=`: confirmed orders with goods or bills still to come;
- `receipts-pending/?date=&partner=&warehouse=&late=true`: order lines not fully received, days late;
- `bills-to-match/?partner=`: lines received and not billed, and draft bills with a mismatch;
- `supplier-performance/?date_from=&date_to=&partner=`: on-time rate, delay, price variance, quality returns;
- `analysis/?date_from=&date_to=&group=supplier|product|month&partner=&product=&warehouse=`: purchases
  (untaxed, company currency) and quantities, with the chart's labels and values;
- `dashboard/`: the purchasing dashboard's figures today.

Each needs `purchasing.view_purchaseorder` and the purchasing module active; a bad parameter answers 400
validation_error naming it. Dates default to today (`date_from`: the first day of the year of `date_to`).
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response

from tessera.core.api.reports import ReportApiView, report_schema
from tessera.inventory.models import Warehouse
from tessera.partners.models import Partner
from tessera.products.models import Product

from .. import report_tables as tables
from .. import reports
from ..reports import ANALYSIS_GROUPS, REPORT_PERMISSION

MONEY = {"max_digits": 20, "decimal_places": 2}
QUANTITY = {"max_digits": 20, "decimal_places": 4}
PERCENT = {"max_digits": 9, "decimal_places": 2}
FORMATS = ["json", "csv", "xlsx", "pdf"]


class CompanyRecordField(serializers.PrimaryKeyRelatedField):
    """An id of one of the request company's records (another company's is unknown: 400)."""

    def get_queryset(self):
        request = self.context.get("request")
        company = getattr(request, "company", None)
        return self.queryset.filter(company=company) if company else self.queryset.none()


# --- Query parameters ------------------------------------------------------------------------------------

class AsOfQuery(serializers.Serializer):
    date = serializers.DateField(required=False, help_text=_("As of this day (default: today)."))
    partner = CompanyRecordField(queryset=Partner.objects.all(), required=False, help_text=_("Supplier id."))
    warehouse = CompanyRecordField(queryset=Warehouse.objects.all(), required=False, help_text=_("Warehouse id."))
    format = serializers.ChoiceField(choices=FORMATS, default="json")

    def validate(self, attrs):
        attrs.setdefault("date", timezone.localdate())
        return attrs


class PendingQuery(AsOfQuery):
    late = serializers.BooleanField(default=False, help_text=_("Only the lines past their expected date."))


class PartnerQuery(serializers.Serializer):
    partner = CompanyRecordField(queryset=Partner.objects.all(), required=False, help_text=_("Supplier id."))
    format = serializers.ChoiceField(choices=FORMATS, default="json")


class PeriodQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text=_("From this day (default: 1 January)."))
    date_to = serializers.DateField(required=False, help_text=_("Up to this day (default: today)."))
    partner = CompanyRecordField(queryset=Partner.objects.all(), required=False, help_text=_("Supplier id."))
    format = serializers.ChoiceField(choices=FORMATS, default="json")

    def validate(self, attrs):
        attrs.setdefault("date_to", timezone.localdate())
        attrs.setdefault("date_from", attrs["date_to"].replace(month=1, day=1))
        return attrs


class AnalysisQuery(PeriodQuery):
    group = serializers.ChoiceField(choices=list(ANALYSIS_GROUPS), default="supplier",
                                    help_text=_("One row per supplier, product or month."))
    product = CompanyRecordField(queryset=Product.objects.all(), required=False, help_text=_("Product id."))
    warehouse = CompanyRecordField(queryset=Warehouse.objects.all(), required=False, help_text=_("Warehouse id."))


class DashboardQuery(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json"], default="json")


# --- Output -------------------------------------------------------------------------------------------------

def money_field(**kwargs):
    return serializers.DecimalField(**MONEY, **kwargs)


def quantity_field(**kwargs):
    return serializers.DecimalField(**QUANTITY, **kwargs)


def rate_field(**kwargs):
    return serializers.DecimalField(allow_null=True, **PERCENT, **kwargs)


class OpenOrderRow(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField()
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    date = serializers.DateField()
    expected_on = serializers.DateField(allow_null=True, help_text=_("The earliest due date of what is to come."))
    days_late = serializers.IntegerField(allow_null=True)
    warehouse = serializers.CharField()
    state = serializers.CharField()
    currency = serializers.CharField()
    untaxed = money_field()
    to_receive = money_field()
    to_bill = money_field()
    untaxed_base = money_field(allow_null=True)
    to_receive_base = money_field(allow_null=True)
    to_bill_base = money_field(allow_null=True)


class OpenOrdersTotals(serializers.Serializer):
    orders = serializers.IntegerField()
    untaxed_base = money_field()
    to_receive_base = money_field()
    to_bill_base = money_field()


class ReportHeader(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    currency = serializers.CharField(source="company.base_currency.code")
    missing_rates = serializers.IntegerField(help_text=_("Documents left out of the company-currency figures."))


class OpenOrders(ReportHeader):
    date = serializers.DateField(source="as_of")
    rows = OpenOrderRow(many=True)
    totals = OpenOrdersTotals()


class PendingRow(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField()
    line = serializers.IntegerField()
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    warehouse = serializers.CharField()
    product = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    quantity = quantity_field()
    received = quantity_field()
    outstanding = quantity_field()
    uom = serializers.CharField()
    currency = serializers.CharField()
    value = money_field()
    value_base = money_field(allow_null=True)
    expected_on = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField(allow_null=True)


class PendingTotals(serializers.Serializer):
    lines = serializers.IntegerField()
    late = serializers.IntegerField()
    value_base = money_field()


class ReceiptsPending(ReportHeader):
    date = serializers.DateField(source="as_of")
    rows = PendingRow(many=True)
    totals = PendingTotals()


class UnbilledRow(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField()
    line = serializers.IntegerField()
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    product = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    received = quantity_field(help_text=_("Received less returned."))
    billed = quantity_field()
    to_bill = quantity_field()
    uom = serializers.CharField()
    currency = serializers.CharField()
    amount = money_field()
    amount_base = money_field(allow_null=True)
    last_receipt_on = serializers.DateField(allow_null=True)


class MismatchRow(serializers.Serializer):
    invoice = serializers.IntegerField()
    number = serializers.CharField()
    reference = serializers.CharField()
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    date = serializers.DateField()
    currency = serializers.CharField()
    total = money_field()
    total_base = money_field()
    differences = serializers.IntegerField()
    differences_text = serializers.CharField()


class BillsToMatchTotals(serializers.Serializer):
    lines = serializers.IntegerField()
    amount_base = money_field()
    bills = serializers.IntegerField()
    bills_total_base = money_field()


class BillsToMatch(ReportHeader):
    rows = UnbilledRow(many=True)
    mismatches = MismatchRow(many=True, source="extra.mismatches")
    totals = BillsToMatchTotals()


class PerformanceRow(serializers.Serializer):
    partner = serializers.IntegerField(allow_null=True)
    partner_name = serializers.CharField()
    orders = serializers.IntegerField()
    ordered_base = money_field()
    lines_received = serializers.IntegerField()
    dated = serializers.IntegerField(help_text=_("Receipt lines with an expected date."))
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = rate_field()
    average_delay = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    billed_base = money_field()
    billed_at_order_base = money_field()
    price_variance = money_field()
    price_variance_percent = rate_field()
    received_quantity = quantity_field()
    returned_quantity = quantity_field()
    quality_return_rate = rate_field()


class SupplierPerformance(ReportHeader):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = PerformanceRow(many=True)
    totals = PerformanceRow()


class AnalysisRow(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    orders = serializers.IntegerField()
    lines = serializers.IntegerField()
    quantity = quantity_field()
    uom = serializers.CharField()
    amount = money_field()


class AnalysisTotals(serializers.Serializer):
    orders = serializers.IntegerField()
    lines = serializers.IntegerField()
    quantity = quantity_field()
    amount = money_field()


class Chart(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField())
    values = serializers.ListField(child=serializers.CharField())
    label = serializers.CharField()
    vertical = serializers.BooleanField(help_text=_("Months: draw vertical bars."))


class Analysis(ReportHeader):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group = serializers.CharField()
    rows = AnalysisRow(many=True)
    totals = AnalysisTotals()
    chart = Chart(source="extra.chart")


class Dashboard(serializers.Serializer):
    currency = serializers.CharField()
    open_orders = serializers.IntegerField()
    to_receive_base = money_field()
    waiting_approval = serializers.IntegerField()
    late_lines = serializers.IntegerField()
    late_value_base = money_field()
    lines_to_bill = serializers.IntegerField()
    to_bill_base = money_field()
    mismatched_bills = serializers.IntegerField()
    this_month_base = money_field()
    chart = Chart()


# --- Views -------------------------------------------------------------------------------------------------

class PurchasingReportView(ReportApiView):
    module = "purchasing"
    required_permission = REPORT_PERMISSION


class OpenOrdersView(PurchasingReportView):
    """`purchasing/reports/open-orders/`: per open order what is left to receive and bill."""

    query_serializer = AsOfQuery
    output_serializer = OpenOrders

    def build(self, request, params):
        return reports.open_orders(request.company, params["date"], partner=params.get("partner"),
                                   warehouse=params.get("warehouse"), actor=request.user)

    def table(self, report):
        return tables.open_orders_table(report)

    @report_schema(AsOfQuery, OpenOrders, _("Open purchase orders"))
    def get(self, request):
        return super().get(request)


class ReceiptsPendingView(PurchasingReportView):
    """`purchasing/reports/receipts-pending/`: order lines not fully received, the most overdue first."""

    query_serializer = PendingQuery
    output_serializer = ReceiptsPending

    def build(self, request, params):
        return reports.receipts_pending(request.company, params["date"], partner=params.get("partner"),
                                        warehouse=params.get("warehouse"), late_only=params["late"],
                                        actor=request.user)

    def table(self, report):
        return tables.receipts_pending_table(report)

    @report_schema(PendingQuery, ReceiptsPending, _("Receipts pending"))
    def get(self, request):
        return super().get(request)


class BillsToMatchView(PurchasingReportView):
    """`purchasing/reports/bills-to-match/`: received and not billed; draft bills with a mismatch."""

    query_serializer = PartnerQuery
    output_serializer = BillsToMatch

    def build(self, request, params):
        return reports.bills_to_match(request.company, partner=params.get("partner"), actor=request.user)

    def table(self, report):
        return tables.bills_to_match_table(report)

    @report_schema(PartnerQuery, BillsToMatch, _("Bills to match"))
    def get(self, request):
        return super().get(request)


class SupplierPerformanceView(PurchasingReportView):
    """`purchasing/reports/supplier-performance/`: per supplier over a date range."""

    query_serializer = PeriodQuery
    output_serializer = SupplierPerformance

    def build(self, request, params):
        return reports.supplier_performance(request.company, params["date_from"], params["date_to"],
                                            partner=params.get("partner"), actor=request.user)

    def table(self, report):
        return tables.supplier_performance_table(report)

    @report_schema(PeriodQuery, SupplierPerformance, _("Supplier performance"))
    def get(self, request):
        return super().get(request)


class AnalysisView(PurchasingReportView):
    """`purchasing/reports/analysis/`: purchases by supplier, product or month."""

    query_serializer = AnalysisQuery
    output_serializer = Analysis

    def build(self, request, params):
        return reports.purchase_analysis(request.company, params["date_from"], params["date_to"],
                                         group=params["group"], partner=params.get("partner"),
                                         product=params.get("product"), warehouse=params.get("warehouse"),
                                         actor=request.user)

    def table(self, report):
        return tables.analysis_table(report)

    @report_schema(AnalysisQuery, Analysis, _("Purchase analysis"))
    def get(self, request):
        return super().get(request)


class DashboardView(PurchasingReportView):
    """`purchasing/reports/dashboard/`: the dashboard's figures today (JSON only)."""

    query_serializer = DashboardQuery
    output_serializer = Dashboard

    @report_schema(DashboardQuery, Dashboard, _("Purchasing dashboard"))
    def get(self, request):
        self.query(request)
        figures = reports.dashboard(request.company, timezone.localdate(), actor=request.user)
        return Response(Dashboard(figures).data)


urlpatterns = [
    path("reports/open-orders/", OpenOrdersView.as_view(), name="report_open_orders"),
    path("reports/receipts-pending/", ReceiptsPendingView.as_view(), name="report_receipts_pending"),
    path("reports/bills-to-match/", BillsToMatchView.as_view(), name="report_bills_to_match"),
    path("reports/supplier-performance/", SupplierPerformanceView.as_view(), name="report_supplier_performance"),
    path("reports/analysis/", AnalysisView.as_view(), name="report_analysis"),
    path("reports/dashboard/", DashboardView.as_view(), name="report_dashboard"),
]

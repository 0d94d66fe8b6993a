"""The cash-flow statement, its entries and the cash position at /api/v1/accounting/reports/ (API.md):
JSON by default, or a file with `?format=csv|xlsx|pdf`; the permission and errors of the other reports
(api/reports.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import report_tables_cashflow as tables
from .. import reports_cashflow as cashflow
from ..reports import LAYOUTS
from .reports import MONEY, ReportQuerySerializer, ReportView, _schema

# --- Query parameters -------------------------------------------------------------------------


class CashFlowQuerySerializer(ReportQuerySerializer):
    layout = serializers.ChoiceField(choices=list(LAYOUTS), required=False, help_text=_(
        "cn: the Chinese statutory form (the small-enterprise one for a cn_small chart); ifrs: IAS 7, direct "
        "method. Default: the chart's own."))


class CashFlowEntriesQuerySerializer(CashFlowQuerySerializer):
    line = serializers.CharField(help_text=_("The key of a line of the statement (e.g. op_in_sales)."))


class CashPositionQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text=_("Balances at the end of this day (default: today)."))
    format = serializers.ChoiceField(choices=["json", "csv", "xlsx", "pdf"], default="json")

    def validate(self, attrs):
        attrs.setdefault("date", timezone.localdate())
        return attrs


# --- Output ------------------------------------------------------------------------------------

class ColumnAmountsSerializer(serializers.Serializer):
    period = serializers.DecimalField(allow_null=True, **MONEY)
    previous = serializers.DecimalField(allow_null=True, **MONEY)


class CashFlowLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField(allow_null=True, help_text=_("行次: the line number of the statutory form."))
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["heading", "item", "total", "balance"])
    level = serializers.IntegerField()
    amounts = ColumnAmountsSerializer(help_text=_("period: the dates; previous: the same dates a year earlier."))


class CashFlowTotalsSerializer(serializers.Serializer):
    opening_cash = ColumnAmountsSerializer(source="opening")
    net_increase = ColumnAmountsSerializer(help_text=_("All cash flows, exchange differences included."))
    closing_cash = ColumnAmountsSerializer(source="closing", help_text=_("Equals opening cash plus the net increase."))


class CashFlowSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    layout = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    previous_from = serializers.DateField()
    previous_to = serializers.DateField()
    columns = serializers.ListField(child=serializers.CharField())
    lines = CashFlowLineSerializer(many=True)
    totals = CashFlowTotalsSerializer(source="*")


class CashFlowEntrySerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    date = serializers.DateField()
    number = serializers.CharField()
    journal = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.DecimalField(help_text=_("The entry's part of the line, as the line shows it."), **MONEY)


class CashFlowEntriesSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    layout = serializers.CharField()
    line = serializers.CharField()
    label = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = CashFlowEntrySerializer(many=True)
    total = serializers.DecimalField(**MONEY)


class CashAccountSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    currency = serializers.CharField()
    balance_currency = serializers.DecimalField(allow_null=True, help_text=_(
        "The balance in the account's own currency (null for an account in the base currency)."), **MONEY)
    balance = serializers.DecimalField(help_text=_("In the company's base currency."), **MONEY)


class CashBucketSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField()
    receipts = serializers.DecimalField(**MONEY)
    payments = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(help_text=_("The projected balance after this span."), **MONEY)


class CashPositionSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    date = serializers.DateField(source="as_of")
    horizon = serializers.DateField()
    accounts = CashAccountSerializer(many=True)
    total = serializers.DecimalField(**MONEY)
    buckets = CashBucketSerializer(many=True)
    overdue_receipts = serializers.DecimalField(**MONEY)
    overdue_payments = serializers.DecimalField(**MONEY)
    receipts = serializers.DecimalField(help_text=_("Due from the date to the horizon."), **MONEY)
    payments = serializers.DecimalField(help_text=_("Due from the date to the horizon."), **MONEY)
    projected_balance = serializers.DecimalField(**MONEY)


# --- Views -------------------------------------------------------------------------------------

class CashFlowView(ReportView):
    """`accounting/reports/cash-flow/?date_from=&date_to=&layout=`: 现金流量表 (direct method), columns
    `period` and `previous` (the same dates a year earlier)."""

    query_serializer = CashFlowQuerySerializer
    output_serializer = CashFlowSerializer

    def build(self, request, params):
        return cashflow.cash_flow_statement(request.company, params["date_from"], params["date_to"],
                                            params.get("layout"), actor=request.user)

    def table(self, report):
        return tables.cash_flow_table(report)

    @_schema(CashFlowQuerySerializer, CashFlowSerializer, _("Cash-flow statement"))
    def get(self, request):
        return super().get(request)


class CashFlowEntriesView(ReportView):
    """`accounting/reports/cash-flow/entries/?line=&date_from=&date_to=`: the entries behind a line."""

    query_serializer = CashFlowEntriesQuerySerializer
    output_serializer = CashFlowEntriesSerializer

    def build(self, request, params):
        return cashflow.cash_flow_entries(request.company, params["date_from"], params["date_to"], params["line"],
                                          params.get("layout"), actor=request.user)

    def table(self, report):
        return tables.cash_flow_entries_table(report)

    @_schema(CashFlowEntriesQuerySerializer, CashFlowEntriesSerializer, _("Cash-flow entries"))
    def get(self, request):
        return super().get(request)


class CashPositionView(ReportView):
    """`accounting/reports/cash-position/?date=`: cash and bank balances, and the next 30 days of open
    invoices by due date (overdue apart) with the projected balance."""

    query_serializer = CashPositionQuerySerializer
    output_serializer = CashPositionSerializer

    def build(self, request, params):
        return cashflow.cash_position(request.company, params["date"], actor=request.user)

    def table(self, report):
        return tables.cash_position_table(report)

    @_schema(CashPositionQuerySerializer, CashPositionSerializer, _("Cash position"))
    def get(self, request):
        return super().get(request)

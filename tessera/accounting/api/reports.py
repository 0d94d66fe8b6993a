"""The ledger reports at /api/v1/accounting/reports/ (API.md): JSON by default, or a file with
`?format=csv|xlsx|pdf`.

Every report needs the permission `accounting.view_accountbalance` (granted to the seeded
accountant, accounting manager and auditor roles) and the accounting module active. Amounts are
decimal strings; dates YYYY-MM-DD (a bad one answers 400 validation_error naming the parameter).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tessera.core.api.reports import ReportApiView, report_schema

from .. import report_tables as tables
from .. import report_tables_partners as partner_tables
from .. import reports_partners as partner_reports
from ..reports import (
    LAYOUTS,
    REPORT_PERMISSION,
    balance_sheet,
    general_ledger,
    profit_and_loss,
    trial_balance,
)

MONEY = {"max_digits": 20, "decimal_places": 2}


# --- Query parameters -------------------------------------------------------------------------

class ReportQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text=_("First day (default: the first of date_to's month)."))
    date_to = serializers.DateField(required=False, help_text=_("Last day (default: today)."))
    format = serializers.ChoiceField(choices=["json", "csv", "xlsx", "pdf"], default="json")

    def validate(self, attrs):
        attrs.setdefault("date_to", timezone.localdate())
        attrs.setdefault("date_from", attrs["date_to"].replace(day=1))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": [_("The end date must not be before the start date.")]})
        return attrs


class TrialBalanceQuerySerializer(ReportQuerySerializer):
    include_zero = serializers.BooleanField(default=False, help_text=_("Also list accounts without any amount."))


class GeneralLedgerQuerySerializer(ReportQuerySerializer):
    account = serializers.IntegerField(help_text=_("Account id; a parent account lists its sub-accounts' lines."))


class StatementQuerySerializer(ReportQuerySerializer):
    layout = serializers.ChoiceField(choices=list(LAYOUTS), default="cn",
                                     help_text=_("cn: Chinese statutory layout; ifrs: international, by type."))


class BalanceSheetQuerySerializer(StatementQuerySerializer):
    as_of = serializers.DateField(required=False, help_text=_("Same as date_to."))

    def validate(self, attrs):
        if "as_of" in attrs:
            attrs["date_to"] = attrs.pop("as_of")
        attrs.setdefault("date_to", timezone.localdate())
        attrs["date_from"] = attrs["date_to"]
        return attrs


# --- Output ------------------------------------------------------------------------------------

class TrialBalanceTotalsSerializer(serializers.Serializer):
    opening_debit = serializers.DecimalField(**MONEY)
    opening_credit = serializers.DecimalField(**MONEY)
    period_debit = serializers.DecimalField(**MONEY)
    period_credit = serializers.DecimalField(**MONEY)
    closing_debit = serializers.DecimalField(**MONEY)
    closing_credit = serializers.DecimalField(**MONEY)


class TrialBalanceRowSerializer(TrialBalanceTotalsSerializer):
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    is_leaf = serializers.BooleanField()


class TrialBalanceSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = TrialBalanceRowSerializer(many=True)
    totals = TrialBalanceTotalsSerializer()


class LedgerAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class LedgerLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    entry = serializers.IntegerField()
    number = serializers.CharField()
    journal = serializers.CharField()
    account = serializers.IntegerField()
    account_code = serializers.CharField()
    description = serializers.CharField()
    partner = serializers.IntegerField(allow_null=True)
    partner_name = serializers.CharField()
    debit = serializers.DecimalField(**MONEY)
    credit = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(**MONEY)


class GeneralLedgerSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    account = LedgerAccountSerializer()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    side = serializers.CharField(help_text=_("The side balances are counted on: debit or credit."))
    opening_balance = serializers.DecimalField(source="opening", **MONEY)
    lines = LedgerLineSerializer(many=True)
    total_debit = serializers.DecimalField(**MONEY)
    total_credit = serializers.DecimalField(**MONEY)
    closing_balance = serializers.DecimalField(source="closing", **MONEY)


class StatementLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField(allow_null=True, help_text=_("行次: the line number of the statutory form."))
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["heading", "item", "total"])
    level = serializers.IntegerField()
    amounts = serializers.DictField(child=serializers.DecimalField(allow_null=True, **MONEY))


class StatementSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    layout = serializers.CharField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField()
    columns = serializers.ListField(child=serializers.CharField())
    lines = StatementLineSerializer(many=True)


# --- Views -------------------------------------------------------------------------------------

class ReportView(ReportApiView):
    module = "accounting"
    required_permission = REPORT_PERMISSION
    query_serializer = ReportQuerySerializer


_schema = report_schema


class TrialBalanceView(ReportView):
    """`accounting/reports/trial-balance/`: opening, period and closing debit and credit per account;
    parents are the sums of their children (`is_leaf` false), totals are over leaf accounts."""

    query_serializer = TrialBalanceQuerySerializer
    output_serializer = TrialBalanceSerializer

    def build(self, request, params):
        return trial_balance(request.company, params["date_from"], params["date_to"], params["include_zero"],
                             actor=request.user)

    def table(self, report):
        return tables.trial_balance_table(report)

    @_schema(TrialBalanceQuerySerializer, TrialBalanceSerializer, _("Trial balance"))
    def get(self, request):
        return super().get(request)


class GeneralLedgerView(ReportView):
    """`accounting/reports/general-ledger/?account=`: the account's posted lines with a running balance."""

    query_serializer = GeneralLedgerQuerySerializer
    output_serializer = GeneralLedgerSerializer

    def build(self, request, params):
        return general_ledger(request.company, params["account"], params["date_from"], params["date_to"],
                              actor=request.user)

    def table(self, report):
        return tables.general_ledger_table(report)

    @_schema(GeneralLedgerQuerySerializer, GeneralLedgerSerializer, _("General ledger"))
    def get(self, request):
        return super().get(request)


class BalanceSheetView(ReportView):
    """`accounting/reports/balance-sheet/?date_to=` (or `as_of`): columns `end` and `start` (of the year)."""

    query_serializer = BalanceSheetQuerySerializer
    output_serializer = StatementSerializer

    def build(self, request, params):
        return balance_sheet(request.company, params["date_to"], params["layout"], actor=request.user)

    def table(self, report):
        return tables.statement_table(report)

    @_schema(BalanceSheetQuerySerializer, StatementSerializer, _("Balance sheet"))
    def get(self, request):
        return super().get(request)


class ProfitAndLossView(ReportView):
    """`accounting/reports/profit-loss/`: columns `period` (the dates) and `year` (year to date_to)."""

    query_serializer = StatementQuerySerializer
    output_serializer = StatementSerializer

    def build(self, request, params):
        return profit_and_loss(request.company, params["date_from"], params["date_to"], params["layout"],
                               actor=request.user)

    def table(self, report):
        return tables.statement_table(report)

    @_schema(StatementQuerySerializer, StatementSerializer, _("Profit and loss"))
    def get(self, request):
        return super().get(request)



# --- Receivables, payables and VAT (accounting.reports_partners) ---------------------------------

class AgedQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text=_("Age the open items as of this day (default: today)."))
    format = serializers.ChoiceField(choices=["json", "csv", "xlsx", "pdf"], default="json")

    def validate(self, attrs):
        attrs.setdefault("as_of", timezone.localdate())
        return attrs


class PartnerStatementQuerySerializer(ReportQuerySerializer):
    partner = serializers.IntegerField(help_text=_("Partner id."))
    side = serializers.ChoiceField(choices=list(partner_reports.SIDES), required=False,
                                   help_text=_("The control accounts: receivable or payable (default: payable for "
                                               "a supplier that is not a customer, else receivable)."))


class AgedTotalsSerializer(serializers.Serializer):
    not_due = serializers.DecimalField(**MONEY)
    days_0_30 = serializers.DecimalField(**MONEY)
    days_31_60 = serializers.DecimalField(**MONEY)
    days_61_90 = serializers.DecimalField(**MONEY)
    days_91_120 = serializers.DecimalField(**MONEY)
    days_over_120 = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)


class AgedRowSerializer(AgedTotalsSerializer):
    partner = serializers.IntegerField(allow_null=True, help_text=_("Null: lines posted without a partner."))
    partner_code = serializers.CharField()
    partner_name = serializers.CharField()


class AgedSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    side = serializers.CharField()
    as_of = serializers.DateField()
    rows = AgedRowSerializer(many=True)
    totals = AgedTotalsSerializer()
    balance = serializers.DecimalField(help_text=_("The control accounts' balance (equals the total)."), **MONEY)


class StatementPartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class PartnerStatementLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    entry = serializers.IntegerField()
    number = serializers.CharField()
    reference = serializers.CharField()
    description = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    debit = serializers.DecimalField(**MONEY)
    credit = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(**MONEY)


class PartnerStatementSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    partner = StatementPartnerSerializer()
    side = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    opening_balance = serializers.DecimalField(source="opening", **MONEY)
    lines = PartnerStatementLineSerializer(many=True)
    total_debit = serializers.DecimalField(**MONEY)
    total_credit = serializers.DecimalField(**MONEY)
    closing_balance = serializers.DecimalField(source="closing", **MONEY)


class VatReturnRowSerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=["output", "input"])
    kind = serializers.ChoiceField(choices=["account", "tax", "other"])
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    tax = serializers.IntegerField(allow_null=True)
    rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    base = serializers.DecimalField(allow_null=True, **MONEY)
    amount = serializers.DecimalField(**MONEY)


class VatReturnSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.code")
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = VatReturnRowSerializer(many=True)
    output_vat = serializers.DecimalField(**MONEY)
    input_vat = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(help_text=_("Output less input VAT."), **MONEY)
    payable = serializers.DecimalField(**MONEY)
    carried_forward = serializers.DecimalField(**MONEY)


class AgedReceivablesView(ReportView):
    """`accounting/reports/aged-receivables/?as_of=`: per customer, open items by days overdue."""

    query_serializer = AgedQuerySerializer
    output_serializer = AgedSerializer
    side = "receivable"

    def build(self, request, params):
        return partner_reports.aged_balances(request.company, self.side, params["as_of"], actor=request.user)

    def table(self, report):
        return partner_tables.aged_table(report)

    @_schema(AgedQuerySerializer, AgedSerializer, _("Aged receivables"))
    def get(self, request):
        return super().get(request)


class AgedPayablesView(AgedReceivablesView):
    """`accounting/reports/aged-payables/?as_of=`: per supplier, open items by days overdue."""

    side = "payable"

    @_schema(AgedQuerySerializer, AgedSerializer, _("Aged payables"))
    def get(self, request):
        return super().get(request)


class PartnerStatementView(ReportView):
    """`accounting/reports/partner-statement/?partner=&date_from=&date_to=`: a partner's lines on the
    control accounts with opening, running and closing balances."""

    query_serializer = PartnerStatementQuerySerializer
    output_serializer = PartnerStatementSerializer

    def build(self, request, params):
        return partner_reports.partner_statement(request.company, params["partner"], params["date_from"],
                                                 params["date_to"], params.get("side"), actor=request.user)

    def table(self, report):
        return partner_tables.partner_statement_table(report)

    @_schema(PartnerStatementQuerySerializer, PartnerStatementSerializer, _("Partner statement"))
    def get(self, request):
        return super().get(request)


class VatReturnView(ReportView):
    """`accounting/reports/vat-return/?date_from=&date_to=`: output less input VAT, per account and tax."""

    output_serializer = VatReturnSerializer

    def build(self, request, params):
        return partner_reports.vat_return(request.company, params["date_from"], params["date_to"],
                                          actor=request.user)

    def table(self, report):
        return partner_tables.vat_return_table(report)

    @_schema(ReportQuerySerializer, VatReturnSerializer, _("VAT return"))
    def get(self, request):
        return super().get(request)

"""Report screens: trial balance, general ledger, balance sheet, profit and loss.

Each screen is a filter form (GET) above the report's table, with CSV/XLSX/PDF buttons
(`?export=`). The table and the files are the same TabularReport (accounting.report_tables), so
the screen shows what the file holds. Trial balance rows open the account's general ledger; ledger
lines open their journal entry. Access: the module active and `accounting.view_accountbalance`.
"""

import datetime

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.exports import FORMATS, cell_text, export_response
from tessera.core.forms import DateInput
from tessera.core.views.generic import Screen, apply_domain_error
from tessera.partners.models import Partner

from .. import report_tables as tables
from .. import report_tables_partners as partner_tables
from .. import reports_partners as partner_reports
from ..models import Account
from ..reports import (
    REPORT_PERMISSION,
    balance_sheet,
    fiscal_year_start,
    general_ledger,
    profit_and_loss,
    trial_balance,
)

LAYOUT_CHOICES = [("cn", gettext_lazy("Chinese statutory")),
                  ("ifrs", gettext_lazy("International"))]


def entry_url(pk: int) -> str | None:
    """The journal entry's page (helper screens name it journalentry_detail; older drafts entry_detail)."""
    for name in ("accounting:journalentry_detail", "accounting:entry_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


# --- Filter forms --------------------------------------------------------------------------------

class PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), widget=DateInput())

    def __init__(self, *args, company=None, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class TrialBalanceForm(PeriodForm):
    include_zero = forms.BooleanField(label=gettext_lazy("Show accounts without amounts"), required=False)


class GeneralLedgerForm(PeriodForm):
    account = forms.ModelChoiceField(label=gettext_lazy("Account"), queryset=Account.objects.none())

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, company=company, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(company=company).order_by("code")
        self.order_fields(["account"])


class ProfitAndLossForm(PeriodForm):
    layout = forms.ChoiceField(label=gettext_lazy("Layout"), choices=LAYOUT_CHOICES)


class BalanceSheetForm(forms.Form):
    date_to = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())
    layout = forms.ChoiceField(label=gettext_lazy("Layout"), choices=LAYOUT_CHOICES)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)


# --- Screens -------------------------------------------------------------------------------------

class ReportScreen(Screen):
    """A report page: parse the filter, build the report, show it as a table or send it as a file."""

    module = "accounting"
    url_namespace = "accounting"
    permission = REPORT_PERMISSION
    template_name = "accounting/reports/report.html"
    form_class = PeriodForm
    export_formats = FORMATS

    def defaults(self) -> dict:
        today = timezone.localdate()
        return {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat(), "layout": "cn"}

    def build(self, data: dict):
        raise NotImplementedError

    def table(self, report):
        raise NotImplementedError

    def link(self, row: dict, data: dict) -> str | None:
        """The drill-down url of a row (None: the row is not a link)."""
        return None

    def get_breadcrumbs(self, obj=None):
        return [(_("Accounting"), None), (_("Reports"), None), (self.get_title(), None)]

    def get(self, request, *args, **kwargs):
        data = {**self.defaults(), **{key: value for key, value in request.GET.items() if value != ""}}
        if "include_zero" in data and data["include_zero"] in ("0", "false", "off"):
            data.pop("include_zero")
        form = self.form_class(data, company=self.company)
        context = {"form": form, "table": None, "rows": [], "export_formats": self.export_formats,
                   "export_urls": []}
        if form.is_valid():
            try:
                report = self.build(form.cleaned_data)
            except errors.ValidationFailed as error:
                apply_domain_error(form, error)
            else:
                table = self.table(report)
                export = request.GET.get("export")
                if export in self.export_formats:
                    return export_response(table, export)
                context.update(table=table, rows=self.rows(table, form.cleaned_data),
                               totals=[_cell(table.totals, column) for column in table.columns] if table.totals else [],
                               export_urls=[(fmt, self.export_url(fmt)) for fmt in self.export_formats])
        return self.render(context)

    def export_url(self, file_format: str) -> str:
        query = self.request.GET.copy()
        query["export"] = file_format
        return f"{self.request.path}?{query.urlencode()}"

    def rows(self, table, data: dict) -> list[dict]:
        """What the template draws: per row its cells (text, css class), link, weight, indent."""
        rows = []
        for row in table.rows:
            rows.append({
                "cells": [_cell(row, column) for column in table.columns],
                "url": self.link(row, data), "strong": bool(row.get("_strong")),
                "heading": bool(row.get("_heading")), "level": int(row.get("_level") or 0),
            })
        return rows


NOWRAP_COLUMNS = {"date", "number", "code", "account_code"}  # dates, voucher numbers and codes stay on one line


def _cell(row: dict, column) -> tuple[str, str]:
    if column.is_numeric:
        return cell_text(row, column), "text-end text-nowrap"
    return cell_text(row, column), "text-nowrap" if column.key in NOWRAP_COLUMNS else ""


def _iso(value: datetime.date) -> str:
    return value.isoformat()


class TrialBalanceView(ReportScreen):
    title = gettext_lazy("Trial balance")
    form_class = TrialBalanceForm

    def build(self, data):
        return trial_balance(self.company, data["date_from"], data["date_to"], data.get("include_zero", False),
                             actor=self.request.user)

    def table(self, report):
        return tables.trial_balance_table(report)

    def link(self, row, data):
        if not row.get("account"):
            return None
        return reverse("accounting:report_general_ledger") + "?" + urlencode(
            {"account": row["account"], "date_from": _iso(data["date_from"]), "date_to": _iso(data["date_to"])})


class GeneralLedgerView(ReportScreen):
    title = gettext_lazy("General ledger")
    form_class = GeneralLedgerForm

    def get(self, request, *args, **kwargs):
        if not request.GET.get("account"):
            form = self.form_class(initial={**self.defaults(), **request.GET.dict()}, company=self.company)
            return self.render({"form": form, "table": None, "rows": [], "export_urls": [],
                                "prompt": _("Choose an account to see its ledger.")})
        return super().get(request, *args, **kwargs)

    def build(self, data):
        return general_ledger(self.company, data["account"], data["date_from"], data["date_to"],
                              actor=self.request.user)

    def table(self, report):
        return tables.general_ledger_table(report)

    def link(self, row, data):
        return entry_url(row["entry"]) if row.get("entry") else None


class BalanceSheetView(ReportScreen):
    title = gettext_lazy("Balance sheet")
    form_class = BalanceSheetForm

    def build(self, data):
        return balance_sheet(self.company, data["date_to"], data["layout"], actor=self.request.user)

    def table(self, report):
        return tables.statement_table(report)


class ProfitAndLossView(ReportScreen):
    title = gettext_lazy("Profit and loss")
    form_class = ProfitAndLossForm

    def build(self, data):
        return profit_and_loss(self.company, data["date_from"], data["date_to"], data["layout"],
                               actor=self.request.user)

    def table(self, report):
        return tables.statement_table(report)


# --- Receivables, payables and VAT (accounting.reports_partners) ---------------------------------

SIDE_CHOICES = [("receivable", gettext_lazy("Receivable")), ("payable", gettext_lazy("Payable"))]


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)


class PartnerStatementForm(PeriodForm):
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.none())
    side = forms.ChoiceField(label=gettext_lazy("Account"), choices=[("", gettext_lazy("By partner")), *SIDE_CHOICES],
                             required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, company=company, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(company=company).order_by("code")
        self.order_fields(["partner", "side"])


class AgedReceivablesView(ReportScreen):
    title = gettext_lazy("Aged receivables")
    form_class = AsOfForm
    side = "receivable"

    def defaults(self):
        return {"as_of": timezone.localdate().isoformat()}

    def build(self, data):
        return partner_reports.aged_balances(self.company, self.side, data["as_of"], actor=self.request.user)

    def table(self, report):
        return partner_tables.aged_table(report)

    def link(self, row, data):
        if not row.get("partner"):
            return None
        as_of = data["as_of"]
        return reverse("accounting:report_partner_statement") + "?" + urlencode(
            {"partner": row["partner"], "side": self.side, "date_from": _iso(fiscal_year_start(self.company, as_of)),
             "date_to": _iso(as_of)})


class AgedPayablesView(AgedReceivablesView):
    title = gettext_lazy("Aged payables")
    side = "payable"


class PartnerStatementView(ReportScreen):
    title = gettext_lazy("Partner statement")
    form_class = PartnerStatementForm

    def get(self, request, *args, **kwargs):
        if not request.GET.get("partner"):
            form = self.form_class(initial={**self.defaults(), **request.GET.dict()}, company=self.company)
            return self.render({"form": form, "table": None, "rows": [], "export_urls": [],
                                "prompt": _("Choose a partner to see its statement.")})
        return super().get(request, *args, **kwargs)

    def build(self, data):
        return partner_reports.partner_statement(self.company, data["partner"], data["date_from"], data["date_to"],
                                                 data.get("side") or None, actor=self.request.user)

    def table(self, report):
        return partner_tables.partner_statement_table(report)

    def link(self, row, data):
        return entry_url(row["entry"]) if row.get("entry") else None


class VatReturnView(ReportScreen):
    title = gettext_lazy("VAT return")

    def build(self, data):
        return partner_reports.vat_return(self.company, data["date_from"], data["date_to"], actor=self.request.user)

    def table(self, report):
        return partner_tables.vat_return_table(report)

    def link(self, row, data):
        if not row.get("account"):
            return None
        return reverse("accounting:report_general_ledger") + "?" + urlencode(
            {"account": row["account"], "date_from": _iso(data["date_from"]), "date_to": _iso(data["date_to"])})

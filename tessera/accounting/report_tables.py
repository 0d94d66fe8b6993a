"""The ledger reports as tables (core.exports.TabularReport): what the CSV, XLSX and PDF files and
the report screens show. The figures come from accounting.reports; this only lays them out."""

from django.utils.translation import gettext as _

from tessera.core.exports import DATE, MONEY, TEXT, ReportColumn, TabularReport

from .reports import AMOUNT_FIELDS, GeneralLedger, Statement, TrialBalance


def _period(date_from, date_to) -> str:
    return f"{date_from.isoformat()} – {date_to.isoformat()}"


def _common(company) -> dict:
    return {"company": company.name,
            "parameters": [(_("Company"), company.code), (_("Currency"), company.base_currency.code)]}


def trial_balance_columns() -> list[ReportColumn]:
    labels = [_("Opening debit"), _("Opening credit"), _("Period debit"), _("Period credit"), _("Closing debit"),
              _("Closing credit")]
    return [ReportColumn("code", _("Code")), ReportColumn("name", _("Account")),
            *[ReportColumn(name, label, MONEY) for name, label in zip(AMOUNT_FIELDS, labels, strict=True)]]


def trial_balance_table(report: TrialBalance) -> TabularReport:
    """Accounts in chart order, parents in bold (they are sums of their children), totals over leaves."""
    rows = [{**row, "_level": row["level"], "_strong": not row["is_leaf"]} for row in report.rows]
    return TabularReport(
        title=_("Trial balance"), subtitle=_period(report.date_from, report.date_to),
        columns=trial_balance_columns(), rows=rows, totals={"code": _("Total"), **report.totals},
        filename=f"trial-balance-{report.company.code}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}",
        landscape=True, **_common(report.company),
    )


def general_ledger_columns() -> list[ReportColumn]:
    return [ReportColumn("date", _("Date"), DATE), ReportColumn("number", _("Entry")),
            ReportColumn("journal", _("Journal")), ReportColumn("account_code", _("Account")),
            ReportColumn("description", _("Description")), ReportColumn("partner_name", _("Partner")),
            ReportColumn("debit", _("Debit"), MONEY), ReportColumn("credit", _("Credit"), MONEY),
            ReportColumn("balance", _("Balance"), MONEY, blank_zero=False)]


def general_ledger_table(report: GeneralLedger) -> TabularReport:
    """Opening balance, each posted line with the running balance, then period totals and closing."""
    account = report.account
    side = _("debit") if report.side == "debit" else _("credit")
    rows = [{"description": _("Opening balance"), "balance": report.opening, "_strong": True},
            *report.lines]
    totals = {"description": _("Period total and closing balance"), "debit": report.total_debit,
              "credit": report.total_credit, "balance": report.closing}
    common = _common(report.company)
    common["parameters"] += [(_("Account"), f"{account.code} {account.label}"), (_("Balance side"), side)]
    return TabularReport(
        title=_("General ledger"),
        subtitle=f"{account.code} {account.label} · {_period(report.date_from, report.date_to)}",
        columns=general_ledger_columns(), rows=rows, totals=totals, landscape=True,
        filename=f"general-ledger-{report.company.code}-{account.code}-{report.date_from:%Y%m%d}-"
                 f"{report.date_to:%Y%m%d}",
        **common,
    )


STATEMENT_COLUMNS = {
    "end": lambda: _("End of period"),
    "start": lambda: _("Start of year"),
    "period": lambda: _("This period"),
    "year": lambda: _("Year to date"),
}


def statement_columns(report: Statement) -> list[ReportColumn]:
    columns = [ReportColumn("label", _("Item"), TEXT, width="48%")]
    if report.layout == "cn":
        columns.append(ReportColumn("number", _("Line"), TEXT, width="6%"))
    return columns + [ReportColumn(column, STATEMENT_COLUMNS[column](), MONEY, blank_zero=False)
                      for column in report.columns]


def statement_table(report: Statement) -> TabularReport:
    """A balance sheet or profit and loss: headings, lines (with 行次 in the Chinese layout), totals in bold."""
    rows = []
    for line in report.lines:
        row = {"key": line["key"], "label": line["label"], "number": line["number"] or "",
               "_level": line["level"], "_strong": line["kind"] == "total", "_heading": line["kind"] == "heading"}
        row.update({column: amount for column, amount in line["amounts"].items() if amount is not None})
        rows.append(row)
    company = report.company
    if report.kind == "balance_sheet":
        title, subtitle = _("Balance sheet"), _("As of %(date)s") % {"date": report.date_to.isoformat()}
        stem = f"balance-sheet-{company.code}-{report.date_to:%Y%m%d}"
    else:
        title, subtitle = _("Profit and loss"), _period(report.date_from, report.date_to)
        stem = f"profit-loss-{company.code}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}"
    common = _common(company)
    common["parameters"].append((_("Layout"), _("Chinese statutory") if report.layout == "cn" else _("International")))
    return TabularReport(title=title, subtitle=subtitle, columns=statement_columns(report), rows=rows,
                         filename=f"{stem}-{report.layout}", **common)

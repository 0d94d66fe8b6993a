"""The receivables, payables and VAT reports as tables (core.exports.TabularReport) for the files and
the report screens. Figures come from accounting.reports_partners; this only lays them out, the way
accounting.report_tables does for the ledger reports."""

from django.utils.translation import gettext as _

from tessera.core.exports import DATE, MONEY, TEXT, ReportColumn, TabularReport

from .report_tables import _common, _period
from .reports_partners import BUCKETS, AgedReport, PartnerStatement, VatReturn


def bucket_labels() -> dict[str, str]:
    return {"not_due": _("Not due"), "days_0_30": _("0–30 days"), "days_31_60": _("31–60 days"),
            "days_61_90": _("61–90 days"), "days_91_120": _("91–120 days"), "days_over_120": _("Over 120 days")}


def aged_columns() -> list[ReportColumn]:
    labels = bucket_labels()
    return [ReportColumn("partner_code", _("Code")), ReportColumn("partner_name", _("Partner")),
            *[ReportColumn(bucket, labels[bucket], MONEY) for bucket in BUCKETS],
            ReportColumn("total", _("Total"), MONEY)]


def aged_table(report: AgedReport) -> TabularReport:
    """One row per partner with an open balance; the totals equal the control accounts' balance."""
    receivable = report.side == "receivable"
    title = _("Aged receivables") if receivable else _("Aged payables")
    stem = "aged-receivables" if receivable else "aged-payables"
    common = _common(report.company)
    common["parameters"].append((_("Aging"), _("by due date, oldest items settled first")))
    return TabularReport(
        title=title, subtitle=_("As of %(date)s") % {"date": report.as_of.isoformat()},
        columns=aged_columns(), rows=list(report.rows), totals={"partner_code": _("Total"), **report.totals},
        filename=f"{stem}-{report.company.code}-{report.as_of:%Y%m%d}", landscape=True, **common,
    )


def partner_statement_columns() -> list[ReportColumn]:
    return [ReportColumn("date", _("Date"), DATE), ReportColumn("number", _("Entry")),
            ReportColumn("reference", _("Reference")), ReportColumn("description", _("Description")),
            ReportColumn("due_on", _("Due date"), DATE), ReportColumn("debit", _("Debit"), MONEY),
            ReportColumn("credit", _("Credit"), MONEY), ReportColumn("balance", _("Balance"), MONEY, blank_zero=False)]


def partner_statement_table(report: PartnerStatement) -> TabularReport:
    """Opening balance, each posted line with the running balance, then period totals and closing."""
    partner = report.partner
    rows = [{"description": _("Opening balance"), "balance": report.opening, "_strong": True}, *report.lines]
    totals = {"description": _("Period total and closing balance"), "debit": report.total_debit,
              "credit": report.total_credit, "balance": report.closing}
    common = _common(report.company)
    common["parameters"] += [(_("Partner"), f"{partner.code} {partner.name}"),
                             (_("Account"), _("Receivable") if report.side == "receivable" else _("Payable"))]
    return TabularReport(
        title=_("Partner statement"),
        subtitle=f"{partner.code} {partner.name} · {_period(report.date_from, report.date_to)}",
        columns=partner_statement_columns(), rows=rows, totals=totals, landscape=True,
        filename=f"partner-statement-{report.company.code}-{partner.code}-{report.side}-"
                 f"{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}",
        **common,
    )


def vat_return_columns() -> list[ReportColumn]:
    return [ReportColumn("label", _("Item"), TEXT, width="40%"), ReportColumn("code", _("Account")),
            ReportColumn("rate", _("Rate %"), TEXT), ReportColumn("base", _("Taxable base"), MONEY),
            ReportColumn("amount", _("Tax"), MONEY, blank_zero=False)]


def vat_return_table(report: VatReturn) -> TabularReport:
    """Output VAT then input VAT: per account its movement, under it the taxes of the posted invoices
    (rate, base, tax) and other entries; then the totals and what is payable or carried forward."""
    headings = {"output": (_("Output VAT"), _("Total output VAT"), report.output_vat),
                "input": (_("Input VAT"), _("Total input VAT"), report.input_vat)}
    rows = []
    for section, (heading, total_label, total) in headings.items():
        rows.append({"label": heading, "_heading": True})
        for row in (row for row in report.rows if row["section"] == section):
            account = row["kind"] == "account"
            rows.append({"key": f"{section}_{row['kind']}_{row['account']}_{row['tax'] or ''}",
                         "label": row["name"], "code": row["code"] if account else "",
                         "rate": "" if row["rate"] is None else f"{row['rate']:.2f}", "base": row["base"],
                         "amount": row["amount"], "account": row["account"] if account else None,
                         "_level": 0 if account else 1})
        rows.append({"key": f"total_{section}", "label": total_label, "amount": total, "_strong": True})
    if report.net >= 0:
        totals = {"label": _("VAT payable"), "amount": report.payable}
    else:
        totals = {"label": _("Credit carried forward"), "amount": report.carried_forward}
    return TabularReport(
        title=_("VAT return"), subtitle=_period(report.date_from, report.date_to), columns=vat_return_columns(),
        rows=rows, totals=totals,
        filename=f"vat-return-{report.company.code}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}",
        notes=[_("Output VAT: credit less debit on the output VAT accounts; input VAT: debit less credit on the "
                 "input VAT accounts. Taxable bases come from the posted invoices.")],
        **_common(report.company),
    )

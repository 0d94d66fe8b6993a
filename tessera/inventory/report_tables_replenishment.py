"""The replenishment list as a table (core.exports.TabularReport) for CSV/XLSX/PDF files and the screen."""

from django.utils.translation import gettext as _

from tessera.core.exports import DATE, NUMBER, ReportColumn, TabularReport


def replenishment_table(company, rows: list[dict]) -> TabularReport:
    columns = [ReportColumn("warehouse", _("Warehouse")), ReportColumn("sku", _("SKU")),
               ReportColumn("product", _("Product")), ReportColumn("available", _("Available"), NUMBER),
               ReportColumn("incoming", _("Incoming"), NUMBER), ReportColumn("forecast", _("Forecast"), NUMBER),
               ReportColumn("min_quantity", _("Minimum"), NUMBER), ReportColumn("max_quantity", _("Maximum"), NUMBER),
               ReportColumn("quantity", _("To order"), NUMBER), ReportColumn("uom", _("Unit")),
               ReportColumn("supplier", _("Supplier")), ReportColumn("lead_days", _("Lead time (days)"), NUMBER),
               ReportColumn("arrives_on", _("Arrives on"), DATE)]
    table_rows = [{"warehouse": row["warehouse"].code, "sku": row["product"].sku, "product": row["product"].name,
                   "available": row["available"].normalize(), "incoming": row["incoming"].normalize(),
                   "forecast": row["forecast"].normalize(), "min_quantity": row["min_quantity"].normalize(),
                   "max_quantity": row["max_quantity"].normalize(), "quantity": row["quantity"].normalize(),
                   "uom": row["uom"].short_name, "supplier": row["supplier"].name if row["supplier"] else "",
                   "lead_days": row["lead_days"], "arrives_on": row["arrives_on"]} for row in rows]
    return TabularReport(title=_("Replenishment"), columns=columns, rows=table_rows, company=company.name,
                         parameters=[(_("Company"), company.code)], filename=f"replenishment-{company.code}",
                         landscape=True)

"""The inventory valuation reports as tables (core.exports.TabularReport): what the CSV, XLSX and PDF files
and the report screens show. The figures come from inventory.reports; this only lays them out."""

from django.utils.translation import gettext as _

from tessera.core.exports import DATE, MONEY, NUMBER, ReportColumn, TabularReport

from .reports import ProductLayers, SlowMoving, Valuation

QUANTITY = NUMBER


def _common(company) -> dict:
    return {"company": company.name,
            "parameters": [(_("Company"), company.code), (_("Currency"), company.base_currency.code)]}


def _as_of(day) -> str:
    return _("As of %(date)s") % {"date": day.isoformat()}


def valuation_columns(report: Valuation) -> list[ReportColumn]:
    if report.group == "category":
        return [ReportColumn("category_name", _("Category")), ReportColumn("products", _("Products"), NUMBER),
                ReportColumn("value", _("Value"), MONEY, blank_zero=False)]
    if report.group == "warehouse":
        return [ReportColumn("warehouse_name", _("Warehouse")), ReportColumn("products", _("Products"), NUMBER),
                ReportColumn("value", _("Value"), MONEY, blank_zero=False)]
    columns = [ReportColumn("sku", _("SKU")), ReportColumn("name", _("Product")),
               ReportColumn("category_name", _("Category"))]
    if report.warehouse is not None:
        columns.append(ReportColumn("warehouse_name", _("Warehouse")))
    return columns + [ReportColumn("quantity", _("Quantity"), QUANTITY), ReportColumn("uom", _("Unit")),
                      ReportColumn("unit_cost", _("Unit cost"), NUMBER),
                      ReportColumn("value", _("Value"), MONEY, blank_zero=False)]


def valuation_table(report: Valuation) -> TabularReport:
    """Rows per product (or category, warehouse), the total, and under it the ledger comparison."""
    first = valuation_columns(report)[0].key
    totals = {first: _("Total"), "value": report.totals["value"]}
    common = _common(report.company)
    if report.category is not None:
        common["parameters"].append((_("Category"), str(report.category)))
    if report.warehouse is not None:
        common["parameters"].append((_("Warehouse"), str(report.warehouse)))
    notes = []
    if report.ledger_balance is not None:
        for account in report.accounts:
            notes.append(_("Account %(code)s %(name)s: balance %(balance)s")
                         % {"code": account["code"], "name": account["name"], "balance": f"{account['balance']:,.2f}"})
        notes.append(_("Inventory accounts in the ledger: %(balance)s; difference to the valuation: %(difference)s")
                     % {"balance": f"{report.ledger_balance:,.2f}", "difference": f"{report.difference:,.2f}"})
    return TabularReport(
        title=_("Inventory valuation"), subtitle=_as_of(report.as_of), columns=valuation_columns(report),
        rows=[{**row, "quantity": row["quantity"].normalize() if report.group == "product" else row["quantity"]}
              for row in report.rows],
        totals=totals, notes=notes, filename=f"inventory-valuation-{report.company.code}-{report.as_of:%Y%m%d}",
        **common)


def layers_columns() -> list[ReportColumn]:
    return [ReportColumn("date", _("Date"), DATE), ReportColumn("kind_display", _("Kind")),
            ReportColumn("reference", _("Reference")),
            ReportColumn("description", _("Description")), ReportColumn("quantity", _("Quantity"), QUANTITY),
            ReportColumn("unit_cost", _("Unit cost"), NUMBER), ReportColumn("value", _("Value"), MONEY),
            ReportColumn("remaining_quantity", _("Remaining"), QUANTITY),
            ReportColumn("remaining_value", _("Remaining value"), MONEY),
            ReportColumn("running_quantity", _("Quantity on hand"), QUANTITY),
            ReportColumn("running_value", _("Stock value"), MONEY, blank_zero=False),
            ReportColumn("entry_number", _("Entry"))]


def layers_table(report: ProductLayers) -> TabularReport:
    product = report.product
    rows = [{**row, **{key: row[key].normalize() for key in ("quantity", "remaining_quantity", "running_quantity")}}
            for row in report.rows]
    return TabularReport(
        title=_("Valuation layers"), subtitle=f"[{product.sku}] {product.display_name}"
        + (f" · {_as_of(report.as_of)}" if report.as_of else ""),
        columns=layers_columns(), rows=rows,
        totals={"date": _("Total"), "running_quantity": report.quantity.normalize(), "running_value": report.value},
        filename=f"valuation-layers-{report.company.code}-{product.sku}", landscape=True,
        **_common(report.company))


def slow_moving_columns() -> list[ReportColumn]:
    return [ReportColumn("sku", _("SKU")), ReportColumn("name", _("Product")),
            ReportColumn("category_name", _("Category")), ReportColumn("quantity", _("Quantity"), QUANTITY),
            ReportColumn("uom", _("Unit")), ReportColumn("value", _("Value"), MONEY, blank_zero=False),
            ReportColumn("last_delivery", _("Last delivery"), DATE),
            ReportColumn("days_since_delivery", _("Days since delivery"), NUMBER),
            ReportColumn("last_movement", _("Last movement"), DATE),
            ReportColumn("days_since_movement", _("Days since movement"), NUMBER),
            ReportColumn("status_label", _("Status"))]


def status_label(status: str) -> str:
    return _("Dead stock") if status == "dead" else _("Slow-moving")


def slow_moving_table(report: SlowMoving) -> TabularReport:
    rows = [{**row, "quantity": row["quantity"].normalize(), "status_label": status_label(row["status"]),
             "last_delivery": row["last_delivery"] or _("never")} for row in report.rows]
    common = _common(report.company)
    common["parameters"].append((_("No delivery for at least"), _("%(days)s days") % {"days": report.days}))
    if report.category is not None:
        common["parameters"].append((_("Category"), str(report.category)))
    return TabularReport(
        title=_("Slow-moving and dead stock"), subtitle=_as_of(report.as_of), columns=slow_moving_columns(),
        rows=rows, totals={"sku": _("Total"), "value": report.totals["value"]}, landscape=True,
        notes=[_("Dead stock (no movement at all for %(days)s days): %(value)s")
               % {"days": report.days, "value": f"{report.totals['dead_value']:,.2f}"}],
        filename=f"slow-moving-{report.company.code}-{report.as_of:%Y%m%d}", **common)

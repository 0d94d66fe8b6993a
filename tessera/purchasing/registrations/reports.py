"""Purchasing reports: their menu entries and the purchasing home card (open orders, waiting for approval,
late receipts, bills to match, this month's purchases) for whoever may see purchase orders — the
purchasing manager's overview."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.menu import MenuEntry, Module, register
from tessera.core.permissions import check

from ..reports import REPORT_PERMISSION


def purchasing_card(request, company):
    """The purchasing overview: open orders, and what needs attention."""
    if company is None or not check(request.user, REPORT_PERMISSION, company):
        return None
    from ..reports import dashboard

    figures = dashboard(company, timezone.localdate())
    return {"title": _("Purchasing"), "value": _("%(count)s open orders") % {"count": figures["open_orders"]},
            "lines": [_("Waiting for approval: %(count)s") % {"count": figures["waiting_approval"]},
                      _("Late receipts: %(count)s") % {"count": figures["late_lines"]},
                      _("Lines to bill: %(lines)s; bills with a mismatch: %(bills)s")
                      % {"lines": figures["lines_to_bill"], "bills": figures["mismatched_bills"]},
                      _("Purchases this month: %(amount)s %(currency)s")
                      % {"amount": f"{figures['this_month_base']:,.2f}", "currency": figures["currency"]}],
            "url": reverse("purchasing:dashboard")}


def supplier_performance_card(request, company):
    """This year's supplier figures: on-time rate, average delay, price variance, quality returns."""
    if company is None or not check(request.user, REPORT_PERMISSION, company):
        return None
    from ..reports import supplier_performance

    today = timezone.localdate()
    totals = supplier_performance(company, today.replace(month=1, day=1), today).totals
    if not totals["lines_received"] and not totals["billed_base"]:
        return None
    dash = "–"
    return {"title": _("Supplier performance this year"),
            "value": _("%(rate)s %% on time") % {"rate": totals["on_time_rate"] if totals["on_time_rate"] is not None
                                                  else dash},
            "lines": [_("Average delay: %(days)s days") % {"days": totals["average_delay"] or 0},
                      _("Price variance: %(amount)s %(currency)s (%(percent)s %%)")
                      % {"amount": f"{totals['price_variance']:,.2f}", "currency": company.base_currency.code,
                         "percent": totals["price_variance_percent"] if totals["price_variance_percent"] is not None
                         else dash},
                      _("Quality returns: %(rate)s %%") % {"rate": totals["quality_return_rate"]
                                                          if totals["quality_return_rate"] is not None else dash}],
            "url": reverse("purchasing:report_supplier_performance")}


register(Module(
    code="purchasing", name=gettext_lazy("Purchasing"), order=40,
    menu=[
        MenuEntry(gettext_lazy("Purchasing dashboard"), "purchasing:dashboard", REPORT_PERMISSION),
        MenuEntry(gettext_lazy("Open purchase orders"), "purchasing:report_open_orders", REPORT_PERMISSION),
        MenuEntry(gettext_lazy("Receipts pending"), "purchasing:report_receipts_pending", REPORT_PERMISSION),
        MenuEntry(gettext_lazy("Unbilled receipts and mismatches"), "purchasing:report_bills_to_match",
                  REPORT_PERMISSION),
        MenuEntry(gettext_lazy("Supplier performance"), "purchasing:report_supplier_performance", REPORT_PERMISSION),
        MenuEntry(gettext_lazy("Purchase analysis"), "purchasing:report_analysis", REPORT_PERMISSION),
    ],
    cards=[purchasing_card, supplier_performance_card],
))

"""Reorder rules (list, create, edit, delete) and the replenishment screen: what to order now per warehouse,
with CSV/XLSX/PDF export. Writes go through services.replenishment."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from tessera.core.exports import export_response
from tessera.core.views.generic import Column, CreateView, DeleteView, ListView, Screen, UpdateView, form_data

from ..models import ReorderRule, Warehouse
from ..report_tables_replenishment import replenishment_table
from ..services.replenishment import (
    reorder_rule_create,
    reorder_rule_delete,
    reorder_rule_update,
    replenishment_rows,
)
from .common import CompanyForm, CompanyFormKwargs, Inventory


class ReorderRuleForm(CompanyForm):
    class Meta:
        model = ReorderRule
        fields = ["product", "warehouse", "min_quantity", "max_quantity", "multiple", "supplier", "lead_days",
                  "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = self.fields["product"].queryset.filter(type="stock").order_by("sku")
        self.fields["supplier"].queryset = self.fields["supplier"].queryset.filter(is_supplier=True)


class RuleScreen(Inventory):
    model = ReorderRule

    def get_queryset(self):
        return super().get_queryset().select_related("product", "warehouse", "supplier")


class ReorderRuleListView(RuleScreen, ListView):
    columns = [Column("product", sort="product__sku", link=True), Column("warehouse", sort="warehouse__code"),
               "min_quantity", "max_quantity", "multiple", Column("supplier", sort="supplier__name"), "lead_days",
               "is_active"]
    search_fields = ["product__sku", "product__name"]
    ordering = ["warehouse__code", "product__sku"]

    def url(self, kind, obj=None):
        return super().url("update" if kind == "detail" else kind, obj)


class ReorderRuleCreateView(RuleScreen, CompanyFormKwargs, CreateView):
    form_class = ReorderRuleForm

    def perform(self, form):
        return reorder_rule_create(actor=self.request.user, company=self.company, data=form_data(form))

    def get_success_url(self, obj):
        return reverse("inventory:reorderrule_list")


class ReorderRuleUpdateView(RuleScreen, CompanyFormKwargs, UpdateView):
    form_class = ReorderRuleForm

    def perform(self, form):
        return reorder_rule_update(actor=self.request.user, rule=self.object, data=form_data(form))

    def get_success_url(self, obj):
        return reverse("inventory:reorderrule_list")


class ReorderRuleDeleteView(RuleScreen, DeleteView):
    def perform(self, obj):
        reorder_rule_delete(actor=self.request.user, rule=obj)


class ReplenishmentView(Inventory, Screen):
    """What to order now: rules whose forecast is below the minimum; `?warehouse=`, `?export=csv|xlsx|pdf`."""

    model = ReorderRule
    template_name = "inventory/replenishment.html"
    title = gettext_lazy("Replenishment")

    def get(self, request, *args, **kwargs):
        warehouses = Warehouse.objects.filter(company=self.company, is_active=True).order_by("code")
        chosen = request.GET.get("warehouse", "")
        warehouse = warehouses.filter(pk=chosen).first() if chosen.isdigit() else None
        rows = replenishment_rows(self.company, warehouse)
        export = request.GET.get("export")
        if export in ("csv", "xlsx", "pdf"):
            return export_response(replenishment_table(self.company, rows), export)
        return self.render({"rows": rows, "warehouses": warehouses, "warehouse": warehouse,
                            "export_formats": [("csv", "CSV"), ("xlsx", "XLSX"), ("pdf", "PDF")]})

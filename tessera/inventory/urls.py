"""The web UI of inventory (mounted at /inventory/)."""

from django.urls import path

from tessera.core.views.generic import screen_urls as screens

from .views import adjustments, locations, lots, moves, replenishment, stock, stock_report, transfers, warehouses
from .views import valuation as valuation_views

app_name = "inventory"

urlpatterns = [
    path("stock/", stock.StockView.as_view(), name="stock"),
    path("stock/card/", stock.StockCardView.as_view(), name="stock_card"),
    path("stock/by-warehouse/", stock_report.StockByWarehouseView.as_view(), name="stock_by_warehouse"),
    path("valuation/", valuation_views.ValuationView.as_view(), name="valuation"),
    path("valuation/layers/", valuation_views.ValuationLayersView.as_view(), name="valuation_layers"),
    path("reports/slow-moving/", valuation_views.SlowMovingView.as_view(), name="report_slow_moving"),
    *screens("moves/", "stockmove", list_view=moves.MoveListView, detail=moves.MoveDetailView),
    *screens("warehouses/", "warehouse", list_view=warehouses.WarehouseListView,
             detail=warehouses.WarehouseDetailView, create=warehouses.WarehouseCreateView,
             update=warehouses.WarehouseUpdateView),
    path("warehouses/<int:pk>/archive/", warehouses.WarehouseArchiveView.as_view(), name="warehouse_archive"),
    path("warehouses/<int:pk>/restore/", warehouses.WarehouseRestoreView.as_view(), name="warehouse_restore"),
    *screens("locations/", "location", list_view=locations.LocationListView, detail=locations.LocationDetailView,
             create=locations.LocationCreateView, update=locations.LocationUpdateView,
             delete=locations.LocationDeleteView),
    *screens("adjustments/", "adjustment", list_view=adjustments.AdjustmentListView,
             detail=adjustments.AdjustmentDetailView, create=adjustments.AdjustmentCreateView),
    path("adjustments/<int:pk>/count/", adjustments.AdjustmentCountView.as_view(), name="adjustment_count"),
    path("adjustments/<int:pk>/post/", adjustments.AdjustmentPostView.as_view(), name="adjustment_post"),
    path("adjustments/<int:pk>/cancel/", adjustments.AdjustmentCancelView.as_view(), name="adjustment_cancel"),
    path("adjustments/<int:pk>/print/", adjustments.AdjustmentPrintView.as_view(), name="adjustment_print"),
    *screens("transfers/", "transfer", list_view=transfers.TransferListView, detail=transfers.TransferDetailView,
             create=transfers.TransferCreateView, update=transfers.TransferUpdateView),
    *[path(f"transfers/<int:pk>/{name}/", view.as_view(), name=f"transfer_{name}") for name, view in (
        ("confirm", transfers.TransferConfirmView), ("ship", transfers.TransferShipView),
        ("done", transfers.TransferDoneView), ("cancel", transfers.TransferCancelView))],
    path("replenishment/", replenishment.ReplenishmentView.as_view(), name="replenishment"),
    *screens("reorder-rules/", "reorderrule", list_view=replenishment.ReorderRuleListView,
             create=replenishment.ReorderRuleCreateView, update=replenishment.ReorderRuleUpdateView,
             delete=replenishment.ReorderRuleDeleteView),
    *screens("lots/", "lot", list_view=lots.LotListView, detail=lots.LotDetailView, create=lots.LotCreateView,
             update=lots.LotUpdateView),
]

"""Mounted at /api/v1/inventory/: warehouses, locations, lots, stock rows and the stock ledger (moves)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import valuation
from .adjustments import AdjustmentViewSet
from .replenishment import ReorderRuleViewSet, ReplenishmentView
from .transfers import TransferViewSet
from .views import LocationViewSet, LotViewSet, MoveViewSet, StockView, WarehouseViewSet

router = SimpleRouter()
router.register("warehouses", WarehouseViewSet, basename="warehouse")
router.register("locations", LocationViewSet, basename="location")
router.register("lots", LotViewSet, basename="lot")
router.register("moves", MoveViewSet, basename="stockmove")
router.register("adjustments", AdjustmentViewSet, basename="adjustment")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("reorder-rules", ReorderRuleViewSet, basename="reorderrule")

urlpatterns = [
    path("stock/", StockView.as_view(), name="stock"),
    path("replenishment/", ReplenishmentView.as_view(), name="replenishment"),
    path("valuation/", valuation.ValuationView.as_view(), name="valuation"),
    path("valuation/layers/", valuation.ValuationLayersView.as_view(), name="valuation_layers"),
    path("reports/slow-moving/", valuation.SlowMovingView.as_view(), name="report_slow_moving"),
    *router.urls,
]

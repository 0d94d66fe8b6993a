"""Mounted at /api/v1/inventory/: warehouses, locations, lots, stock rows and the stock ledger (moves)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import LocationViewSet, LotViewSet, MoveViewSet, StockView, WarehouseViewSet

router = SimpleRouter()
router.register("warehouses", WarehouseViewSet, basename="warehouse")
router.register("locations", LocationViewSet, basename="location")
router.register("lots", LotViewSet, basename="lot")
router.register("moves", MoveViewSet, basename="stockmove")

urlpatterns = [
    path("stock/", StockView.as_view(), name="stock"),
    *router.urls,
]

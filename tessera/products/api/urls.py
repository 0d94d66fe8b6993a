"""Mounted at /api/v1/products/: the product collection is the root; categories, units and unit categories
beside it."""

from rest_framework.routers import SimpleRouter

from .views import ProductCategoryViewSet, ProductViewSet, UomCategoryViewSet, UomViewSet

router = SimpleRouter()
# The sub-collections first: their URLs must be tried before the product item route `<id>/`.
router.register("categories", ProductCategoryViewSet, basename="productcategory")
router.register("uom-categories", UomCategoryViewSet, basename="uomcategory")
router.register("uoms", UomViewSet, basename="uom")
router.register("", ProductViewSet, basename="product")

urlpatterns = router.urls

"""The web UI of products (mounted at /products/): products, product categories, units of measure."""

from django.urls import path

from tessera.core.views.generic import screen_urls as screens

from .views import categories, products, units

app_name = "products"

urlpatterns = [
    *screens("categories/", "productcategory", list_view=categories.CategoryListView,
             detail=categories.CategoryDetailView, create=categories.CategoryCreateView,
             update=categories.CategoryUpdateView, delete=categories.CategoryDeleteView),
    path("uoms/convert/", units.UomConvertView.as_view(), name="uom_convert"),
    path("uoms/install/", units.UomInstallView.as_view(), name="uom_install"),
    *screens("uoms/", "uom", list_view=units.UomListView, detail=units.UomDetailView, create=units.UomCreateView,
             update=units.UomUpdateView, delete=units.UomDeleteView),
    *screens("uom-categories/", "uomcategory", list_view=units.UomCategoryListView,
             detail=units.UomCategoryDetailView, create=units.UomCategoryCreateView,
             update=units.UomCategoryUpdateView, delete=units.UomCategoryDeleteView),
    path("scan/", products.ProductScanView.as_view(), name="product_scan"),
    path("<int:pk>/deactivate/", products.ProductDeactivateView.as_view(), name="product_deactivate"),
    path("<int:pk>/activate/", products.ProductActivateView.as_view(), name="product_activate"),
    *screens("", "product", list_view=products.ProductListView, detail=products.ProductDetailView,
             create=products.ProductCreateView, update=products.ProductUpdateView, delete=products.ProductDeleteView),
]

"""The web UI of products (mounted at /products/)."""

app_name = "products"

urlpatterns: list = []

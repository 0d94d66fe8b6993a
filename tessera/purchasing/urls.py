"""The web UI of purchasing (mounted at /purchasing/): each area's `views/<area>.py` lists its `urlpatterns`."""

from .areas import area_modules

app_name = "purchasing"

urlpatterns = [pattern for module in area_modules("views") for pattern in getattr(module, "urlpatterns", [])]

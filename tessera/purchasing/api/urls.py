"""Mounted at /api/v1/purchasing/ (API.md): each area's `api/<area>.py` has `register(router)` for its
viewsets and may list plain `urlpatterns`."""

from rest_framework.routers import SimpleRouter

from ..areas import area_modules

router = SimpleRouter()
extra = []
for _module in area_modules("api"):
    if hasattr(_module, "register"):
        _module.register(router)
    extra.extend(getattr(_module, "urlpatterns", []))

urlpatterns = [*extra, *router.urls]

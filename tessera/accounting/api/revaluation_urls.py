"""Exchange revaluations at /api/v1/accounting/revaluations/ (views in revaluation.py)."""

from rest_framework.routers import SimpleRouter

from .revaluation import RevaluationViewSet

router = SimpleRouter()
router.register("revaluations", RevaluationViewSet, basename="revaluation")

urlpatterns = router.urls

"""The bank API at /api/v1/accounting/: bank-accounts/, bank-statements/, bank-statement-lines/ (views in bank.py)."""

from rest_framework.routers import SimpleRouter

from .bank import BankAccountViewSet, BankStatementLineViewSet, BankStatementViewSet

router = SimpleRouter()
router.register("bank-accounts", BankAccountViewSet, basename="bankaccount")
router.register("bank-statements", BankStatementViewSet, basename="bankstatement")
router.register("bank-statement-lines", BankStatementLineViewSet, basename="bankstatementline")

urlpatterns = router.urls

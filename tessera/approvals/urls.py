"""The web UI of approvals (mounted at /approvals/)."""

from django.urls import path

from tessera.core.views.generic import screen_urls as screens
from tessera.core.views.lines import line_urls

from .views import delegations, requests, rules

app_name = "approvals"

urlpatterns = [
    path("inbox/", requests.InboxView.as_view(), name="inbox"),
    path("submit/", requests.SubmitView.as_view(), name="submit"),
    *screens("requests/", "approvalrequest", list_view=requests.RequestListView, detail=requests.RequestDetailView),
    path("requests/<int:pk>/approve/", requests.ApproveView.as_view(), name="approvalrequest_approve"),
    path("requests/<int:pk>/reject/", requests.RejectView.as_view(), name="approvalrequest_reject"),
    path("requests/<int:pk>/withdraw/", requests.WithdrawView.as_view(), name="approvalrequest_withdraw"),
    *screens("rules/", "approvalrule", list_view=rules.RuleListView, detail=rules.RuleDetailView,
             create=rules.RuleCreateView, update=rules.RuleUpdateView, delete=rules.RuleDeleteView),
    *line_urls("rules/<int:parent_pk>/conditions/", rules.ConditionLinesView, "rule_conditions"),
    *line_urls("rules/<int:parent_pk>/steps/", rules.StepLinesView, "rule_steps"),
    *screens("delegations/", "delegation", list_view=delegations.DelegationListView,
             detail=delegations.DelegationDetailView, create=delegations.DelegationCreateView,
             update=delegations.DelegationUpdateView, delete=delegations.DelegationDeleteView),
]

"""The exchange revaluation screens, mounted by accounting/urls.py at /accounting/revaluations/ (names in the
`accounting` namespace: accounting:revaluation_list, _create, _detail, _cancel)."""

from django.urls import path

from tessera.core.views.generic import screen_urls

from .views import revaluation as views

urlpatterns = [
    *screen_urls("", "revaluation", list_view=views.RevaluationListView, detail=views.RevaluationDetailView,
                 create=views.RevaluationCreateView),
    path("<int:pk>/cancel/", views.RevaluationCancelView.as_view(), name="revaluation_cancel"),
]

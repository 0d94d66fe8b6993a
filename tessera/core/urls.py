"""The web UI of core: set-up screens under /settings/, the shell's company switch, one's own account."""

from django.urls import path

from .views import account, activity, attachments, companies, logs, notifications, roles, setup, shell, users, webhooks
from .views.generic import screen_urls as screens
from .views.lines import line_urls

app_name = "core"


urlpatterns = [
    path("company/switch/", shell.company_switch, name="company_switch"),
    path("attachments/<int:content_type>/<str:object_id>/", attachments.AttachmentPaneView.as_view(),
         name="attachment_pane"),
    path("attachments/file/<int:pk>/", attachments.AttachmentFileView.as_view(), name="attachment_file"),
    path("attachments/file/<int:pk>/remove/", attachments.AttachmentDeleteView.as_view(), name="attachment_remove"),
    path("activity/<int:content_type>/<str:object_id>/", activity.ActivityPaneView.as_view(), name="activity_pane"),
    path("activity/<int:content_type>/<str:object_id>/follow/", activity.ActivityFollowView.as_view(),
         name="activity_follow"),
    path("activity/<int:content_type>/<str:object_id>/mentions/", activity.ActivityMentionsView.as_view(),
         name="activity_mentions"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notification_list"),
    path("notifications/count/", notifications.notification_count, name="notification_count"),
    path("notifications/menu/", notifications.NotificationMenuView.as_view(), name="notification_menu"),
    path("notifications/read-all/", notifications.NotificationReadAllView.as_view(), name="notification_read_all"),
    path("notifications/settings/", notifications.NotificationPreferencesView.as_view(),
         name="notification_preferences"),
    path("notifications/<int:pk>/", notifications.NotificationOpenView.as_view(), name="notification_open"),
    path("notifications/<int:pk>/read/", notifications.NotificationReadView.as_view(), name="notification_read"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", account.TokenListView.as_view(), name="token_list"),
    path("account/tokens/<int:pk>/revoke/", account.TokenRevokeView.as_view(), name="token_revoke"),
    *screens("settings/companies/", "company", list_view=companies.CompanyListView,
             detail=companies.CompanyDetailView, create=companies.CompanyCreateView,
             update=companies.CompanyUpdateView),
    path("settings/companies/<int:pk>/modules/", companies.CompanyModulesView.as_view(), name="company_modules"),
    path("settings/modules/", companies.CompanyModulesView.as_view(), name="module_list"),
    *screens("settings/users/", "user", list_view=users.UserListView, detail=users.UserDetailView,
             create=users.UserCreateView, update=users.UserUpdateView),
    path("settings/users/<int:pk>/password/", users.UserPasswordResetView.as_view(), name="user_password"),
    path("settings/users/<int:pk>/access/", users.UserAccessView.as_view(), name="user_access"),
    *screens("settings/roles/", "role", list_view=roles.RoleListView, detail=roles.RoleDetailView,
             create=roles.RoleCreateView, delete=roles.RoleDeleteView),
    path("settings/permissions/", roles.PermissionMatrixView.as_view(), name="permission_matrix"),
    *screens("settings/currencies/", "currency", list_view=setup.CurrencyListView, detail=setup.CurrencyDetailView,
             create=setup.CurrencyCreateView, update=setup.CurrencyUpdateView),
    *line_urls("settings/currencies/<int:parent_pk>/rates/", setup.CurrencyRatesView, "currency_rates"),
    *screens("settings/exchange-rates/", "exchangerate", list_view=setup.ExchangeRateListView),
    *screens("settings/numbering/", "sequence", list_view=setup.SequenceListView, detail=setup.SequenceDetailView,
             create=setup.SequenceCreateView, update=setup.SequenceUpdateView),
    *screens("settings/audit/", "audit", list_view=logs.AuditListView),
    path("settings/audit/export/", logs.AuditExportView.as_view(), name="audit_export"),
    *screens("settings/events/", "event", list_view=logs.EventListView),
    *screens("settings/jobs/", "job", list_view=logs.JobListView, detail=logs.JobDetailView),
    path("settings/jobs/<int:pk>/progress/", logs.JobProgressView.as_view(), name="job_progress"),
    path("settings/jobs/<int:pk>/download/", logs.JobDownloadView.as_view(), name="job_download"),
    *screens("settings/webhooks/deliveries/", "webhookdelivery", list_view=webhooks.DeliveryListView,
             detail=webhooks.DeliveryDetailView),
    path("settings/webhooks/deliveries/<int:pk>/replay/", webhooks.DeliveryReplayView.as_view(),
         name="webhookdelivery_replay"),
    *screens("settings/webhooks/", "webhooksubscription", list_view=webhooks.WebhookListView,
             detail=webhooks.WebhookDetailView, create=webhooks.WebhookCreateView, update=webhooks.WebhookUpdateView,
             delete=webhooks.WebhookDeleteView),
    path("settings/webhooks/<int:pk>/secret/", webhooks.WebhookSecretView.as_view(), name="webhooksubscription_secret"),
]

"""The notification bell, the notifications page and each user's notification preferences.

Every signed-in user reaches these; each sees only their own notifications (services.notifications
scopes them to the user and the company worked in). The bell's count is polled by htmx every 30
seconds with one indexed count.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Notification
from ..services import notifications as service
from .generic import Screen, is_htmx

MENU_SIZE = 8


class NotificationScreen(Screen):
    """Any signed-in user: their own notifications, no permission of a role needed."""

    model = Notification
    title = gettext_lazy("Notifications")

    def get_permission(self):
        return None

    def get_breadcrumbs(self, obj=None) -> list:
        return [(str(_("Notifications")), reverse("core:notification_list"))]

    def notifications(self):
        return service.notification_list(self.request.user, self.company)

    def get_object(self):
        return service.notification_get(user=self.request.user, company=self.company, pk=self.kwargs["pk"])


class NotificationListView(NotificationScreen):
    """All of them, newest first, with a filter for the unread ones and "mark all read"."""

    template_name = "core/notifications/list.html"

    def get(self, request, *args, **kwargs):
        unread_only = request.GET.get("show") == "unread"
        queryset = self.notifications().select_related("company")
        if unread_only:
            queryset = queryset.filter(read_at__isnull=True)
        page = Paginator(queryset, 30).get_page(request.GET.get("page"))
        return self.render({"page_obj": page, "notifications": list(page), "unread_only": unread_only,
                            "unread_count": service.notification_unread_count(request.user, self.company)})


def notification_count(request):
    """The bell's badge alone, polled every 30 seconds by every open page: one count query, no menu, and
    the session is left as it is (a page left open must not defeat the idle timeout)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    count = service.notification_unread_count(request.user, getattr(request, "company", None))
    response = HttpResponse(render_to_string("core/notifications/_count.html", {"notification_count": count}))
    request.session = _UNTOUCHED  # SessionMiddleware saves nothing for a request without a usable session
    response["Cache-Control"] = "no-store"
    return response


class _Untouched:
    """Stands in for the session after the count is read: it has no `accessed`, so Django's
    SessionMiddleware leaves the session (and its expiry) alone."""


_UNTOUCHED = _Untouched()


class NotificationMenuView(NotificationScreen):
    """The bell's drop-down: the latest notifications, unread first."""

    def get(self, request, *args, **kwargs):
        latest = list(self.notifications().order_by("read_at", "-created_at", "-pk")[:MENU_SIZE])
        return self.render({"notifications": latest,
                            "notification_count": service.notification_unread_count(request.user, self.company)},
                           "core/notifications/_menu.html")


class NotificationOpenView(NotificationScreen):
    """Mark read, then go where the notification points (a page of this site only)."""

    def get(self, request, *args, **kwargs):
        notification = service.notification_mark_read(actor=request.user, notification=self.get_object())
        target = notification.url
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                      require_https=request.is_secure()):
            return redirect(target)
        return redirect("core:notification_list")


class NotificationReadView(NotificationScreen):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        notification = service.notification_mark_read(actor=request.user, notification=self.get_object())
        if is_htmx(request):
            response = self.render({"notification": notification}, "core/notifications/_item.html")
            response["HX-Trigger"] = "notifications-changed"
            return response
        return redirect(request.META.get("HTTP_REFERER") or reverse("core:notification_list"))


class NotificationReadAllView(NotificationScreen):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        service.notification_mark_all_read(actor=request.user, company=self.company)
        return redirect(reverse("core:notification_list"))


class NotificationPreferencesView(NotificationScreen):
    """One row per kind of notification: in Tessera and/or by e-mail."""

    template_name = "core/notifications/preferences.html"
    title = gettext_lazy("Notification settings")

    def get(self, request, *args, **kwargs):
        return self.render({"preferences": service.notification_preferences(request.user),
                            "has_email": bool(request.user.email)})

    def post(self, request, *args, **kwargs):
        choices = {row["kind"]: (f"in_app:{row['kind']}" in request.POST, f"email:{row['kind']}" in request.POST)
                   for row in service.notification_preferences(request.user)}
        service.notification_preferences_save(actor=request.user, choices=choices)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("core:notification_preferences")

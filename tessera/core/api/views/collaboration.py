"""Notifications, notification preferences and webhooks in the API (API.md `core/notifications/`,
`core/notification-preferences/`, `core/webhooks/`).

Notifications and preferences are each user's own: any signed-in user, scoped to request.user by the
selectors (another user's notification is a 404). Webhooks need the core webhook permissions
(Administrator).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...errors import NotFound
from ...models import Notification, WebhookAttempt, WebhookDelivery, WebhookSubscription
from ...services import notifications as notification_service
from ...services import webhooks as webhook_service
from ..base import ApiMixin, ModelSerializer, ReadOnlyViewSet, RecordViewSet, Serializer, idempotent
from ..permissions import AUTHENTICATED

# --- Notifications ------------------------------------------------------------------------------


class NotificationSerializer(ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    event = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "company", "event", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text=_("Only unread."))

    class Meta:
        model = Notification
        fields = ["kind"]


COUNT = inline_serializer("UnreadCount", fields={"unread": serializers.IntegerField()})
MARKED = inline_serializer("MarkedRead", fields={"marked": serializers.IntegerField()})


class NotificationViewSet(ReadOnlyViewSet):
    """`core/notifications/`: the signed-in user's notifications in the request's company, newest first."""

    module = "core"
    required_permission = AUTHENTICATED
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "id"]
    company_scoped = False  # the selector scopes: the user's own, in this company or company-less

    def select(self):
        return notification_service.notification_list(self.request.user, self.request.company).select_related(
            "event")

    @extend_schema(request=None, responses={200: NotificationSerializer}, summary="Mark a notification read")
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, pk=None):
        notification = notification_service.notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MARKED}, summary="Mark every notification read")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = notification_service.notification_mark_all_read(actor=request.user, company=request.company)
        return Response({"marked": marked})

    @extend_schema(responses={200: COUNT}, summary="How many notifications are unread (the bell)")
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": notification_service.notification_unread_count(request.user, request.company)})


class PreferenceSerializer(Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    default_email = serializers.BooleanField(read_only=True)
    in_app = serializers.BooleanField(required=False)
    email = serializers.BooleanField(required=False)


class NotificationPreferenceViewSet(ApiMixin, viewsets.GenericViewSet):
    """`core/notification-preferences/`: every notification kind with how the user wants it;
    `PATCH core/notification-preferences/<kind>/` with `in_app` and/or `email` changes one."""

    module = "core"
    required_permission = AUTHENTICATED
    serializer_class = PreferenceSerializer
    pagination_class = None
    lookup_field = "kind"
    lookup_value_regex = r"[a-z0-9_.]+"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):  # the schema generator asks; preferences are not a model queryset
        return Notification.objects.none()

    def _row(self, kind):
        row = next((row for row in notification_service.notification_preferences(self.request.user)
                    if row["kind"] == kind), None)
        if row is None:
            raise NotFound(_("Unknown notification kind."))
        return row

    @extend_schema(responses=PreferenceSerializer(many=True))
    def list(self, request):
        return Response(PreferenceSerializer(notification_service.notification_preferences(request.user),
                                             many=True).data)

    @extend_schema(responses=PreferenceSerializer)
    def retrieve(self, request, kind=None):
        return Response(PreferenceSerializer(self._row(kind)).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def partial_update(self, request, kind=None):
        current = self._row(kind)
        serializer = PreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        notification_service.notification_preference_set(
            actor=request.user, kind=kind, in_app=data.get("in_app", current["in_app"]),
            email=data.get("email", current["email"]))
        return Response(PreferenceSerializer(self._row(kind)).data)


# --- Webhooks -----------------------------------------------------------------------------------


class WebhookSerializer(ModelSerializer):
    events = serializers.ListField(child=serializers.CharField(max_length=100), allow_empty=False)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "is_active", "secret", "created_at", "company"]
        read_only_fields = ["id", "secret", "created_at", "company"]


class WebhookAttemptSerializer(ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "at", "response_code", "response_excerpt", "duration_ms", "error", "is_success"]
        read_only_fields = fields


class WebhookDeliverySerializer(ModelSerializer):
    event_name = serializers.CharField(source="event.name", read_only=True)
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "subscription", "event", "event_name", "state", "attempts", "next_attempt_at",
                  "response_code", "response_excerpt", "duration_ms", "error", "created_at", "delivered_at",
                  "replay_of", "attempt_log"]
        read_only_fields = fields


class WebhookViewSet(RecordViewSet):
    """`core/webhooks/`: the company's webhook subscriptions (`events`: names or patterns such as
    `accounting.invoice.*`); `{id}/deliveries/` their log, `{id}/rotate-secret/` a new signing secret."""

    module = "core"
    queryset = WebhookSubscription.objects.all()
    serializer_class = WebhookSerializer
    filterset_fields = ["is_active"]
    search_fields = ["name", "url"]
    ordering_fields = ["name", "created_at", "id"]
    lookup_value_regex = r"[0-9]+"

    def perform_create(self, serializer):
        serializer.instance = webhook_service.webhook_create(actor=self.request.user, company=self.request.company,
                                                             data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = webhook_service.webhook_update(actor=self.request.user, subscription=serializer.instance,
                                                             data=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        webhook_service.webhook_delete(actor=self.request.user, subscription=instance)

    @extend_schema(operation_id="core_webhooks_deliveries_of_webhook", responses=WebhookDeliverySerializer(many=True),
                   summary="The webhook's deliveries, newest first")
    @action(detail=True, methods=["get"], url_path="deliveries", required_permission="core.view_webhookdelivery")
    def deliveries(self, request, pk=None):
        queryset = self.get_object().deliveries.select_related("event").prefetch_related("attempt_log")
        page = self.paginate_queryset(queryset.order_by("-pk"))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: WebhookSerializer}, summary="Replace the signing secret")
    @action(detail=True, methods=["post"], url_path="rotate-secret", required_permission="change")
    def rotate_secret(self, request, pk=None):
        subscription = webhook_service.webhook_rotate_secret(actor=request.user, subscription=self.get_object())
        return Response(self.get_serializer(subscription).data)


class WebhookDeliveryViewSet(ReadOnlyViewSet):
    """`core/webhooks/deliveries/`: the delivery log of the company's webhooks; `{id}/replay/` sends the
    event again (a new delivery)."""

    module = "core"
    queryset = WebhookDelivery.objects.select_related("event").prefetch_related("attempt_log")
    serializer_class = WebhookDeliverySerializer
    filterset_fields = ["state", "subscription", "event"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]

    @extend_schema(request=None, responses={201: WebhookDeliverySerializer}, summary="Send the event again")
    @action(detail=True, methods=["post"], url_path="replay", required_permission="core.add_webhookdelivery")
    @idempotent
    def replay(self, request, pk=None):
        replay = webhook_service.webhook_delivery_replay(actor=request.user, delivery=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=replay.pk)).data, status=201)

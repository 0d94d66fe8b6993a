"""Settings › Webhooks: subscriptions (list, new, edit, delete, new secret) and the delivery log with
each attempt and a replay button. Administrators only (the core webhook permissions)."""

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import errors
from ..models import WebhookDelivery, WebhookSubscription
from ..models.webhooks import DeliveryState
from ..services import webhooks as service
from .generic import Column, CreateView, DeleteView, DetailView, ListView, Screen, Tab, UpdateView, YesNoFilter
from .logs import as_json


def events_text(subscription) -> str:
    return ", ".join(subscription.events or [])


class WebhookForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    url = forms.CharField(label=gettext_lazy("URL"), max_length=500,
                          help_text=gettext_lazy("Where Tessera sends the events (https:// in production)."))
    events = forms.CharField(
        label=gettext_lazy("Events"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Event names or patterns, one per line or separated by commas: "
                               "accounting.invoice.* or approvals.request.approved; * for every event."))
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not kwargs.get("data"):
            kwargs["initial"] = {"name": instance.name, "url": instance.url, "events": "\n".join(instance.events),
                                 "is_active": instance.is_active}
        super().__init__(*args, **kwargs)


class WebhookFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = WebhookSubscription
        fields = ["is_active"]


class WebhookListView(ListView):
    model = WebhookSubscription
    columns = ["name", "url", Column("events", gettext_lazy("Events"), value=events_text), "is_active", "created_at"]
    search_fields = ["name", "url"]
    filterset_class = WebhookFilter


class WebhookDetailView(DetailView):
    model = WebhookSubscription
    template_name = "core/webhooks/detail.html"
    fields = ["name", "url", Column("events", gettext_lazy("Events"), value=events_text), "is_active", "created_at"]
    tabs = [Tab("deliveries", gettext_lazy("Deliveries"), "core/webhooks/_deliveries.html")]

    def get_actions(self, obj):
        actions = super().get_actions(obj)
        if self.can("change"):
            actions.append({"label": _("New secret"), "url": reverse("core:webhooksubscription_secret", args=[obj.pk]),
                            "method": "post", "confirm": _("Replace the signing secret? The receiver must be given "
                                                           "the new one.")})
        return actions

    def get_tab_context(self, obj):
        return {"deliveries": obj.deliveries.select_related("event").order_by("-pk")[:50],
                "can_see_secret": self.can("change")}


class WebhookCreateView(CreateView):
    model = WebhookSubscription
    form_class = WebhookForm

    def perform(self, form):
        return service.webhook_create(actor=self.request.user, company=self.company, data=form.cleaned_data)


class WebhookUpdateView(UpdateView):
    model = WebhookSubscription
    form_class = WebhookForm

    def perform(self, form):
        return service.webhook_update(actor=self.request.user, subscription=self.object, data=form.cleaned_data)


class WebhookDeleteView(DeleteView):
    model = WebhookSubscription

    def perform(self, obj):
        service.webhook_delete(actor=self.request.user, subscription=obj)


class WebhookSecretView(Screen):
    model = WebhookSubscription
    action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        subscription = service.webhook_rotate_secret(actor=request.user, subscription=self.get_object())
        messages.success(request, _("The webhook has a new signing secret."))
        return redirect("core:webhooksubscription_detail", pk=subscription.pk)


# --- Deliveries ---------------------------------------------------------------------------------

class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("State"), choices=DeliveryState.choices)
    subscription = django_filters.ModelChoiceFilter(label=gettext_lazy("Webhook"),
                                                    queryset=WebhookSubscription.objects.none())

    class Meta:
        model = WebhookDelivery
        fields = ["state", "subscription"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        company = getattr(request, "company", None)
        self.filters["subscription"].queryset = WebhookSubscription.objects.filter(company=company)


class DeliveryListView(ListView):
    model = WebhookDelivery
    columns = [Column("id", "#"), "created_at", "subscription", Column("event__name", gettext_lazy("Event")), "state",
               "attempts", "response_code", "duration_ms", "next_attempt_at", Column("error", default=False)]
    search_fields = ["event__name", "subscription__name"]
    filterset_class = DeliveryFilter
    ordering = ["-pk"]
    title = gettext_lazy("Webhook deliveries")

    def get_queryset(self):
        return super().get_queryset().select_related("subscription", "event")


class DeliveryDetailView(DetailView):
    model = WebhookDelivery
    template_name = "core/webhooks/delivery_detail.html"
    show_history = False
    fields = ["subscription", Column("event__name", gettext_lazy("Event")), Column("event", gettext_lazy("Event id"),
              value=lambda delivery: delivery.event_id), "state", "attempts", "next_attempt_at", "response_code",
              "response_excerpt", "duration_ms", "error", "created_at", "delivered_at", "replay_of", "requested_by",
              Column("payload", gettext_lazy("Payload"), value=lambda delivery: as_json(delivery.event.payload))]
    tabs = [Tab("attempts", gettext_lazy("Attempts"), "core/webhooks/_attempts.html")]

    def get_title(self):
        return _("Delivery #%(number)s") % {"number": self.kwargs["pk"]}

    def get_actions(self, obj):
        if not self.can("add") or obj.state == DeliveryState.PENDING:
            return []
        return [{"label": _("Replay"), "url": reverse("core:webhookdelivery_replay", args=[obj.pk]), "method": "post",
                 "style": "primary", "confirm": _("Send this event to the webhook again?")}]

    def get_tab_context(self, obj):
        return {"attempts": obj.attempt_log.order_by("number")}


class DeliveryReplayView(Screen):
    model = WebhookDelivery
    action = "add"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        delivery = self.get_object()
        try:
            replay = service.webhook_delivery_replay(actor=request.user, delivery=delivery)
        except errors.ValidationFailed as error:
            messages.error(request, error.message)
            return redirect("core:webhookdelivery_detail", pk=delivery.pk)
        messages.success(request, _("The event is sent again."))
        return redirect("core:webhookdelivery_detail", pk=replay.pk)

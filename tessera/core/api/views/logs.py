"""Read-only logs: the audit trail, the domain event stream and background jobs."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ...models import AuditEntry, DomainEvent, Job
from ...selectors import audit_entry_list, domain_event_list, job_list
from ..base import ReadOnlyViewSet
from ..pagination import PageNumberPagination
from ..permissions import AUTHENTICATED
from ..serializers import AuditEntrySerializer, DomainEventSerializer, JobSerializer


class AuditEntryFilter(django_filters.FilterSet):
    model = django_filters.CharFilter(
        method="filter_model", help_text=_("Record type as app_label.model, e.g. core.company."),
        validators=[RegexValidator(r"^\w+\.\w+$", _("Use app_label.model, e.g. core.company."))],
    )
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = ["object_id", "actor", "action", "channel", "api_token"]

    def filter_model(self, queryset, name, value):
        app_label, model = value.lower().split(".", 1)
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AuditEntryViewSet(ReadOnlyViewSet):
    """`core/audit/`: search the audit trail of the request's company (plus shared set-up records)."""

    module = "core"
    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    search_fields = ["object_repr", "actor_repr", "object_id"]
    ordering_fields = ["at", "id"]
    company_scoped = False  # the selector scopes: this company's entries and shared set-up ones

    def select(self):
        return audit_entry_list(self.request.user, self.request.company)


class DomainEventFilter(django_filters.FilterSet):
    after = django_filters.NumberFilter(field_name="pk", lookup_expr="gt", help_text=_("Events after this id."))

    class Meta:
        model = DomainEvent
        fields = ["name"]


class AfterIdPagination(PageNumberPagination):
    """Pages of the event stream. With `?after=<id>` (how pollers read it) the page is the next
    `page_size` events in id order and `next` is `?after=<the page's last id>`, so a poller follows
    `next` (or keeps the last id it saw) and never misses or repeats an event while new ones arrive;
    `count` is how many events follow `after`. Without `after`, ordinary numbered pages."""

    def paginate_queryset(self, queryset, request, view=None):
        self.after_mode = "after" in request.query_params
        if not self.after_mode:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        queryset = queryset.order_by("pk")
        self.count = queryset.count()
        self.rows = list(queryset[: self.get_page_size(request)])
        return self.rows

    def get_paginated_response(self, data):
        if not self.after_mode:
            return super().get_paginated_response(data)
        next_url = None
        if self.rows and self.count > len(self.rows):
            next_url = remove_query_param(replace_query_param(self.request.build_absolute_uri(), "after",
                                                              self.rows[-1].pk), self.page_query_param)
        return Response({"count": self.count, "next": next_url, "previous": None, "results": data})


class DomainEventViewSet(ReadOnlyViewSet):
    """`core/events/?after=<id>`: the domain event stream of the request's company, in id order (an
    integration polls it with the last id it has seen; see AfterIdPagination). Only the company's own
    events: company-less ones (users, jobs without a company) are not part of any company's stream."""

    module = "core"
    queryset = DomainEvent.objects.all()
    serializer_class = DomainEventSerializer
    filterset_class = DomainEventFilter
    pagination_class = AfterIdPagination
    search_fields = ["name"]
    ordering_fields = ["id"]
    ordering = ["id"]
    company_scoped = False  # scoped below: the selector also lets company-less events through

    def select(self):
        return domain_event_list(self.request.user, self.request.company).filter(
            company=self.request.company).select_related("content_type")


class JobViewSet(ReadOnlyViewSet):
    """`core/jobs/`: background jobs; a user sees their own, holders of core.view_job the company's."""

    module = "core"
    required_permission = AUTHENTICATED  # the selector decides which jobs a user sees
    queryset = Job.objects.all()
    serializer_class = JobSerializer
    filterset_fields = ["state", "kind"]
    search_fields = ["kind", "message"]
    ordering_fields = ["created_at", "id"]
    company_scoped = False  # the selector scopes: the company's jobs and the user's own company-less ones

    def select(self):
        return job_list(self.request.user, self.request.company)

"""Read-only logs: the audit trail, the domain event stream and background jobs."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ...models import AuditEntry, DomainEvent, Job
from ...selectors import audit_entry_list, domain_event_list, job_list
from ..base import ReadOnlyViewSet
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


class DomainEventViewSet(ReadOnlyViewSet):
    """`core/events/?after=<id>`: the domain event stream of the request's company, in id order."""

    module = "core"
    queryset = DomainEvent.objects.all()
    serializer_class = DomainEventSerializer
    filterset_class = DomainEventFilter
    search_fields = ["name"]
    ordering_fields = ["id"]
    ordering = ["id"]
    company_scoped = False  # the selector scopes: this company's events and company-less ones

    def select(self):
        return domain_event_list(self.request.user, self.request.company).select_related("content_type")


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

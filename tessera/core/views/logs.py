"""What happened: the audit trail, the domain event log, and background jobs with their progress."""

import json

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import errors
from ..forms import DateInput
from ..models import AuditEntry, DomainEvent, Job
from ..models.audit import AuditAction, Channel
from ..models.jobs import JobState
from ..roles import SEEDED_APPS
from ..selectors import audit_entry_list, domain_event_list, job_list
from ..services.jobs import job_enqueue, job_kind_get
from .generic import Column, DetailView, ListView, Screen

User = get_user_model()


def record_type(entry) -> str:
    model = entry.content_type.model_class() if entry.content_type_id else None
    return str(capfirst(model._meta.verbose_name)) if model else ""


def as_json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False) if value else ""


def changes_summary(entry) -> str:
    """"field: old → new; ..." on one line (the list and its export)."""
    parts = []
    for name, change in (entry.changes or {}).items():
        if isinstance(change, list) and len(change) == 2:
            parts.append(f"{name}: {change[0] if change[0] is not None else '—'} → "
                         f"{change[1] if change[1] is not None else '—'}")
        else:
            parts.append(f"{name}: {as_json(change)}")
    return "; ".join(parts)


def date_filter(field: str, lookup: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name=field, lookup_expr=lookup, label=label, widget=DateInput())


# --- Audit trail -----------------------------------------------------------------------------

class AuditFilter(django_filters.FilterSet):
    content_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Record type"),
        queryset=ContentType.objects.filter(app_label__in=SEEDED_APPS).order_by("app_label", "model"),
    )
    actor = django_filters.ModelChoiceFilter(label=gettext_lazy("User"), queryset=User.objects.order_by("username"))
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=AuditAction.choices)
    channel = django_filters.ChoiceFilter(label=gettext_lazy("Channel"), choices=Channel.choices)
    date_from = date_filter("at", "date__gte", gettext_lazy("From"))
    date_to = date_filter("at", "date__lte", gettext_lazy("To"))

    class Meta:
        model = AuditEntry
        fields = ["content_type", "actor", "action", "channel"]


class AuditListView(ListView):
    model = AuditEntry
    columns = [
        "at", "actor_repr", "channel", "action",
        Column("content_type", gettext_lazy("Record type"), value=record_type, sort="content_type__model"),
        "object_id", "object_repr",
        Column("changes", gettext_lazy("Changes"), value=changes_summary),
        Column("request_id", default=False),
    ]
    search_fields = ["object_repr", "object_id", "actor_repr", "request_id"]
    filterset_class = AuditFilter
    paginate_by = 50
    template_name = "core/logs/audit_list.html"
    title = gettext_lazy("Audit trail")

    def get_queryset(self):
        return audit_entry_list(self.request.user, self.company)


class AuditExportView(Screen):
    """Export the whole audit trail in the background; the job page shows its progress."""

    model = AuditEntry
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        params = {"format": request.POST.get("format", "csv")}
        for name in ("date_from", "date_to"):
            if request.POST.get(name):
                params[name] = request.POST[name]
        job = job_enqueue(actor=request.user, kind="core.export_audit", params=params, company=self.company)
        return redirect("core:job_detail", pk=job.pk)


# --- Domain events ---------------------------------------------------------------------------

class EventFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=gettext_lazy("Event"), lookup_expr="icontains")
    date_from = date_filter("at", "date__gte", gettext_lazy("From"))
    date_to = date_filter("at", "date__lte", gettext_lazy("To"))

    class Meta:
        model = DomainEvent
        fields = ["name"]


class EventListView(ListView):
    model = DomainEvent
    columns = [
        Column("id", "#"), "at", "name",
        Column("content_type", gettext_lazy("Record type"), value=record_type, sort="content_type__model"),
        "object_id", "actor",
        Column("payload", gettext_lazy("Payload"), value=lambda event: as_json(event.payload)),
    ]
    search_fields = ["name", "object_id"]
    filterset_class = EventFilter
    ordering = ["-pk"]
    paginate_by = 50

    def get_queryset(self):
        return domain_event_list(self.request.user, self.company).select_related("content_type", "actor")


# --- Background jobs -------------------------------------------------------------------------

class JobScreen:
    """A user sees their own jobs; holders of core.view_job every job of the company (selectors.job_list)."""

    model = Job

    def get_permission(self):
        return None

    def get_queryset(self):
        return job_list(self.request.user, self.company).select_related("user")


def kind_label(job) -> str:
    """The job kind's name as its module registered it ("Export the audit trail")."""
    definition = job_kind_get(job.kind)
    return str(definition.label) if definition else job.kind


class JobFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("State"), choices=JobState.choices)

    class Meta:
        model = Job
        fields = ["state"]


class JobListView(JobScreen, ListView):
    columns = [Column("id", "#"), Column("kind", value=kind_label, sort="kind"), "state", "progress", "message",
               "user", "created_at", "finished_at"]
    search_fields = ["kind", "message"]
    filterset_class = JobFilter
    ordering = ["-created_at", "-pk"]


class JobDetailView(JobScreen, DetailView):
    template_name = "core/logs/job_detail.html"
    show_history = False
    fields = [Column("kind", value=kind_label), "state", "user", "created_at", "started_at", "finished_at",
              Column("params", gettext_lazy("Parameters"), value=lambda job: as_json(job.params)),
              Column("result", gettext_lazy("Result"), value=lambda job: as_json(job.result)), "error"]

    def get_title(self):
        return _("Job #%(number)s") % {"number": self.kwargs["pk"]}


class JobProgressView(JobScreen, Screen):
    """The progress bar alone: the job page polls it every second until the job has finished."""

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        response = render(request, "core/includes/progress.html", {"job": job, "poll_url": request.path})
        if job.finished_at and request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"  # the page shows the result (and the file) once the job is done
        return response


class JobDownloadView(JobScreen, Screen):
    """The file a finished job wrote (an export), for whoever may see the job."""

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        name = (job.result or {}).get("file")
        if job.state != JobState.SUCCEEDED or not name or not default_storage.exists(name):
            raise errors.NotFound(_("This job has no file to download."))
        return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1])

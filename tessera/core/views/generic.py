"""Generic screens every module builds on: list, detail, create and update forms.

A module's screen is a small subclass declaring its model, columns, search fields, filters and the
service it writes through. Signing in, the module being live, the permission (with the reason on
the 403 page), company scoping, htmx partial rendering, CSV/XLSX export and breadcrumbs come from
here. Inline editing of lines lives in `views.lines`.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

import django_filters
import tablib
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .. import errors
from ..menu import MODULES
from ..permissions import check, check_view, perm_name, require
from ..selectors import record_history, scoped
from ..services.companies import module_is_active
from .panels import render_panels

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("csv", "xlsx")
HISTORY_LIMIT = 200


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def forbidden(request, reason) -> HttpResponse:
    """The 403 page with the reason the permission check gave."""
    return render(request, "403.html", {"message": reason, "status": 403}, status=403)


def not_found(request, reason=None) -> HttpResponse:
    return render(request, "404.html", {"message": reason or _("Not found."), "status": 404}, status=404)


def is_company_owned(model) -> bool:
    """Models with a `company` foreign key are scoped to the request's company."""
    try:
        return model._meta.get_field("company").many_to_one
    except FieldDoesNotExist:
        return False


def apply_domain_error(form: forms.Form, error: errors.DomainError) -> None:
    """Show a service's error on the form: `fields` on their fields, the rest above the form."""
    fields = error.fields or {}
    for name, field_messages in fields.items():
        for message in field_messages if isinstance(field_messages, list | tuple) else [field_messages]:
            if name in form.fields:
                form.add_error(name, str(message))
            elif name in ("non_field_errors", "__all__"):
                form.add_error(None, str(message))
            else:
                form.add_error(None, f"{name}: {message}")
    if not fields:
        form.add_error(None, str(error.message))


def form_data(form: forms.Form) -> dict:
    """cleaned_data ready for a service: a cleared file becomes "", an untouched file is left out."""
    data = {}
    for name, value in form.cleaned_data.items():
        if isinstance(form.fields[name], forms.FileField):
            if value is False:
                value = ""
            elif value is None or name not in form.changed_data:
                continue
        data[name] = value
    return data


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads "Any" (django-filter's says "Unknown")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", gettext_lazy("Any")), ("true", gettext_lazy("Yes")),
                                                          ("false", gettext_lazy("No"))]))
        super().__init__(*args, **kwargs)


# --- Columns ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A list column: `name` is a field path (`partner__name`) or a label for `value(obj)`.

    `sort` is the ORM path to order by ("" = the name when it is a field path, None = not sortable).
    """

    name: str
    label: str | None = None
    value: Callable | None = None
    sort: str | None = ""
    link: bool = False
    default: bool = True  # shown until the user chooses columns

    def get(self, obj):
        if self.value is not None:
            return self.value(obj)
        return field_value(obj, self.name)


def field_value(obj, path: str):
    """The value at `a__b__c`, using get_<field>_display for fields with choices."""
    parts = path.split("__")
    for index, part in enumerate(parts):
        if obj is None:
            return None
        if index == len(parts) - 1:
            display = getattr(obj, f"get_{part}_display", None)
            if callable(display):
                return display()
        obj = getattr(obj, part, None)
        if isinstance(obj, models.Manager):
            return ", ".join(str(item) for item in obj.all())
    return obj


def model_field(model, path: str):
    """The model field at `a__b`, or None when the path is not a field."""
    try:
        for part in path.split("__")[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(path.split("__")[-1])
    except (FieldDoesNotExist, AttributeError):
        return None


def resolve_columns(model, columns) -> list[Column]:
    resolved = []
    for column in columns:
        column = Column(column) if isinstance(column, str) else column
        field = model_field(model, column.name)
        label = column.label or (capfirst(field.verbose_name) if field is not None and hasattr(field, "verbose_name")
                                 else capfirst(column.name.replace("_", " ")))
        sort = column.sort
        if sort == "":
            sort = column.name if field is not None and column.value is None and field.concrete else None
        resolved.append(replace(column, label=label, sort=sort))
    return resolved


def plain(value):
    """A cell value for export: numbers and dates kept (spreadsheets compute with them), the rest text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | Decimal | datetime.date):
        return value
    return str(value)


# --- The base of every screen ----------------------------------------------------------------

class Screen(LoginRequiredMixin, View):
    """Signed in, module live for the company, permission granted; domain errors become pages."""

    model: type[models.Model] | None = None
    module = "core"
    action = "view"  # the permission action on `model` this screen needs
    permission: str | None = None  # or a full "app_label.codename"
    url_namespace = "core"
    title = None
    template_name = None

    # --- access
    @property
    def company(self):
        return getattr(self.request, "company", None)

    def get_permission(self) -> str | None:
        if self.permission:
            return self.permission
        return perm_name(self.model, self.action) if self.model is not None else None

    def check_access(self) -> None:
        if not module_is_active(self.company, self.module):
            module = MODULES.get(self.module)
            raise errors.PermissionDenied(
                _("The module “%(module)s” is not active for company %(company)s.")
                % {"module": module.name if module else self.module,
                   "company": self.company.code if self.company else "-"}
            )
        permission = self.get_permission()
        if permission:
            require(self.request.user, permission, self.company)

    def can(self, action: str, model=None) -> bool:
        return bool(check(self.request.user, perm_name(model or self.model, action), self.company))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.check_access()
            return super().dispatch(request, *args, **kwargs)
        except errors.PermissionDenied as error:
            return forbidden(request, error.message)
        except errors.NotFound as error:
            return not_found(request, error.message)

    # --- records
    def get_queryset(self):
        queryset = self.model._default_manager.all()
        if is_company_owned(self.model):
            queryset = scoped(queryset, self.company)
        return queryset

    def get_object(self):
        """The record named by the URL, within the company's records (another company's is 404)."""
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise errors.NotFound(_("%(model)s not found.") % {"model": capfirst(self.model._meta.verbose_name)})
        return found

    # --- urls and page furniture
    def url(self, kind: str, obj=None) -> str | None:
        """The url of this model's `list`, `detail`, `create`, `update` or `delete` screen, if it has one."""
        if self.model is None:
            return None
        name = getattr(self, f"{kind}_url_name", None) or f"{self.url_namespace}:{self.model._meta.model_name}_{kind}"
        try:
            return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)
        except NoReverseMatch:
            return None

    def get_title(self) -> str:
        return str(self.title or capfirst(self.model._meta.verbose_name_plural))

    def get_breadcrumbs(self, obj=None) -> list[tuple[str, str | None]]:
        module = MODULES.get(self.module)
        crumbs = [(str(module.name), None)] if module else []
        if self.model is not None:
            crumbs.append((str(capfirst(self.model._meta.verbose_name_plural)), self.url("list")))
        if obj is not None:
            crumbs.append((str(obj), self.url("detail", obj)))
        return crumbs

    def render(self, context: dict, template: str | None = None, status: int = 200) -> HttpResponse:
        context.setdefault("view", self)
        context.setdefault("title", self.get_title())
        context.setdefault("breadcrumbs", self.get_breadcrumbs(context.get("object")))
        return render(self.request, template or self.template_name, context, status=status)


# --- Lists -----------------------------------------------------------------------------------

class ListView(Screen):
    """Search, filters, sortable columns, pagination, column choice, CSV/XLSX export.

    htmx requests aimed at the table (`#list-table`) get only the table back.
    """

    template_name = "core/generic/list.html"
    table_template = "core/generic/_table.html"
    columns: list = []
    search_fields: list[str] = []
    filterset_class = None
    ordering: list[str] | None = None
    paginate_by = 25
    export_formats = EXPORT_FORMATS

    def get_columns(self) -> list[Column]:
        return resolve_columns(self.model, self.columns)

    @property
    def columns_session_key(self) -> str:
        return f"tessera:columns:{self.request.resolver_match.view_name}"

    def visible_columns(self, columns: list[Column]) -> list[Column]:
        """The columns the user chose (kept in the session per screen), else the defaults."""
        names = {column.name for column in columns}
        if self.request.GET.get("columns_set"):
            chosen = [name for name in self.request.GET.getlist("columns") if name in names]
            if chosen:
                self.request.session[self.columns_session_key] = chosen
            else:
                self.request.session.pop(self.columns_session_key, None)
        chosen = set(self.request.session.get(self.columns_session_key) or [])
        visible = [column for column in columns if column.name in chosen] if chosen else []
        return visible or [column for column in columns if column.default]

    def search(self, queryset):
        term = self.request.GET.get("q", "").strip()
        if not term or not self.search_fields:
            return queryset
        condition = Q()
        for name in self.search_fields:
            condition |= Q(**{f"{name}__icontains": term})
        return queryset.filter(condition)

    def sort(self, queryset, columns: list[Column]):
        wanted = self.request.GET.get("sort", "")
        by_name = {column.name: column for column in columns if column.sort}
        column = by_name.get(wanted.lstrip("-"))
        if column is None:
            if self.ordering:
                return queryset.order_by(*self.ordering), ""
            return (queryset if queryset.ordered else queryset.order_by("pk")), ""
        descending = wanted.startswith("-")
        return queryset.order_by(("-" if descending else "") + column.sort, "-pk" if descending else "pk"), wanted

    def get(self, request, *args, **kwargs):
        columns = self.get_columns()
        visible = self.visible_columns(columns)
        queryset = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        queryset = self.search(queryset)
        queryset, current_sort = self.sort(queryset, columns)
        export = request.GET.get("export")
        if export in self.export_formats:
            return self.export(queryset, visible, export)
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        context = {
            "columns": columns,
            "visible_columns": visible,
            "rows": [(obj, [column.get(obj) for column in visible], self.url("detail", obj)) for obj in page],
            "page_obj": page,
            "filterset": filterset,
            "search_enabled": bool(self.search_fields),
            "current_sort": current_sort,
            "create_url": self.url("create") if self.can("add") else None,
            "export_formats": self.export_formats,
        }
        context.update(self.get_extra_context())
        if is_htmx(request) and request.headers.get("HX-Target") == "list-table":
            return self.render(context, self.table_template)
        return self.render(context)

    def get_extra_context(self) -> dict:
        return {}

    def export_filename(self) -> str:
        return f"{self.model._meta.model_name}-{timezone.localdate():%Y%m%d}"

    def export(self, queryset, columns: list[Column], file_format: str) -> HttpResponse:
        """Every filtered row (not just the page) in the chosen columns."""
        dataset = tablib.Dataset(headers=[str(column.label) for column in columns],
                                 title=self.get_title()[:31])
        for obj in queryset.iterator(chunk_size=1000):
            dataset.append([plain(column.get(obj)) for column in columns])
        content = dataset.export(file_format)
        if isinstance(content, str):
            content = content.encode("utf-8-sig")  # the BOM makes Excel read Chinese text as UTF-8
        content_type = {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[file_format]
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.export_filename()}.{file_format}"'
        return response


# --- Details ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tab:
    code: str
    label: str
    template: str


class DetailView(Screen):
    """A record's page: an overview of `fields`, extra `tabs`, and the History tab (audit trail)."""

    template_name = "core/generic/detail.html"
    fields: list = []
    tabs: list[Tab] = []
    show_history = True
    show_attachments = None  # None: on for company-owned business records
    show_activity = None  # the Activity tab (timeline, comments, follow); None: on for company business records

    granted = False  # True when the page opened through a record grant (check_view), read-only

    def check_access(self) -> None:
        """The view permission, or a record grant for this very record (an approver the document's approval
        waits for): such a visitor sees the page, and the actions' own permissions still hide every button."""
        try:
            super().check_access()
        except errors.PermissionDenied:
            if not self.granted_record():
                raise
            self.granted = True

    def granted_record(self) -> bool:
        if (self.request.method not in ("GET", "HEAD") or self.model is None or "pk" not in self.kwargs
                or self.get_permission() != perm_name(self.model, "view")
                or not module_is_active(self.company, self.module)):
            return False
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        return found is not None and bool(check_view(self.request.user, found, self.company))

    def attachments_shown(self) -> bool:
        if self.show_attachments is not None:
            return self.show_attachments
        return is_company_owned(self.model) and self.model._meta.app_label != "core"

    def get_fields(self, obj) -> list[tuple[str, object]]:
        return [(column.label, column.get(obj)) for column in resolve_columns(self.model, self.fields)]

    def get_actions(self, obj) -> list[dict]:
        """Buttons on the page: {"label", "url", "method": "get"|"post", "style", "confirm"}."""
        actions = []
        if self.url("update", obj) and self.can("change"):
            actions.append({"label": _("Edit"), "url": self.url("update", obj), "method": "get", "style": "primary"})
        if self.url("delete", obj) and self.can("delete"):
            actions.append({"label": _("Delete"), "url": self.url("delete", obj), "method": "post",
                            "style": "outline-danger", "confirm": _("Delete this record?")})
        return actions

    def get_tab_context(self, obj) -> dict:
        """Extra context the tab templates need."""
        return {}

    def get_history(self, obj):
        """The record's audit entries, newest first (the History tab)."""
        return record_history(self.request.user, obj)

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        history = list(self.get_history(obj)[:HISTORY_LIMIT]) if self.show_history else []
        context = {
            "object": obj,
            "fields": self.get_fields(obj),
            "tabs": self.tabs,
            "history": history,
            "show_history": self.show_history,
            "actions": self.get_actions(obj),
            "history_model": self.model,
            "show_attachments": self.attachments_shown(),
        }
        if context["show_attachments"]:
            from .attachments import pane_context

            context.update(pane_context(self.request.user, obj))
        context["panels"] = render_panels(request, obj)
        context["show_activity"] = (is_company_owned(self.model) and self.model._meta.app_label != "core"
                                    if self.show_activity is None else self.show_activity)
        if context["show_activity"]:
            from .activity import activity_context

            context.update(activity_context(self.request.user, obj))
        context.update(self.get_tab_context(obj))
        return self.render(context)

    def get_title(self) -> str:
        return str(self.title or capfirst(self.model._meta.verbose_name))


# --- Forms -----------------------------------------------------------------------------------

class FormScreen(Screen):
    """Show a form; on a valid POST call one service (`perform`); its errors land on the fields."""

    template_name = "core/generic/form.html"
    form_class = None
    success_message = gettext_lazy("Saved.")
    submit_label = gettext_lazy("Save")

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self, data=None, files=None):
        return self.form_class(data=data, files=files, **self.get_form_kwargs())

    def perform(self, form):
        """Call the service; return the saved record (or None)."""
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        return (obj is not None and self.url("detail", obj)) or self.url("list") or reverse("home")

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                obj = self.perform(form)
            except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
                apply_domain_error(form, error)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(self.get_success_url(obj))
        return self.render_form(form)

    def render_form(self, form, status: int = 200) -> HttpResponse:
        return self.render({"form": form, "object": getattr(self, "object", None),
                            "submit_label": self.submit_label,
                            "cancel_url": self.get_cancel_url()}, status=status)

    def get_cancel_url(self) -> str | None:
        obj = getattr(self, "object", None)
        return (obj is not None and self.url("detail", obj)) or self.url("list")


class CreateView(FormScreen):
    action = "add"

    def get_title(self) -> str:
        return str(self.title or _("New %(model)s") % {"model": self.model._meta.verbose_name})


class UpdateView(FormScreen):
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def check_access(self) -> None:
        super().check_access()
        self.object = self.get_object()

    def get_form_kwargs(self) -> dict:
        return {"instance": self.object}

    def get_title(self) -> str:
        return str(self.title or _("Edit %(record)s") % {"record": self.object})


class DeleteView(Screen):
    """POST only: delete through a service (default services.base.record_delete), back to the list."""

    action = "delete"
    http_method_names = ["post"]

    def perform(self, obj) -> None:
        from ..services.base import record_delete

        record_delete(actor=self.request.user, instance=obj, company=self.company)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            self.perform(obj)
        except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
            messages.error(request, error.message)
            return redirect(self.url("detail", obj) or self.url("list"))
        messages.success(request, _("Deleted %(record)s.") % {"record": obj})
        return redirect(self.url("list") or reverse("home"))


def screen_urls(route: str, name: str, *, list_view=None, detail=None, create=None, update=None, delete=None) -> list:
    """The usual list / detail / create / update / delete urls of one model, named `<name>_<kind>`
    (the names `Screen.url` looks for): `*screen_urls("partners/", "partner", list_view=PartnerList, ...)`."""
    from django.urls import path

    patterns = []
    for suffix, kind, view in (("", "list", list_view), ("new/", "create", create), ("<int:pk>/", "detail", detail),
                               ("<int:pk>/edit/", "update", update), ("<int:pk>/delete/", "delete", delete)):
        if view is not None:
            patterns.append(path(f"{route}{suffix}", view.as_view(), name=f"{name}_{kind}"))
    return patterns


def format_value(value):
    """A value as shown in a cell: booleans as Yes/No, empty as a dash, numbers and dates localized."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return localize(value)


def cell_class(value) -> str:
    """Numbers right-aligned, numbers and dates kept on one line."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return "text-end text-nowrap"
    if isinstance(value, datetime.date):
        return "text-nowrap"
    return ""

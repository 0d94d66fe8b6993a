"""Roles: list, detail, create, delete (not seeded ones), and the permission matrix."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms import RoleForm
from ..models import AuditEntry, Role
from ..roles import INTERNAL_MODELS, SEEDED_APPS
from ..services.users import role_create, role_delete, role_set_permissions
from .generic import Column, CreateView, DeleteView, DetailView, ListView, Screen, Tab

# The matrix columns: the standard actions, then the commonest transitions. Any other permission
# of a model (confirm, cancel, reverse, close, ...) shows in the "Other" column.
MATRIX_ACTIONS = [
    ("view", gettext_lazy("View")),
    ("add", gettext_lazy("Create")),
    ("change", gettext_lazy("Change")),
    ("delete", gettext_lazy("Delete")),
    ("approve", gettext_lazy("Approve")),
    ("post", gettext_lazy("Post")),
]
# Other transitions a role may be granted (shown by name on the access page and the matrix's "Other").
TRANSITION_LABELS = {"reverse": gettext_lazy("Reverse"), "close": gettext_lazy("Close"),
                     "reopen": gettext_lazy("Reopen"), "cancel": gettext_lazy("Cancel"),
                     "confirm": gettext_lazy("Confirm")}


def permission_rows() -> list[tuple[str, list[dict]]]:
    """Every model of the core, auth and business apps with its permissions, grouped by app:
    [(app name, [{"label", "name", "content_type", "cells": {action: Permission}, "other": [Permission]}])]."""
    permissions: dict[int, list[Permission]] = {}
    for perm in Permission.objects.filter(content_type__app_label__in=SEEDED_APPS).order_by("codename"):
        permissions.setdefault(perm.content_type_id, []).append(perm)
    by_app: dict[str, list[dict]] = {}
    for content_type in ContentType.objects.filter(app_label__in=SEEDED_APPS).order_by("app_label", "model"):
        model = content_type.model_class()
        if model is None or f"{content_type.app_label}.{content_type.model}" in INTERNAL_MODELS:
            continue  # a model that no longer exists, or internal bookkeeping
        cells, other = {}, []
        for perm in permissions.get(content_type.pk, []):
            action = perm.codename.removesuffix(f"_{content_type.model}")
            if action in dict(MATRIX_ACTIONS) and perm.codename.endswith(f"_{content_type.model}"):
                cells[action] = perm
            else:
                other.append(perm)
        by_app.setdefault(content_type.app_label, []).append({
            "label": f"{content_type.app_label}.{content_type.model}",
            "name": capfirst(model._meta.verbose_name_plural),
            "content_type": content_type, "cells": cells, "other": other,
        })
    return [(str(apps.get_app_config(label).verbose_name), rows) for label, rows in by_app.items()]


class RoleScreen:
    model = Role

    def get_queryset(self):
        return Role.objects.select_related("group").annotate(user_count=Count("group__user")).order_by("code")


DESCRIPTION = Column("description", gettext_lazy("Description"), value=lambda role: role.description_display)


class RoleListView(RoleScreen, ListView):
    columns = [
        "code", Column("name", gettext_lazy("Name"), value=lambda role: role.name, sort="group__name"),
        DESCRIPTION, "is_seeded",
        Column("users", gettext_lazy("Users"), value=lambda role: role.user_count, sort="user_count"),
    ]
    search_fields = ["code", "group__name", "description"]


class RoleDetailView(RoleScreen, DetailView):
    fields = ["code", Column("name", gettext_lazy("Name"), value=lambda role: role.name), DESCRIPTION,
              "is_seeded", Column("users", gettext_lazy("Users"), value=lambda role: role.user_count)]
    tabs = [
        Tab("permissions", gettext_lazy("Permissions"), "core/roles/_permissions.html"),
        Tab("users", gettext_lazy("Users"), "core/roles/_users.html"),
    ]

    def get_actions(self, obj):
        actions = [{"label": _("Permission matrix"), "url": f"{reverse('core:permission_matrix')}?role={obj.pk}",
                    "style": "primary"}]
        if not obj.is_seeded:
            actions += super().get_actions(obj)
        return actions

    def get_tab_context(self, obj):
        return {
            "permissions": obj.group.permissions.select_related("content_type").order_by(
                "content_type__app_label", "content_type__model", "codename"),
            "members": obj.group.user_set.order_by("username"),
        }

    def get_history(self, obj):
        # A role's permissions live on its group: show the group's changes beside the role's own.
        role_type, group_type = (ContentType.objects.get_for_model(model) for model in (Role, type(obj.group)))
        return AuditEntry.objects.filter(
            Q(content_type=role_type, object_id=str(obj.pk)) | Q(content_type=group_type, object_id=str(obj.group_id))
        ).select_related("actor", "content_type")


class RoleCreateView(RoleScreen, CreateView):
    form_class = RoleForm

    def perform(self, form):
        return role_create(actor=self.request.user, **form.cleaned_data)


class RoleDeleteView(RoleScreen, DeleteView):
    def perform(self, obj):
        role_delete(actor=self.request.user, role=obj)


class PermissionMatrixView(Screen):
    """For one role: rows are models, columns actions; a tick where the role has the permission."""

    model = Role
    template_name = "core/roles/matrix.html"

    def get_title(self):
        return _("Permission matrix")

    def get_breadcrumbs(self, obj=None):
        return super().get_breadcrumbs() + [(self.get_title(), None)]

    def get_role(self):
        roles = Role.objects.select_related("group")
        wanted = self.request.POST.get("role") or self.request.GET.get("role")
        if wanted and str(wanted).isdigit():
            return roles.filter(pk=wanted).first()
        return roles.filter(code="administrator").first() or roles.first()

    def get(self, request, *args, **kwargs):
        role = self.get_role()
        granted = set(role.group.permissions.values_list("pk", flat=True)) if role else set()
        return self.render({
            "role": role, "roles": Role.objects.select_related("group").order_by("group__name"),
            "rows": permission_rows(), "granted": granted, "actions": MATRIX_ACTIONS,
            "can_change": self.can("change"),
        })

    def post(self, request, *args, **kwargs):
        role = self.get_role()
        if role is None:
            return redirect("core:permission_matrix")
        shown = {perm.pk for _app, rows in permission_rows() for row in rows
                 for perm in [*row["cells"].values(), *row["other"]]}
        checked = {int(value) for value in request.POST.getlist("perm") if value.isdigit()} & shown
        # Permissions the matrix does not show (other apps) are kept as they are.
        kept = set(role.group.permissions.exclude(pk__in=shown).values_list("pk", flat=True))
        role_set_permissions(actor=request.user, role=role,
                             permissions=list(Permission.objects.filter(pk__in=kept | checked)))
        messages.success(request, _("The permissions of %(role)s were saved.") % {"role": role})
        return redirect(f"{reverse('core:permission_matrix')}?role={role.pk}")

"""Inline editing of a record's lines with htmx: show a row, edit it in place, save, cancel, add, delete.

A module subclasses `InlineLinesView` (parent model, line model, form, columns, and the services
that save and delete a line), adds `line_urls(...)` to its urls, and includes
`core/inline/_table.html` on the parent's page with `inline=<View>.table_context(request, parent)`.
Every write goes through the subclass's service; a domain error comes back on the row.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .. import errors
from ..permissions import perm_name
from .generic import Screen, apply_domain_error, form_data, is_company_owned, resolve_columns

# op in the URL -> the permission action it needs on the line model
OPERATIONS = {"row": "view", "new": "add", "edit": "change", "delete": "delete"}


def line_urls(route: str, view, name: str) -> list:
    """URL patterns for a lines view: `route` is like "currencies/<int:parent_pk>/rates/"."""
    as_view = view.as_view()
    return [
        path(f"{route}new/", as_view, {"op": "new"}, name=f"{name}_new"),
        path(f"{route}<int:line_pk>/", as_view, {"op": "row"}, name=f"{name}_row"),
        path(f"{route}<int:line_pk>/edit/", as_view, {"op": "edit"}, name=f"{name}_edit"),
        path(f"{route}<int:line_pk>/delete/", as_view, {"op": "delete"}, name=f"{name}_delete"),
    ]


class InlineLinesView(Screen):
    parent_model = None
    model = None
    form_class = None
    columns: list = []
    url_name = ""  # the `name` given to line_urls, with its namespace: "core:currency_rates"
    row_template = "core/inline/_row.html"
    form_row_template = "core/inline/_form_row.html"
    add_label = None

    # --- hooks a module fills in
    def get_lines(self, parent):
        raise NotImplementedError

    def save_line(self, parent, line, data: dict):
        """Create (line is None) or change a line through a service; return it."""
        raise NotImplementedError

    def delete_line(self, parent, line) -> None:
        from ..services.base import record_delete

        record_delete(actor=self.request.user, instance=line, company=self.company)

    # --- access and records
    def get_permission(self) -> str:
        return perm_name(self.model, OPERATIONS[self.kwargs["op"]])

    def get_parent(self):
        parents = self.parent_model._default_manager.all()
        if is_company_owned(self.parent_model):
            parents = parents.filter(company=self.company)
        parent = parents.filter(pk=self.kwargs["parent_pk"]).first()
        if parent is None:
            raise errors.NotFound()
        return parent

    def get_line(self, parent):
        line = self.get_lines(parent).filter(pk=self.kwargs["line_pk"]).first()
        if line is None:
            raise errors.NotFound()
        return line

    # --- rendering
    def _url(self, op: str, parent, line=None) -> str:
        args = [parent.pk] + ([line.pk] if line is not None else [])
        return reverse(f"{self.url_name}_{op}", args=args)

    def meta(self, parent) -> dict:
        return {
            "columns": resolve_columns(self.model, self.columns),
            "can_add": self.can("add"),
            "can_change": self.can("change"),
            "can_delete": self.can("delete"),
            "new_url": self._url("new", parent),
            "add_label": self.add_label or _("Add a line"),
            "dom_id": f"lines-{self.model._meta.model_name}-{parent.pk}",
        }

    def row(self, parent, line, error=None) -> dict:
        return {
            "line": line,
            "cells": [column.get(line) for column in resolve_columns(self.model, self.columns)],
            "edit_url": self._url("edit", parent, line),
            "delete_url": self._url("delete", parent, line),
            "error": error,
        }

    def render_row(self, parent, line, error=None) -> HttpResponse:
        context = {"inline": self.meta(parent), "row": self.row(parent, line, error)}
        return render(self.request, self.row_template, context)

    def render_form_row(self, parent, line, form) -> HttpResponse:
        context = {
            "inline": self.meta(parent),
            "form": form,
            "line": line,
            "save_url": self._url("edit" if line else "new", parent, line),
            "cancel_url": self._url("row", parent, line) if line else None,
        }
        return render(self.request, self.form_row_template, context)

    @classmethod
    def table_context(cls, request, parent) -> dict:
        """What core/inline/_table.html needs to show `parent`'s lines (call from the parent's page)."""
        view = cls(request=request, kwargs={"parent_pk": parent.pk, "op": "row"})
        if not view.can("view"):
            return {"hidden": True}
        rows = [view.row(parent, line) for line in view.get_lines(parent)]
        return {**view.meta(parent), "rows": rows}

    # --- the operations
    def get(self, request, *args, op, **kwargs):
        parent = self.get_parent()
        line = self.get_line(parent) if "line_pk" in self.kwargs else None
        if op == "row":
            return self.render_row(parent, line)
        if op in ("edit", "new"):
            return self.render_form_row(parent, line, self.form_class(instance=line, auto_id=False))
        return HttpResponse(status=405)

    def post(self, request, *args, op, **kwargs):
        parent = self.get_parent()
        line = self.get_line(parent) if "line_pk" in self.kwargs else None
        if op == "delete":
            try:
                self.delete_line(parent, line)
            except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
                return self.render_row(parent, line, error=error.message)
            return HttpResponse("")  # htmx swaps the row for nothing: it disappears
        if op not in ("edit", "new"):
            return HttpResponse(status=405)
        form = self.form_class(request.POST, instance=line, auto_id=False)
        if form.is_valid():
            try:
                saved = self.save_line(parent, line, form_data(form))
            except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
                apply_domain_error(form, error)
            else:
                return self.render_row(parent, saved)
        return self.render_form_row(parent, line, form)

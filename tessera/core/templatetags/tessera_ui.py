"""Template helpers of the web UI: Bootstrap form fields, cell values, sorting links, audit changes."""

from django import forms, template
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..views.generic import cell_class, format_value, model_field

register = template.Library()


@register.filter
def show(value):
    """A value as a cell shows it: Yes/No, a dash for empty, localized numbers and dates."""
    return format_value(value)


@register.filter(name="cell_class")
def cell_class_filter(value) -> str:
    return cell_class(value)


def widget_class(field, size: str = "") -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = "choice-list"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select" + (f" form-select-{size}" if size else "")
    else:
        css = "form-control" + (f" form-control-{size}" if size else "")
    if field.errors:
        css += " is-invalid"
    return css


@register.simple_tag
def bs_widget(field, size="", **attrs):
    """The field's widget with Bootstrap classes (and is-invalid when it has errors)."""
    existing = field.field.widget.attrs.get("class", "")
    attrs = {name.replace("_", "-"): value for name, value in attrs.items()}
    attrs = {**attrs, "class": f"{existing} {widget_class(field, size)}".strip()}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("core/includes/field.html")
def bs_field(field, size=""):
    """Label, widget, errors and help text of one form field, laid out for Bootstrap."""
    return {
        "field": field,
        "size": size,
        "is_check": isinstance(field.field.widget, forms.CheckboxInput),
    }


@register.filter
def sort_value_for(column, current: str) -> str:
    """The `sort` parameter a column header links to: ascending first, then descending."""
    return f"-{column.name}" if current == column.name else column.name


@register.simple_tag(takes_context=True)
def sort_mark(context, column) -> str:
    current = context.get("current_sort", "")
    if current == column.name:
        return "▲"
    if current == f"-{column.name}":
        return "▼"
    return ""


def history_value(field, value) -> str:
    """A stored (JSON) value shown as the field shows it: a related record's name, a local date."""
    if value in (None, "") or field is None:
        return format_value(value)
    if field.many_to_one or field.one_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        return format_value(parse_datetime(value) or value)
    if isinstance(value, str) and isinstance(field, models.DateField):
        return format_value(parse_date(value) or value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return format_value(value)


@register.filter
def history_changes(entry, model=None) -> list[tuple[str, str, str]]:
    """An audit entry's changes as (field label, old, new) rows; m2m changes as (field, verb, names)."""
    rows = []
    model = model or (entry.content_type.model_class() if entry.content_type_id else None)
    for name, change in (entry.changes or {}).items():
        field = model_field(model, name) if model is not None else None
        label = capfirst(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        if isinstance(change, list | tuple) and len(change) == 2:
            rows.append((label, history_value(field, change[0]), history_value(field, change[1])))
        elif isinstance(change, dict):
            verbs = {"added": _("added"), "removed": _("removed"), "cleared": _("cleared")}
            for verb, names in change.items():
                rows.append((label, verbs.get(verb, verb), ", ".join(str(n) for n in names) or "—"))
        else:
            rows.append((label, "", format_value(change)))
    return rows


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def in_list(value, values) -> bool:
    return value in (values or [])

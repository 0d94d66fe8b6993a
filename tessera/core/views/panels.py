"""Panels above the tabs of every record page, contributed by modules that core must not import.

A panel is a function `(request, record) -> str | None` returning HTML (rendered with
`render_to_string`), or None when it has nothing to show for this record:

    from django.template.loader import render_to_string
    from tessera.core.views.panels import register_panel

    def approval_panel(request, record):
        request_ = approval_request_of(record)
        if request_ is None:
            return None
        return render_to_string("approvals/_panel.html", {"request": request_}, request=request)

    register_panel(approval_panel)

The generic DetailView renders every panel's HTML between the page's title and its tabs. A panel
that raises is logged and left out.
"""

import logging
from collections.abc import Callable

from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

PANELS: list[Callable] = []


def register_panel(panel: Callable) -> Callable:
    """Add `panel(request, record) -> str | None` (usable as a decorator; registering twice is harmless)."""
    if panel not in PANELS:
        PANELS.append(panel)
    return panel


def render_panels(request, record) -> list[str]:
    """The HTML of every panel that has something to show for `record`, in registration order."""
    rendered = []
    for panel in PANELS:
        try:
            html = panel(request, record)
        except Exception:
            logger.exception("Panel %s failed for %r", getattr(panel, "__name__", panel), record)
            continue
        if html:
            rendered.append(mark_safe(html))  # noqa: S308  (panels render their own templates)
    return rendered

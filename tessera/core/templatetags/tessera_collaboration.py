"""Template helpers of collaboration: the notification bell's count (rendered with the page, then polled
by htmx) and comment text with its @mentions highlighted."""

import re

from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from ..services.comments import MENTION
from ..services.notifications import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    request = context.get("request")
    if request is None:
        return 0
    return notification_unread_count(request.user, getattr(request, "company", None))


@register.filter
def with_mentions(body: str, mentions=()) -> str:
    """The comment escaped, in paragraphs, each @username that mentioned someone highlighted."""
    known = {name.lower() for name in mentions or ()}
    html = escape(body or "")

    def mark(match: re.Match) -> str:
        name = match.group(1)
        if name.lower() not in known:
            return match.group(0)
        return f'<span class="mention">@{name}</span>'

    return mark_safe(linebreaks(MENTION.sub(mark, html), autoescape=False))  # noqa: S308  (escaped above)

"""The activity timeline of a record: its history, comments, files and whatever modules add, merged.

A provider is a function `(record, user) -> list[TimelineItem]` registered once at start-up:

    from tessera.core.timeline import TimelineItem, register_provider

    def approval_items(record, user):
        return [TimelineItem(at=step.decided_at, kind="approval", actor=step.approver,
                             title=_("Approved"), body=step.comment) for step in ...]

    register_provider(approval_items)

Core provides the audit history, the comments and the attachments (services.comments). A provider
returns only what `user` may see; one that fails is logged and left out (the page still renders).
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimelineItem:
    """One line of the timeline. `actor`: a user or a name; `kind`: "history", "comment", "attachment",
    "approval", ... (the template picks an icon by it); `url`: a link to follow; `files`: (name, url)
    pairs shown under a comment; `mentions`: usernames highlighted in the body. Comments also carry their
    `comment` id, whether they were `edited` or `deleted`, and whether the viewer `can_edit`/`can_delete`
    them (the pane's inline buttons)."""

    at: datetime.datetime
    kind: str
    actor: object
    title: str
    body: str = ""
    url: str = ""
    files: tuple = field(default_factory=tuple)
    mentions: tuple = field(default_factory=tuple)
    comment: int | None = None
    edited: bool = False
    deleted: bool = False
    can_edit: bool = False
    can_delete: bool = False

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return ""
        if hasattr(self.actor, "get_username"):
            return self.actor.get_full_name() or self.actor.get_username()
        return str(self.actor)


PROVIDERS: list[Callable] = []


def register_provider(provider: Callable) -> Callable:
    """Add `provider(record, user) -> list[TimelineItem]` (usable as a decorator; registering twice is harmless)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def timeline_for(record, user, *, limit: int | None = 200) -> list[TimelineItem]:
    """Every provider's items about `record`, newest first (ties keep the providers' order)."""
    items: list[TimelineItem] = []
    for provider in PROVIDERS:
        try:
            items.extend(provider(record, user) or [])
        except Exception:  # one module's bug must not take the record page down
            logger.exception("Timeline provider %s failed for %r", getattr(provider, "__name__", provider), record)
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit] if limit else items

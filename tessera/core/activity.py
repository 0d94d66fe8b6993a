"""Core's part in collaboration: its notification kinds and its timeline providers.

Kinds: background job finished / failed (to the job's user), mentioned in a comment, a comment on a
record one follows, and (fallback) any other event on a record one follows (a state change: posted,
cancelled, ...; a file attached). Timeline: the record's audit history, its comments and its files.
Imported once from CoreConfig.ready.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Attachment, Comment
from .models.audit import AuditAction
from .notifications import can_view, event_label, event_record, register_kind
from .selectors import record_history
from .services.comments import comment_can_delete, comment_can_post, comments_of, followers_of
from .services.jobs import job_kind_get
from .timeline import TimelineItem, register_provider

User = get_user_model()


def record_url(record) -> str:
    """The record's page: `<app>:<model>_detail` by the screen_urls convention, else get_absolute_url."""
    meta = record._meta
    try:
        return reverse(f"{meta.app_label}:{meta.model_name}_detail", args=[record.pk])
    except NoReverseMatch:
        getter = getattr(record, "get_absolute_url", None)
        return getter() if callable(getter) else ""


def record_name(record) -> str:
    return f"{capfirst(record._meta.verbose_name)} {record}"


def _actor_name(event) -> str:
    return (event.actor.get_full_name() or event.actor.get_username()) if event.actor_id else _("Tessera")


# --- Jobs ---------------------------------------------------------------------------------------

def _job_user(event):
    user_id = (event.payload or {}).get("user")
    return list(User.objects.filter(pk=user_id)) if user_id else []


def _job_render(event, user):
    definition = job_kind_get((event.payload or {}).get("kind", ""))
    label = str(definition.label) if definition else (event.payload or {}).get("kind", "")
    try:
        url = reverse("core:job_detail", args=[event.object_id])
    except NoReverseMatch:
        url = ""
    if event.name.endswith(".failed"):
        return _("“%(job)s” failed") % {"job": label}, _("Open the job to see the error."), url
    return _("“%(job)s” finished") % {"job": label}, "", url


register_kind("core.job.succeeded", label=gettext_lazy("Background job finished"), recipients=_job_user,
              render=_job_render, notify_actor=True,
              description=gettext_lazy("An export or another long task you started has finished."))
register_kind("core.job.failed", label=gettext_lazy("Background job failed"), recipients=_job_user,
              render=_job_render, notify_actor=True, default_email=True,
              description=gettext_lazy("A long task you started has failed."))


# --- Comments and followers ---------------------------------------------------------------------

def _mentioned(event):
    record = event_record(event)
    if record is None:
        return []
    users = User.objects.filter(pk__in=(event.payload or {}).get("mentions") or [])
    return [user for user in users if can_view(user, record)]


def _followers(event):
    record = event_record(event)
    if record is None:
        return []
    author = (event.payload or {}).get("author") if event.name == "core.comment.added" else None
    return [user for user in followers_of(record) if user.pk != author and can_view(user, record)]


def _comment_render(event, user, *, mentioned: bool):
    record = event_record(event)
    author = User.objects.filter(pk=(event.payload or {}).get("author")).first()
    values = {"user": (author.get_full_name() or author.get_username()) if author else _actor_name(event),
              "record": record_name(record) if record else ""}
    title = (_("%(user)s mentioned you on %(record)s") if mentioned else _("%(user)s commented on %(record)s")) % values
    excerpt = (event.payload or {}).get("excerpt", "")
    files = (event.payload or {}).get("files") or []
    if files:
        excerpt = (excerpt + "\n" if excerpt else "") + _("Files: %(files)s") % {"files": ", ".join(files)}
    return title, excerpt, record_url(record) if record else ""


# "core.comment.*": a comment edited to mention someone new tells them too (the event names only them); an
# edit or a deletion raises no other notification (not the followers' "changes to records I follow").
register_kind("core.comment.mentioned", event="core.comment.*", label=gettext_lazy("Mentioned in a comment"),
              recipients=_mentioned, render=lambda event, user: _comment_render(event, user, mentioned=True),
              default_email=True, description=gettext_lazy("Someone wrote @your-username in a comment."))
register_kind("core.comment.added", label=gettext_lazy("Comments on records I follow"), recipients=_followers,
              render=lambda event, user: _comment_render(event, user, mentioned=False))


def _activity_followers(event):
    payload = event.payload or {}
    if event.name == "core.attachment.added" and Comment.objects.filter(attachments=payload.get("attachment")).exists():
        return []  # a file sent with a comment: the comment's notification tells of it
    return _followers(event)


def _activity_render(event, user):
    record = event_record(event)
    title = _("%(record)s: %(event)s") % {"record": record_name(record) if record else "", "event": event_label(
        event.name)}
    body = _("By %(user)s") % {"user": _actor_name(event)} if event.actor_id else ""
    return title, body, record_url(record) if record else ""


register_kind("core.record.activity", event="*", fallback=True, label=gettext_lazy("Changes to records I follow"),
              recipients=_activity_followers, render=_activity_render,
              description=gettext_lazy("A record you created, commented on or follow was posted, cancelled, "
                                       "approved, got a file..."))


# --- Timeline -----------------------------------------------------------------------------------

def _change_lines(entry, model) -> str:
    from .templatetags.tessera_ui import history_changes

    rows = history_changes(entry, model)
    return "\n".join(f"{label}: {old} → {new}" for label, old, new in rows[:8])


def history_items(record, user) -> list[TimelineItem]:
    """The record's audit entries: created, changed (what), state changes (from → to), deleted."""
    model = type(record)
    items = []
    for entry in record_history(user, record)[:200]:
        actor = entry.actor or entry.actor_repr
        if entry.action == AuditAction.CREATE:
            items.append(TimelineItem(at=entry.at, kind="history", actor=actor, title=_("Created")))
        elif entry.action == AuditAction.TRANSITION:
            items.append(TimelineItem(at=entry.at, kind="state", actor=actor, title=_("State changed"),
                                      body=_change_lines(entry, model)))
        elif entry.action == AuditAction.UPDATE:
            items.append(TimelineItem(at=entry.at, kind="history", actor=actor, title=_("Changed"),
                                      body=_change_lines(entry, model)))
        else:
            items.append(TimelineItem(at=entry.at, kind="history", actor=actor, title=entry.get_action_display()))
    return items


def comment_items(record, user) -> list[TimelineItem]:
    """The comments, each with what the viewer may do to it; a deleted one says who deleted it."""
    items = []
    may_comment = comment_can_post(user, record)
    for comment in comments_of(record):
        if comment.is_deleted:
            deleter = comment.deleted_by
            by = (deleter.get_full_name() or deleter.get_username()) if deleter else ""
            items.append(TimelineItem(at=comment.created_at, kind="comment", actor=comment.author,
                                      title=_("Comment deleted"), comment=comment.pk, deleted=True,
                                      body=_("Comment deleted by %(user)s") % {"user": by} if by
                                      else _("Comment deleted")))
            continue
        files = tuple((attachment.filename, reverse("core:attachment_file", args=[attachment.pk]))
                      for attachment in comment.attachments.all())
        own = may_comment and comment.author_id == user.pk
        items.append(TimelineItem(at=comment.created_at, kind="comment", actor=comment.author, title=_("Comment"),
                                  body=comment.body, files=files,
                                  mentions=tuple(user.username for user in comment.mentions.all()),
                                  comment=comment.pk, edited=comment.edited_at is not None, can_edit=own,
                                  can_delete=own or comment_can_delete(user, comment, record)))
    return items


def attachment_items(record, user) -> list[TimelineItem]:
    """Files attached on their own (a comment's files show under the comment)."""
    attachments = (Attachment.objects.filter(content_type=ContentType.objects.get_for_model(type(record)),
                                             object_id=str(record.pk), comments__isnull=True)
                   .select_related("uploaded_by").order_by("pk"))
    return [TimelineItem(at=attachment.uploaded_at, kind="attachment", actor=attachment.uploaded_by,
                         title=_("File attached: %(name)s") % {"name": attachment.filename},
                         body=attachment.description, url=reverse("core:attachment_file", args=[attachment.pk]))
            for attachment in attachments]


for _provider in (history_items, comment_items, attachment_items):
    register_provider(_provider)

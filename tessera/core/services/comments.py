"""Comments with @mentions and files on any company record, and the record's followers.

Who may do what follows the record: whoever may see it may read and write comments and follow it;
sending files with a comment needs the change permission on the record (the files become the
record's attachments, services.attachments); making someone else follow (or stop following) needs
it too. The author edits their own comments (shown "edited"); the author or an administrator
(core.delete_comment) deletes one, which leaves a "comment deleted" tombstone in the timeline — as
GitHub's timeline keeps "deleted a comment" and Odoo's discussion "this message has been removed":
the words go, the fact that something was said and who removed it stay in the record's trail.

Followers are the record's creator (from its audit trail, without a row), whoever commented, and
whoever chose to follow; `Follower.is_active=False` keeps that someone stopped. A comment notifies
the mentioned users ("mentioned you") and the followers ("commented") through the domain event
`core.comment.added` (tessera.core.activity registers both kinds).
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from ..models import AuditEntry, Comment, Follower
from ..models.audit import AuditAction
from ..notifications import can_view
from ..permissions import check, perm_name, require
from . import attachments as attachment_service
from .base import validate

User = get_user_model()

# @username: Django usernames are letters, digits and @ . + - _; a trailing dot or dash ends a sentence.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]*[\w@+])")
BODY_MAX = 10000


def _company_of(record):
    company = getattr(record, "company", None)
    if company is None:
        raise ValidationFailed(_("Only company records can be discussed."))
    return company


def _where(record) -> dict:
    return {"content_type": ContentType.objects.get_for_model(type(record)), "object_id": str(record.pk)}


def comment_can_post(user, record) -> bool:
    return bool(check(user, perm_name(type(record), "view"), _company_of(record)))


def comment_can_attach(user, record) -> bool:
    return attachment_service.attachment_can_change(user, record)


def mentions_parse(body: str) -> list[str]:
    """The usernames written as @username in `body`, in order, each once."""
    names = []
    for name in MENTION.findall(body or ""):
        if name not in names:
            names.append(name)
    return names


def mention_candidates(*, user, record, term: str = "", limit: int = 8):
    """Users who could be mentioned on `record` (active, working in its company, able to see it) whose
    username or name starts with `term`: for the comment box's autocomplete."""
    company = _company_of(record)
    if not comment_can_post(user, record):
        raise PermissionDenied(_("You may not see this record."))
    users = User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(profile__companies=company))
    if term:
        users = users.filter(Q(username__istartswith=term) | Q(first_name__istartswith=term)
                             | Q(last_name__istartswith=term))
    found = []
    for candidate in users.distinct().order_by("username")[: limit * 4]:
        if can_view(candidate, record):
            found.append(candidate)
        if len(found) >= limit:
            break
    return found


def _mentioned_users(body: str, record) -> list:
    names = mentions_parse(body)
    if not names:
        return []
    condition = Q()
    for name in names[:50]:
        condition |= Q(username__iexact=name)
    users = {user.username.lower(): user for user in User.objects.filter(condition, is_active=True)}
    return [users[name.lower()] for name in names if name.lower() in users and can_view(users[name.lower()], record)]


def comments_of(record):
    """The record's comments, oldest first, with their authors, mentions and files (deleted ones too:
    their tombstones, without text)."""
    return (Comment.objects.filter(**_where(record)).select_related("author", "deleted_by")
            .prefetch_related("mentions", "attachments").order_by("pk"))


def comment_record(comment: Comment):
    """The record a comment is on; NotFound once the record is gone (comments change within its life)."""
    model = comment.content_type.model_class()
    record = model._default_manager.filter(pk=comment.object_id).first() if model is not None else None
    if record is None:
        raise NotFound(_("The record this comment is on no longer exists."))
    return record


def comment_can_edit(user, comment: Comment, record=None) -> bool:
    """The author, while they may see the record, edits their own comment (not a deleted one)."""
    if comment.is_deleted or comment.author_id is None or comment.author_id != getattr(user, "pk", None):
        return False
    return comment_can_post(user, record if record is not None else comment_record(comment))


def comment_can_delete(user, comment: Comment, record=None) -> bool:
    """The author (while they may see the record), or whoever holds core.delete_comment in the record's
    company (administrators), deletes a comment that is not deleted yet."""
    if comment.is_deleted:
        return False
    if check(user, "core.delete_comment", comment.company):
        return True
    return comment_can_edit(user, comment, record)


def _lock_comment(comment: Comment) -> Comment:
    return Comment.objects.select_for_update(of=("self",)).select_related("company").get(pk=comment.pk)


def comment_update(*, actor, comment: Comment, body: str) -> Comment:
    """The author changes the text of their comment: marked edited (`edited_at`), mentions re-read; the
    users newly mentioned are notified (`core.comment.edited` names only them). Raises NotFound (record
    gone), PermissionDenied (not the author, or may no longer see the record), InvalidState (deleted
    meanwhile), ValidationFailed (empty text on a comment without files, too long): nothing written."""
    record = comment_record(comment)
    if comment.author_id != actor.pk:
        raise PermissionDenied(_("Only its author may edit a comment."))
    require(actor, perm_name(type(record), "view"), comment.company)
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise ValidationFailed(fields={"body": [_("A comment may be at most %(max)s characters long.")
                                                % {"max": BODY_MAX}]})
    with transaction.atomic():
        locked = _lock_comment(comment)
        if locked.is_deleted:
            raise InvalidState(_("This comment was deleted."))
        if not body and not locked.attachments.exists():
            raise ValidationFailed(fields={"body": [_("Write a comment or attach a file.")]})
        if body == locked.body:
            return locked
        before = set(locked.mentions.values_list("pk", flat=True))
        mentioned = _mentioned_users(body, record)
        locked.body = body
        locked.edited_at = timezone.now()
        locked.save(update_fields=["body", "edited_at"])
        locked.mentions.set(mentioned)
        events.emit("core.comment.edited", company=locked.company, obj=record, payload={
            "comment": locked.pk, "author": actor.pk,
            "mentions": [user.pk for user in mentioned if user.pk not in before], "excerpt": body[:200]})
    return locked


def comment_delete(*, actor, comment: Comment) -> Comment:
    """Delete a comment (its author, or an administrator: core.delete_comment): the text, mentions and
    links to files are cleared and the row stays as a tombstone the timeline shows as "Comment deleted"
    (the files stay attached to the record). Raises NotFound, PermissionDenied, InvalidState (deleted
    already)."""
    record = comment_record(comment)
    if not check(actor, "core.delete_comment", comment.company):
        if comment.author_id != actor.pk:
            raise PermissionDenied(_("Only its author or an administrator may delete a comment."))
        require(actor, perm_name(type(record), "view"), comment.company)
    with transaction.atomic():
        locked = _lock_comment(comment)
        if locked.is_deleted:
            raise InvalidState(_("This comment was deleted already."))
        locked.body = ""
        locked.deleted_at = timezone.now()
        locked.deleted_by = actor
        locked.save(update_fields=["body", "deleted_at", "deleted_by"])
        locked.mentions.clear()
        locked.attachments.clear()
        events.emit("core.comment.deleted", company=locked.company, obj=record, payload={
            "comment": locked.pk, "author": locked.author_id, "deleted_by": actor.pk, "mentions": []})
    return locked


def comment_add(*, actor, record, body: str, files=()) -> Comment:
    """Comment on `record` (with optional uploaded `files`); the author follows the record from now on.

    Raises PermissionDenied (may not see the record, or files without the change permission) and
    ValidationFailed (empty or too long text, a file refused by the attachment checks): nothing is
    written then.
    """
    company = _company_of(record)
    require(actor, perm_name(type(record), "view"), company)
    body = (body or "").strip()
    files = [file for file in files or [] if file]
    if files:
        require(actor, perm_name(type(record), "change"), company)
        for file in files:
            attachment_service.attachment_validate(file)
    if not body and not files:
        raise ValidationFailed(fields={"body": [_("Write a comment or attach a file.")]})
    if len(body) > BODY_MAX:
        raise ValidationFailed(fields={"body": [_("A comment may be at most %(max)s characters long.")
                                                % {"max": BODY_MAX}]})
    comment = Comment(company=company, author=actor, body=body, **_where(record))
    validate(comment, exclude=["body"] if not body else None)
    mentioned = _mentioned_users(body, record)
    with transaction.atomic():
        comment.save()
        if mentioned:
            comment.mentions.set(mentioned)
        for file in files:
            comment.attachments.add(attachment_service.attachment_add(actor=actor, record=record, file=file))
        _follow(record, actor, company)
        events.emit("core.comment.added", company=company, obj=record, payload={
            "comment": comment.pk, "author": actor.pk, "mentions": [user.pk for user in mentioned],
            "excerpt": body[:200], "files": [attachment.filename for attachment in comment.attachments.all()],
        })
    return comment


# --- Followers ----------------------------------------------------------------------------------

def record_creator(record):
    """Who created `record`, from its audit trail (None when it came from a command or the demo)."""
    entry = (AuditEntry.objects.filter(action=AuditAction.CREATE, actor__isnull=False, **_where(record))
             .select_related("actor").order_by("pk").first())
    return entry.actor if entry else None


def followers_of(record) -> list:
    """The active users following `record`: its creator (unless they stopped) and everyone who follows."""
    rows = {row.user_id: row for row in Follower.objects.filter(**_where(record)).select_related("user")}
    users = [row.user for row in rows.values() if row.is_active and row.user.is_active]
    creator = record_creator(record)
    if creator is not None and creator.is_active and creator.pk not in rows:
        users.insert(0, creator)
    return users


def is_following(user, record) -> bool:
    row = Follower.objects.filter(user=user, **_where(record)).first()
    if row is not None:
        return row.is_active
    creator = record_creator(record)
    return creator is not None and creator.pk == user.pk


def _follow(record, user, company, *, active: bool = True) -> Follower:
    follower, _created = Follower.objects.update_or_create(
        user=user, **_where(record), defaults={"is_active": active, "company": company})
    return follower


def _check_follow(actor, record, user):
    company = _company_of(record)
    require(actor, perm_name(type(record), "view"), company)
    if user.pk != actor.pk:
        require(actor, perm_name(type(record), "change"), company)
        if not user.is_active or not can_view(user, record):
            raise ValidationFailed(fields={"user": [_("%(user)s may not see this record.") % {"user": user}]})
    return company


def follower_add(*, actor, record, user=None) -> Follower:
    """`user` (default: the actor) follows `record`. Following someone else in needs the change
    permission on the record, and they must be able to see it."""
    user = user or actor
    company = _check_follow(actor, record, user)
    with transaction.atomic():
        return _follow(record, user, company)


def follower_remove(*, actor, record, user=None) -> Follower:
    """`user` (default: the actor) stops following `record` (the creator too)."""
    user = user or actor
    company = _check_follow(actor, record, user)
    with transaction.atomic():
        return _follow(record, user, company, active=False)

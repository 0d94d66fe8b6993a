"""The Activity tab of every record page: the timeline, the comment box (with @mention autocomplete and
files), inline edit and delete of comments, and the follow button, all refreshed in place with htmx.

The record is named by its content type and id and must belong to the company the user works in;
whoever may see it may comment and follow (services.comments).
"""

from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import errors
from ..models import Comment
from ..services import comments as service
from ..timeline import timeline_for
from .attachments import record_for
from .generic import Screen, is_htmx

PANE_TEMPLATE = "core/activity/pane.html"


def activity_context(user, record) -> dict:
    """What the Activity tab shows (also used by DetailView to render it inline)."""
    content_type = ContentType.objects.get_for_model(type(record))
    args = [content_type.pk, record.pk]
    followers = service.followers_of(record)
    return {
        "activity_record": record,
        "timeline": timeline_for(record, user),
        "followers": followers,
        "is_following": any(follower.pk == user.pk for follower in followers),
        "can_comment": service.comment_can_post(user, record),
        "can_attach_to_comment": service.comment_can_attach(user, record),
        "activity_url": reverse("core:activity_pane", args=args),
        "comments_url": reverse("core:activity_pane", args=args) + "comments/",  # + <id>/edit/, <id>/delete/
        "follow_url": reverse("core:activity_follow", args=args),
        "mention_url": reverse("core:activity_mentions", args=args),
    }


class ActivityScreen(Screen):
    """Access follows the record (checked here), not a permission of its own."""

    permission = None
    record = None
    title = gettext_lazy("Activity")

    def check_access(self) -> None:
        self.record = record_for(self.company, self.kwargs["content_type"], self.kwargs["object_id"])
        if not service.comment_can_post(self.request.user, self.record):
            raise errors.PermissionDenied(_("You may not see this record."))

    def get_breadcrumbs(self, obj=None) -> list:
        return []

    def pane(self, status=200, error="", body="", editing=None, edit_body=""):
        context = activity_context(self.request.user, self.record)
        context.update({"activity_error": error, "comment_body": body, "editing_comment": editing,
                        "edit_body": edit_body})
        return self.render(context, PANE_TEMPLATE, status=status)

    def done(self):
        if is_htmx(self.request):
            return self.pane()
        return redirect(self.request.META.get("HTTP_REFERER") or "/")


class ActivityPaneView(ActivityScreen):
    """GET: the tab's content; POST: add a comment (text and files), then the refreshed tab."""

    def get(self, request, *args, **kwargs):
        return self.pane()

    def post(self, request, *args, **kwargs):
        body = request.POST.get("body", "")
        try:
            service.comment_add(actor=request.user, record=self.record, body=body,
                                files=request.FILES.getlist("files"))
        except errors.ValidationFailed as error:
            messages = [str(m) for values in error.fields.values() for m in values] or [str(error.message)]
            return self.pane(status=400, error="; ".join(messages), body=body)
        except errors.PermissionDenied as error:
            return self.pane(status=403, error=error.message, body=body)
        return self.done()


class CommentScreen(ActivityScreen):
    """One comment of the record (404 when the id names a comment of another record)."""

    http_method_names = ["get", "post"]

    def comment(self) -> Comment:
        found = Comment.objects.filter(pk=self.kwargs["comment"], content_type_id=self.kwargs["content_type"],
                                       object_id=str(self.kwargs["object_id"])).first()
        if found is None:
            raise errors.NotFound(_("Comment not found."))
        return found

    def failed(self, error, editing=None, edit_body=""):
        if isinstance(error, errors.ValidationFailed):
            messages = [str(m) for values in error.fields.values() for m in values] or [str(error.message)]
            return self.pane(status=400, error="; ".join(messages), editing=editing, edit_body=edit_body)
        status = 403 if isinstance(error, errors.PermissionDenied) else 409
        return self.pane(status=status, error=str(error.message))


class CommentEditView(CommentScreen):
    """GET: the pane with the comment as an inline form (its author only); POST `body`: save it."""

    def get(self, request, *args, **kwargs):
        comment = self.comment()
        if not service.comment_can_edit(request.user, comment, self.record):
            return self.pane(status=403, error=_("Only its author may edit a comment."))
        return self.pane(editing=comment.pk, edit_body=comment.body)

    def post(self, request, *args, **kwargs):
        comment = self.comment()
        body = request.POST.get("body", "")
        try:
            service.comment_update(actor=request.user, comment=comment, body=body)
        except (errors.ValidationFailed, errors.PermissionDenied, errors.InvalidState) as error:
            return self.failed(error, editing=comment.pk, edit_body=body)
        return self.done()


class CommentDeleteView(CommentScreen):
    """POST: delete the comment (its author or an administrator); the pane shows its tombstone."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            service.comment_delete(actor=request.user, comment=self.comment())
        except (errors.PermissionDenied, errors.InvalidState) as error:
            return self.failed(error)
        return self.done()


class ActivityFollowView(ActivityScreen):
    """POST `action=follow|unfollow` for the signed-in user."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "unfollow":
            service.follower_remove(actor=request.user, record=self.record)
        else:
            service.follower_add(actor=request.user, record=self.record)
        return self.done()


class ActivityMentionsView(ActivityScreen):
    """Who can be @mentioned on this record: `?q=<start of a username or name>` -> JSON."""

    def get(self, request, *args, **kwargs):
        users = service.mention_candidates(user=request.user, record=self.record, term=request.GET.get("q", "")[:50])
        return JsonResponse({"results": [{"username": user.username, "name": user.get_full_name() or user.username}
                                         for user in users]})

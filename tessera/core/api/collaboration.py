"""Discussion on any record through the API: one viewset mixin adding, under each item,

    GET    <item>/comments/     the comments, oldest first (with mentions and files)
    POST   <item>/comments/     comment: JSON {"body": "... @username ..."}, or multipart with `body` and
                                one or more `files` (files need the change permission on the record)
    PATCH  <item>/comments/<id>/  the author edits the text: {"body": "..."} (the comment shows edited_at)
    DELETE <item>/comments/<id>/  its author or an administrator deletes it (204; a tombstone stays: empty
                                body, is_deleted, deleted_at)
    GET    <item>/followers/    who follows the record
    POST   <item>/followers/    follow it (body {"user": id} to make someone else follow: change permission)
    DELETE <item>/followers/    stop following (`?user=<id>` for someone else: change permission)
    GET    <item>/activity/     the activity timeline: history, comments, files, approvals... newest first

`RecordExtrasMixin` bundles these with the attachments (api.attachments.AttachmentsMixin): a record
viewset mixes it in once. Whoever may see the record may comment on it and follow it.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ..errors import NotFound, ValidationFailed
from ..models import Comment
from ..services import comments as service
from ..timeline import timeline_for
from .attachments import AttachmentSerializer, AttachmentsMixin
from .parsers import StrictJSONParser

User = get_user_model()


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class CommentSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)
    mentions = UserSummarySerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    is_deleted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "mentions", "attachments", "created_at", "edited_at", "is_deleted",
                  "deleted_at"]
        read_only_fields = fields


class TimelineItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    actor = serializers.CharField(source="actor_name")
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()
    files = serializers.SerializerMethodField()
    mentions = serializers.ListField(child=serializers.CharField())

    def get_files(self, item) -> list[dict]:
        return [{"name": name, "url": url} for name, url in item.files]


COMMENT_INPUT = inline_serializer("CommentInput", fields={
    "body": serializers.CharField(required=False),
    "files": serializers.ListField(child=serializers.FileField(), required=False),
})
COMMENT_EDIT_INPUT = inline_serializer("CommentEditInput", fields={"body": serializers.CharField()})
FOLLOW_INPUT = inline_serializer("FollowInput", fields={"user": serializers.IntegerField(required=False)})


class CommentsMixin:
    """Comments, followers and the activity timeline of a viewset's items."""

    @extend_schema(responses=CommentSerializer(many=True), summary="Comments on the record")
    @action(detail=True, methods=["get"], url_path="comments", required_permission="view", pagination_class=None,
            parser_classes=[StrictJSONParser, MultiPartParser, FormParser])
    def comments(self, request, pk=None):
        return Response(CommentSerializer(service.comments_of(self.get_object()), many=True).data)

    @extend_schema(request={"application/json": COMMENT_INPUT, "multipart/form-data": COMMENT_INPUT},
                   responses={201: CommentSerializer}, summary="Comment on the record")
    @comments.mapping.post
    def comments_add(self, request, pk=None):
        record = self.get_object()
        body = request.data.get("body", "")
        if not isinstance(body, str):
            raise ValidationFailed(fields={"body": [_("Send the comment as text.")]})
        unknown = sorted(set(request.data) - {"body", "files"})
        if unknown:
            raise ValidationFailed(fields={name: [_("Unknown field.")] for name in unknown})
        comment = service.comment_add(actor=request.user, record=record, body=body,
                                      files=request.FILES.getlist("files"))
        return Response(CommentSerializer(service.comments_of(record).get(pk=comment.pk)).data, status=201)

    def _comment(self, record, comment):
        found = service.comments_of(record).filter(pk=comment).first()
        if found is None:
            raise NotFound(_("Comment not found."))
        return found

    @extend_schema(request=COMMENT_EDIT_INPUT, responses={200: CommentSerializer},
                   summary="Edit one's comment (the author only)")
    @action(detail=True, methods=["patch"], url_path=r"comments/(?P<comment>[0-9]+)", required_permission="view",
            parser_classes=[StrictJSONParser])
    def comment_item(self, request, pk=None, comment=None):
        record = self.get_object()
        found = self._comment(record, comment)
        body = request.data.get("body")
        if not isinstance(body, str):
            raise ValidationFailed(fields={"body": [_("Send the comment as text.")]})
        unknown = sorted(set(request.data) - {"body"})
        if unknown:
            raise ValidationFailed(fields={name: [_("Unknown field.")] for name in unknown})
        service.comment_update(actor=request.user, comment=found, body=body)
        return Response(CommentSerializer(self._comment(record, comment)).data)

    @extend_schema(responses={204: None}, summary="Delete a comment (its author or an administrator)")
    @comment_item.mapping.delete
    def comment_item_delete(self, request, pk=None, comment=None):
        record = self.get_object()
        service.comment_delete(actor=request.user, comment=self._comment(record, comment))
        return Response(status=204)

    @extend_schema(responses=UserSummarySerializer(many=True), summary="Followers of the record")
    @action(detail=True, methods=["get"], url_path="followers", required_permission="view", pagination_class=None)
    def followers(self, request, pk=None):
        return Response(UserSummarySerializer(service.followers_of(self.get_object()), many=True).data)

    @extend_schema(request=FOLLOW_INPUT, responses={200: UserSummarySerializer(many=True)},
                   summary="Follow the record (or make a user follow it)")
    @followers.mapping.post
    def followers_add(self, request, pk=None):
        record = self.get_object()
        service.follower_add(actor=request.user, record=record, user=self._named_user(request.data.get("user")))
        return Response(UserSummarySerializer(service.followers_of(record), many=True).data)

    @extend_schema(parameters=[OpenApiParameter("user", OpenApiTypes.INT, required=False)],
                   responses={200: UserSummarySerializer(many=True)}, summary="Stop following the record")
    @followers.mapping.delete
    def followers_remove(self, request, pk=None):
        record = self.get_object()
        service.follower_remove(actor=request.user, record=record,
                                user=self._named_user(request.query_params.get("user")))
        return Response(UserSummarySerializer(service.followers_of(record), many=True).data)

    @extend_schema(responses=TimelineItemSerializer(many=True), summary="The record's activity timeline")
    @action(detail=True, methods=["get"], url_path="activity", required_permission="view", pagination_class=None)
    def activity(self, request, pk=None):
        return Response(TimelineItemSerializer(timeline_for(self.get_object(), request.user), many=True).data)

    def _named_user(self, value):
        if value in (None, ""):
            return None
        try:
            found = User.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise ValidationFailed(fields={"user": [_("There is no such user.")]})
        return found


class RecordExtrasMixin(AttachmentsMixin, CommentsMixin):
    """Attachments, comments, followers and the activity timeline on a record viewset's items."""

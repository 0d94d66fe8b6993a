"""Files on any record through the API: a viewset mixin adding, under each item,

    GET    <item>/attachments/          the files (list)
    POST   <item>/attachments/          upload (multipart: `file`, optional `description`)
    GET    <item>/attachments/{id}/     download the file
    DELETE <item>/attachments/{id}/     remove it (drafts and records without a life cycle only)

Seeing the record lets one see its files; the change permission on its model lets one add and remove.
"""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ..errors import NotFound
from ..models import Attachment
from ..services import attachments as service


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = Attachment
        fields = ["id", "filename", "mime_type", "size", "sha256", "description", "uploaded_at", "uploaded_by"]
        read_only_fields = fields


UPLOAD = inline_serializer("AttachmentUpload", fields={
    "file": serializers.FileField(), "description": serializers.CharField(required=False),
})


class AttachmentsMixin:
    """Mix into a RecordViewSet or ReadOnlyViewSet to give its items attachments."""

    @extend_schema(responses=AttachmentSerializer(many=True), summary="Files attached to the record")
    @action(detail=True, methods=["get"], url_path="attachments", required_permission={"GET": "view", "POST": "change"},
            parser_classes=[MultiPartParser, FormParser], pagination_class=None)
    def attachments(self, request, pk=None):
        record = self.get_object()
        return Response(AttachmentSerializer(service.attachments_of(record), many=True).data)

    @extend_schema(request={"multipart/form-data": UPLOAD}, responses={201: AttachmentSerializer},
                   summary="Attach a file to the record")
    @attachments.mapping.post
    def attachments_upload(self, request, pk=None):
        record = self.get_object()
        attachment = service.attachment_add(actor=request.user, record=record, file=request.FILES.get("file"),
                                            description=request.data.get("description", ""))
        return Response(AttachmentSerializer(attachment).data, status=201)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   summary="Download an attached file")
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)",
            required_permission={"GET": "view", "DELETE": "change"})
    def attachment(self, request, pk=None, attachment_pk=None):
        found = self._attachment(attachment_pk)
        response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename,
                                content_type=found.mime_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(responses={204: None}, summary="Remove an attached file")
    @attachment.mapping.delete
    def attachment_delete(self, request, pk=None, attachment_pk=None):
        service.attachment_delete(actor=request.user, attachment=self._attachment(attachment_pk))
        return Response(status=204)

    def _attachment(self, attachment_pk):
        record = self.get_object()
        found = service.attachments_of(record).filter(pk=attachment_pk).first()
        if found is None:
            raise NotFound()
        return found

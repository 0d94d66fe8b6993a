"""What every module's report endpoint shares: query parameters checked by a serializer, the report as
JSON, or `?format=csv|xlsx|pdf` as a file rendered by tessera/core/exports.py; and its OpenAPI shape.

    class TrialBalanceView(ReportApiView):
        module = "accounting"; required_permission = ...; query_serializer = ...; output_serializer = ...
        def build(self, request, params): ...      # the report
        def table(self, report): ...               # the report as a TabularReport for the files
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from ..exports import export_response
from .base import ApiView

FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description=_("With ?format=csv, xlsx or pdf: the file."))


class ReportApiView(ApiView):
    query_serializer = None
    output_serializer = None

    def perform_content_negotiation(self, request, force=False):
        # `?format=csv|xlsx|pdf` asks for a file made here, not for one of DRF's renderers.
        return super().perform_content_negotiation(request, force=True)

    def query(self, request) -> dict:
        serializer = self.query_serializer(data=request.query_params, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def build(self, request, params: dict):
        raise NotImplementedError

    def table(self, report):
        raise NotImplementedError

    def get(self, request):
        params = self.query(request)
        report = self.build(request, params)
        if params["format"] != "json":
            return export_response(self.table(report), params["format"])
        return Response(self.output_serializer(report).data)


def report_schema(query, output, summary):
    """The OpenAPI description of a report endpoint: its query parameters, JSON or a file."""
    return extend_schema(parameters=[query], responses={(200, "application/json"): output,
                                                        (200, "application/octet-stream"): FILE_RESPONSE},
                         summary=summary)

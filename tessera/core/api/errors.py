"""One error shape for every API error (API.md):
`{"error": {"code", "message", "fields"}}` — DRF's, Django's and Tessera's domain errors alike.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from ..errors import DomainError, ValidationFailed

# Malformed JSON is "bad input" and answers 400 `validation_error` like every other 400 (API.md
# documents one 400 code); the message says the body could not be parsed. Every 401 (no
# credentials, or a bad, expired or revoked token) is `not_authenticated`; the message says which.
CODES = {
    exceptions.ParseError: "validation_error",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> dict:
    """DRF's nested ValidationError detail -> {"field": ["msg", ...], "lines.0.quantity": [...]}."""
    fields: dict[str, list[str]] = {}

    def walk(prefix: str, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, item in enumerate(value):
                if item:
                    walk(f"{prefix}.{index}" if prefix else str(index), item)
        else:
            items = value if isinstance(value, list) else [value]
            fields.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in items)

    walk("", detail)
    return fields


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        domain = ValidationFailed.from_django(exc)
        return Response(error_body(domain.code, domain.message, domain.fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        non_field = fields.get("non_field_errors")
        message = non_field[0] if non_field else _("Some fields are not valid.")
        return Response(error_body("validation_error", message, fields), status=400)
    if isinstance(exc, exceptions.APIException):
        code = next((c for klass, c in CODES.items() if isinstance(exc, klass)), None) or exc.default_code
        detail = exc.detail if isinstance(exc.detail, str) else _flatten(exc.detail)
        message = detail if isinstance(detail, str) else next(iter(detail.values()))[0]
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response(error_body(code, message), status=exc.status_code, headers=headers)
    return None


def json_error_view(status: int, code: str, message):
    def view(request, exception=None):
        return JsonResponse(error_body(code, message), status=status)

    return view

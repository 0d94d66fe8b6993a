"""Error handlers: the API error shape under /api/, HTML pages elsewhere.

Django calls these for errors raised outside DRF (unknown URLs, CSRF or host failures, crashes
when DEBUG is off). The pages fall back to plain text if their template is missing or broken, so
an error page can never raise an error of its own.
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api.errors import error_body

logger = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _answer(request, status: int, code: str, message, template: str):
    if _is_api(request):
        return JsonResponse(error_body(code, message), status=status)
    try:
        html = render_to_string(template, {"message": message, "status": status}, request=request)
    except TemplateDoesNotExist:
        return HttpResponse(str(message), status=status, content_type="text/plain; charset=utf-8")
    except Exception:  # a broken error template must not hide the original error
        logger.exception("Error template %s failed", template)
        return HttpResponse(str(message), status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400, "validation_error", _("Bad request."), "400.html")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("You do not have permission to do this.")
    return _answer(request, 403, "permission_denied", message, "403.html")


def not_found(request, exception=None):
    return _answer(request, 404, "not_found", _("Not found."), "404.html")


def server_error(request):
    return _answer(request, 500, "server_error", _("Something went wrong on our side."), "500.html")

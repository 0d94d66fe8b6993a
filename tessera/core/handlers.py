"""Error handlers: the API error shape under /api/, HTML pages elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .api.errors import error_body


def _answer(request, status: int, code: str, message, template: str):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, template, {"message": message, "status": status}, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400, "bad_request", _("Bad request."), "400.html")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("You do not have permission to do this.")
    return _answer(request, 403, "permission_denied", message, "403.html")


def not_found(request, exception=None):
    return _answer(request, 404, "not_found", _("Not found."), "404.html")


def server_error(request):
    return _answer(request, 500, "server_error", _("Something went wrong on our side."), "500.html")

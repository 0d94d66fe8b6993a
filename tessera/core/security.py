"""Login throttling answers (django-axes calls these when a username/IP pair is locked out)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, *args, **kwargs):
    message = _("Too many failed sign-in attempts. Try again later.")
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "throttled", "message": message, "fields": {}}}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)

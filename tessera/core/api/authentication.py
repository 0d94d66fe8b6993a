"""API token authentication: `Authorization: Token <key>`; the key's SHA-256 is looked up."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .. import context
from ..models import ApiToken
from ..models.security import hash_token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None or not token.is_usable:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        context.update(user=token.user, channel="api", api_token=token)
        return token.user, token


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF checks; marks the acting channel as the web UI."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            context.update(user=result[0], channel="ui")
        return result

"""Signing in for a token, managing one's own tokens, and who am I."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ... import context
from ...errors import ValidationFailed
from ...models import ApiToken
from ...selectors import company_list
from ...services.companies import active_module_codes
from ...services.users import api_token_create, api_token_revoke
from ..base import ApiView, ReadOnlyViewSet, idempotent
from ..permissions import AUTHENTICATED
from ..serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenSerializer,
    CompanySummarySerializer,
    MeSerializer,
    TokenLoginSerializer,
    TokenSerializer,
)

LOGIN_TOKEN_NAME = "api login"


class TokenLoginView(APIView):
    """`POST auth/token/`: exchange a username and password for a new API token.

    Goes through django.contrib.auth.authenticate with the request, so django-axes counts failures
    and locks a username/IP pair out (429); the `token_login` throttle limits attempts per client.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token_login"

    @extend_schema(request=TokenLoginSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request):
        serializer = TokenLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            message = _("Unable to sign in with the username and password given.")
            raise ValidationFailed(message, fields={"non_field_errors": [message]})
        context.update(user=user, channel="api")
        _token, raw = api_token_create(actor=user, name=LOGIN_TOKEN_NAME)
        return Response({"token": raw}, status=status.HTTP_200_OK)


class ApiTokenViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """`core/tokens/`: the signed-in user's own API tokens; the key is shown once, at creation."""

    module = "core"
    required_permission = AUTHENTICATED  # everyone manages their own tokens only (see select)
    queryset = ApiToken.objects.all()
    serializer_class = ApiTokenSerializer
    filterset_fields = ["name"]
    search_fields = ["name", "prefix"]
    ordering_fields = ["created_at", "name", "last_used_at"]

    def select(self):
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(responses={201: ApiTokenCreatedSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = ApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, raw = api_token_create(
            actor=request.user, name=serializer.validated_data.get("name", ""),
            expires_at=serializer.validated_data.get("expires_at"),
        )
        body = ApiTokenCreatedSerializer(token, context={"raw_key": raw}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def revoke(self, request, pk=None):
        token = api_token_revoke(actor=request.user, token=self.get_object())
        return Response(ApiTokenSerializer(token).data)


class MeView(ApiView):
    """`core/me/`: the signed-in user, the company this request works in, and what is live there."""

    module = "core"
    required_permission = AUTHENTICATED

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        user = request.user
        company = request.company
        return Response({
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_superuser": user.is_superuser,
            "company": CompanySummarySerializer(company).data if company else None,
            "companies": CompanySummarySerializer(company_list(user), many=True).data,
            "modules": sorted(active_module_codes(company)),
        })

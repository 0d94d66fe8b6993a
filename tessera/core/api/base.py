"""The base every module's API builds on (API.md): declare serializers, querysets, filters, actions.

    class OrderViewSet(RecordViewSet):
        module = "sales"                       # 403 while the company has not activated sales
        queryset = SalesOrder.objects.all()    # scoped to request.company automatically
        serializer_class = OrderSerializer     # a base.ModelSerializer
        filterset_fields = ["state", "partner"]
        search_fields = ["number", "partner__name"]

        def perform_create(self, serializer):  # writes go through one service
            serializer.instance = order_create(actor=self.request.user, company=self.request.company,
                                               data=serializer.validated_data)

        @action(detail=True, methods=["post"], required_permission="confirm")
        @idempotent
        def confirm(self, request, pk=None): ...

What the base does for every request: authentication (401 in the error shape), the company from
`X-Company` or the user's default (403 if not allowed), the module check, the action's permission
(403 naming the missing permission), company scoping of querysets (another company's record is a
404), strict input (unknown fields and `company`/`state`/`number` refused, decimals only as
strings), and Idempotency-Key handling for creates and decorated actions.
"""

import functools
from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import context
from ..selectors import company_resolve, scoped
from ..services import idempotency
from ..services.base import record_create, record_delete, record_update
from .permissions import ActionPermission
from .schema import AutoSchema

# Fields the server sets: sending them is refused so clients learn, instead of being silently ignored.
SERVER_SET_FIELDS = ("company", "state", "number")


# --- Serializers -------------------------------------------------------------------------------


class DecimalField(serializers.DecimalField):
    """Money, quantities and rates travel as decimal strings (API.md); JSON numbers are refused."""

    default_error_messages = {
        "not_a_string": _('Send this value as a decimal string such as "12.50", not as a JSON number.'),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StrictInputMixin:
    """Refuse input the serializer would otherwise drop silently: unknown and server-set fields."""

    server_set_fields = SERVER_SET_FIELDS

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name in data:
                field = self.fields.get(name)
                if name in self.server_set_fields and (field is None or field.read_only):
                    errors[name] = [_("This field is set by Tessera and cannot be written.")]
                elif field is None:
                    errors[name] = [_("Unknown field.")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class Serializer(StrictInputMixin, serializers.Serializer):
    """Base for input/output serializers that are not tied to one model."""


class ModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    """Base for model serializers: strict input, decimal strings, `company` read-only."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalField,
    }

    def get_fields(self):
        fields = super().get_fields()
        for name in SERVER_SET_FIELDS:
            if name in fields:
                fields[name].read_only = True
        request = self.context.get("request")
        if request is not None:
            # Ids of another company's records are unknown here, exactly as they are at their own URLs.
            for field in fields.values():
                related = getattr(field, "child_relation", field)
                queryset = getattr(related, "queryset", None)
                if queryset is not None and is_company_owned(queryset.model):
                    related.queryset = scoped(queryset, getattr(request, "company", None))
        return fields


def writable_fields(serializer) -> set[str]:
    return {name for name, field in serializer.fields.items() if not field.read_only}


# --- Company, module, permissions --------------------------------------------------------------


def resolve_company(request):
    """The company a request works in: `X-Company`, else (browser session) the switcher's, else the default.

    Raises PermissionDenied (403) naming the company when the user may not work in it.
    """
    code = request.headers.get("X-Company", "").strip()
    if code:
        company = company_resolve(request.user, code)
    elif isinstance(request.successful_authenticator, SessionAuthentication) and getattr(
        request._request, "company", None
    ):
        company = request._request.company
    else:
        company = company_resolve(request.user, None)
    request.company = request._request.company = company
    context.update(company=company)
    return company


class ApiMixin:
    """Shared by every Tessera API view: company, module and action permission, error shape, schema.

    Declare `module` (its code in core.menu; "core" for settings). Custom actions declare
    `@action(..., required_permission="post")` (a verb on the view's model or a full
    `app_label.codename`); `permission_map = {"action": "perm"}` overrides standard actions.
    """

    module: str | None = None
    required_permission = None
    permission_map: dict = {}
    company_scoped = True  # filter querysets of company-owned models to request.company
    permission_classes = [ActionPermission]
    schema = AutoSchema()

    def check_permissions(self, request):
        if request.user and request.user.is_authenticated:
            method = request.method.lower()
            if method not in self.http_method_names or not hasattr(self, method):
                # Answer 405 before the action's permission: an unrouted method has no action to check.
                raise exceptions.MethodNotAllowed(request.method)
            resolve_company(request)
        else:
            request.company = None
        super().check_permissions(request)

    def get_model(self):
        queryset = getattr(self, "queryset", None)
        return queryset.model if queryset is not None else getattr(self, "model", None)


def is_company_owned(model) -> bool:
    return model is not None and any(field.name == "company" for field in model._meta.concrete_fields)


def idempotent(handler):
    """Make a create or action handler honour `Idempotency-Key` (see services.idempotency)."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return handler(self, request, *args, **kwargs)

        def work():
            response = handler(self, request, *args, **kwargs)
            return response.status_code, response.data

        company = getattr(request, "company", None)
        outcome = idempotency.idempotency_run(
            user=request.user, key=key, method=request.method, path=request.path, body=request.data,
            scope=company.code if company else "", work=work,
        )
        response = Response(outcome.body, status=outcome.status)
        if outcome.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    wrapper.idempotent = True
    return wrapper


# --- Views -------------------------------------------------------------------------------------


class ApiView(ApiMixin, APIView):
    """A single endpoint that is not a collection (declare `module` and `required_permission`)."""


class ReadOnlyViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve, scoped to the request's company for company-owned models.

    Override `select()` to start from a selector; the company scope is still applied unless the
    view sets `company_scoped = False` (only when the selector scopes by company itself).
    """

    def select(self):
        return self.queryset.all()

    def get_queryset(self):
        model = self.get_model()
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user or company
            return model._default_manager.none()
        queryset = self.select()
        if self.company_scoped and is_company_owned(model):
            queryset = scoped(queryset, self.request.company)
        return queryset


class RecordViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadOnlyViewSet):
    """A full collection: GET list/item, POST (idempotent), PATCH, DELETE; writes through services.

    The defaults use the generic record services (simple set-up records); documents override
    perform_create/perform_update/perform_destroy to call their own service. A view that overrides
    `create` itself decorates it with `@idempotent` again.
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.get_serializer(serializer.instance).data)

    def write_company(self):
        return self.request.company if is_company_owned(self.get_model()) else None

    def perform_create(self, serializer):
        serializer.instance = record_create(
            actor=self.request.user, model=self.get_model(), data=dict(serializer.validated_data),
            fields=writable_fields(serializer), company=self.write_company(),
        )

    def perform_update(self, serializer):
        serializer.instance = record_update(
            actor=self.request.user, instance=serializer.instance, data=dict(serializer.validated_data),
            fields=writable_fields(serializer), company=self.request.company,
        )

    def perform_destroy(self, instance):
        record_delete(actor=self.request.user, instance=instance, company=self.request.company)

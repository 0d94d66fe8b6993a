"""Users, roles and the permission matrix: who may see and do what."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from ...errors import ValidationFailed
from ...models import Role
from ...permissions import allowed_companies, effective_permissions
from ...services.users import (
    role_create,
    role_delete,
    role_set_permissions,
    user_create,
    user_set_password,
    user_update,
)
from ..base import RecordViewSet, idempotent
from ..serializers import (
    CompanySummarySerializer,
    PasswordResetSerializer,
    RolePermissionsSerializer,
    RoleSerializer,
    UserAccessSerializer,
    UserSerializer,
)

User = get_user_model()


class UserViewSet(RecordViewSet):
    """`core/users/`: users with their roles, allowed companies and default company. Disable, never delete."""

    module = "core"
    queryset = (
        User.objects.select_related("profile")
        .prefetch_related("groups__role", "profile__companies")
        .order_by("username")
    )
    serializer_class = UserSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active", "username"]
    search_fields = ["username", "email", "first_name", "last_name"]
    ordering_fields = ["username", "date_joined", "last_login"]

    def select(self):
        # Users are shared set-up, but an administrator of one company should not browse the staff
        # of companies they do not work in: they see the request company's users and unassigned ones.
        users = self.queryset.all()
        if self.request.user.is_superuser:
            return users
        return users.filter(
            Q(profile__companies=self.request.company) | Q(profile__companies__isnull=True)
        ).distinct()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = user_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        access = {name: data.pop(name, None) for name in ("roles", "companies", "default_company")}
        serializer.instance = user_update(actor=self.request.user, user=serializer.instance, data=data, **access)

    @extend_schema(request=PasswordResetSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="reset-password", required_permission="change")
    @idempotent
    def reset_password(self, request, pk=None):
        """An administrator sets a new password (users changing their own give `old_password`)."""
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_set_password(actor=request.user, user=self.get_object(), **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: UserAccessSerializer})
    @action(detail=True, methods=["get"], required_permission="view")
    def access(self, request, pk=None):
        """What this user can see and do: allowed companies, roles, effective permissions by model."""
        user = self.get_object()
        roles = Role.objects.filter(group__user=user).select_related("group")
        permissions = effective_permissions(user)
        return Response({
            "user": user.pk,
            "username": user.username,
            "is_superuser": user.is_superuser,
            "is_active": user.is_active,
            "default_company": user.profile.default_company_id,
            "companies": CompanySummarySerializer(allowed_companies(user).order_by("code"), many=True).data,
            "roles": RoleSerializer(roles, many=True).data,
            "permissions": {label: sorted(actions) for label, actions in sorted(permissions.items())},
        })


def _permissions_from(names: list[str]) -> list[Permission]:
    """`app_label.codename` strings -> Permission rows; unknown names are a field error."""
    pairs = {tuple(name.split(".", 1)) for name in names if name.count(".") == 1}
    condition = Q(pk__in=[])
    for app_label, codename in pairs:
        condition |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(condition).select_related("content_type"))
    known = {f"{perm.content_type.app_label}.{perm.codename}" for perm in found}
    unknown = sorted(set(names) - known)
    if unknown:
        raise ValidationFailed(
            fields={"permissions": [_("Unknown permission: %(name)s.") % {"name": name} for name in unknown]}
        )
    return found


def _permission_names(role: Role) -> list[str]:
    return sorted(
        f"{app_label}.{codename}"
        for app_label, codename in role.group.permissions.values_list("content_type__app_label", "codename")
    )


class RoleViewSet(RecordViewSet):
    """`core/roles/`: roles (seeded ones cannot be deleted) and `{id}/permissions/`, the role's matrix row."""

    module = "core"
    queryset = Role.objects.select_related("group")
    serializer_class = RoleSerializer
    http_method_names = ["get", "post", "put", "delete", "head", "options"]
    filterset_fields = ["code", "is_seeded"]
    search_fields = ["code", "group__name", "description"]
    ordering_fields = ["code"]

    def perform_create(self, serializer):
        serializer.instance = role_create(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        role_delete(actor=self.request.user, role=instance)

    @extend_schema(methods=["GET"], request=None, responses={200: RolePermissionsSerializer})
    @extend_schema(methods=["PUT"], request=RolePermissionsSerializer, responses={200: RolePermissionsSerializer})
    @action(detail=True, methods=["get", "put"],
            required_permission={"GET": "core.view_role", "PUT": "core.change_role"})
    def permissions(self, request, pk=None):
        """GET the role's permissions as `app_label.codename` strings; PUT replaces them all."""
        role = self.get_object()
        if request.method == "PUT":
            serializer = RolePermissionsSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            role = role_set_permissions(
                actor=request.user, role=role, permissions=_permissions_from(serializer.validated_data["permissions"])
            )
        return Response({"permissions": _permission_names(role)})

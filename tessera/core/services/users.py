"""Users, their roles and companies, roles' permissions, and API tokens."""

import datetime

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, events
from ..errors import PermissionDenied, ValidationFailed
from ..models import ApiToken, Company, Role
from ..permissions import require
from .base import validate

User = get_user_model()


def _check_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationFailed(fields={"password": list(error.messages)}) from error


def _set_access(user, *, roles=None, companies=None, default_company=None) -> None:
    if roles is not None:
        user.groups.set([role.group for role in roles])
    profile = user.profile
    if companies is not None:
        profile.companies.set(companies)
    if default_company is not None or companies is not None:
        allowed = set(profile.companies.values_list("pk", flat=True))
        if default_company is not None and default_company.pk not in allowed:
            raise ValidationFailed(
                fields={"default_company": [_("The default company must be one of the allowed companies.")]}
            )
        profile.default_company = default_company or (
            Company.objects.filter(pk__in=allowed).order_by("code").first() if allowed else None
        )
        profile.save()


def user_create(
    *, actor, username: str, password: str, email: str = "", first_name: str = "", last_name: str = "",
    roles: list[Role] = (), companies: list[Company] = (), default_company: Company | None = None,
    is_active: bool = True,
):
    """Create a user. With no role the user can sign in but do nothing (safe by default)."""
    require(actor, "auth.add_user")
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, is_active=is_active)
    validate(user, exclude=["password"])
    _check_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        _set_access(user, roles=list(roles), companies=list(companies), default_company=default_company)
        events.emit("core.user.created", obj=user, payload={"username": username})
    return user


def user_update(*, actor, user, data: dict, roles=None, companies=None, default_company=None):
    """Change a user's details, roles and companies. An administrator cannot disable themselves."""
    require(actor, "auth.change_user")
    allowed = {"email", "first_name", "last_name", "is_active"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    if user.pk == actor.pk and data.get("is_active") is False:
        raise ValidationFailed(fields={"is_active": [_("You cannot disable your own account.")]})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for name, value in data.items():
            setattr(user, name, value)
        validate(user, exclude=["password"])
        user.save()
        _set_access(user, roles=roles, companies=companies, default_company=default_company)
    return user


def user_set_password(*, actor, user, password: str, old_password: str | None = None) -> None:
    """Users change their own password (giving the old one); administrators reset anyone's."""
    if actor.pk == user.pk:
        if old_password is None or not user.check_password(old_password):
            raise ValidationFailed(fields={"old_password": [_("Your old password was entered incorrectly.")]})
    else:
        require(actor, "auth.change_user")
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.write_entry(user, "update", {"password": ["***", "***"]})


def role_create(*, actor, code: str, name: str, description: str = "") -> Role:
    require(actor, "core.add_role")
    if Group.objects.filter(name=name).exists():
        raise ValidationFailed(fields={"name": [_("A role with this name already exists.")]})
    role = Role(code=code, description=description)
    validate(role, exclude=["group"])
    with transaction.atomic():
        group = Group.objects.create(name=name)
        role.group = group
        role.save()
    return role


def role_delete(*, actor, role: Role) -> None:
    require(actor, "core.delete_role")
    if role.is_seeded:
        raise PermissionDenied(_("Seeded roles cannot be deleted; remove their permissions instead."))
    with transaction.atomic():
        role.group.delete()


def role_set_permissions(*, actor, role: Role, permissions: list[Permission]) -> Role:
    """Replace a role's permissions (the permission matrix saves through here)."""
    require(actor, "core.change_role")
    with transaction.atomic():
        role = Role.objects.select_for_update().select_related("group").get(pk=role.pk)
        role.group.permissions.set(permissions)
    return role


def api_token_create(*, actor, name: str, expires_at: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the actor. The raw key is returned once and never stored."""
    if not name.strip():
        raise ValidationFailed(fields={"name": [_("This field is required.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(fields={"expires_at": [_("The expiry must be in the future.")]})
    raw, prefix, key_hash = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name.strip(), prefix=prefix, key_hash=key_hash, expires_at=expires_at
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Users revoke their own tokens; administrators (auth.change_user) anyone's."""
    if token.user_id != actor.pk:
        require(actor, "auth.change_user")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def user_provision(
    *, username: str, password: str | None, roles: list[Role], companies: list[Company],
    default_company: Company | None = None, email: str = "",
) -> tuple["User", bool]:
    """Create a user, or bring an existing one to these roles, companies and password (None: keep it).

    For system set-up only (the createadmin and demo commands): no permission check. Changes only
    what differs, so running it again writes nothing. Returns (user, created). Raises ValidationFailed
    for a weak password.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, email=email)
            validate(user, exclude=["password"])
        if password is not None:
            _check_password(password, user)
        changed = created or not user.is_active
        user.is_active = True
        if password is not None and (created or not user.check_password(password)):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        if set(user.groups.values_list("pk", flat=True)) != {role.group_id for role in roles}:
            user.groups.set([role.group for role in roles])
        profile = user.profile
        if set(profile.companies.values_list("pk", flat=True)) != {company.pk for company in companies}:
            profile.companies.set(companies)
        wanted_default = default_company or (companies[0] if companies else None)
        if profile.default_company_id != (wanted_default.pk if wanted_default else None):
            profile.default_company = wanted_default
            profile.save(update_fields=["default_company"])
        if created:
            events.emit("core.user.created", obj=user, payload={"username": username})
    return user, created

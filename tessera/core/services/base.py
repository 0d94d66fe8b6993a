"""Helpers every service uses: validation that raises the domain error, field assignment."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _

from ..errors import ValidationFailed


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """`full_clean` that raises ValidationFailed (field-level) instead of Django's error."""
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as error:
        raise ValidationFailed.from_django(error) from error


def assign(instance: models.Model, data: dict, allowed: set[str]) -> None:
    """Set only the `allowed` fields from `data`; anything else is refused, never silently kept."""
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(instance, name, value)


def record_create(*, actor, model: type[models.Model], data: dict, fields: set[str], company=None):
    """Create a simple set-up record (currency, sequence, ...) after the permission and validation checks.

    `company` is set on company-owned models and is never taken from `data`.
    """
    from django.db import transaction

    from ..permissions import perm_name, require

    require(actor, perm_name(model, "add"), company)
    instance = model()
    assign(instance, data, fields)
    if company is not None and hasattr(instance, "company_id"):
        instance.company = company
    validate(instance)
    with transaction.atomic():
        instance.save()
    return instance


def record_update(*, actor, instance: models.Model, data: dict, fields: set[str], company=None):
    """Change the `fields` of a simple record under a row lock, after permission and validation checks."""
    from django.db import transaction

    from ..permissions import perm_name, require

    model = type(instance)
    require(actor, perm_name(model, "change"), company)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=instance.pk)
        assign(locked, data, fields)
        validate(locked)
        locked.save()
    return locked


def record_delete(*, actor, instance: models.Model, company=None) -> None:
    """Delete a simple record; a record still referenced raises ValidationFailed (nothing deleted)."""
    from django.db import transaction
    from django.db.models import ProtectedError, RestrictedError

    from ..permissions import perm_name, require

    require(actor, perm_name(type(instance), "delete"), company)
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationFailed(_("This record is still used by other records and cannot be deleted.")) from error

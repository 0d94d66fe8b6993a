"""Helpers every service uses: validation that raises the domain error, field assignment."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

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
        raise ValidationFailed(fields={name: ["This field cannot be set."] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(instance, name, value)

"""What the products services share: the `in_use` conflict, company checks, "what refers to this record?",
saving and deleting with clear errors."""

from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.errors import Conflict, NotFound, ValidationFailed
from tessera.core.models import Company


class InUse(Conflict):
    """409 `in_use`: the record is referred to by other records, so it cannot be deleted (or changed
    in a way that would change what those records mean)."""

    code = "in_use"
    default_message = gettext_lazy("This record is used by other records.")


def in_company(instance, company: Company | None) -> None:
    """A caller working in one company never reaches another company's record, even by id."""
    if company is not None and instance.company_id != company.pk:
        raise NotFound()


def references(instance: models.Model) -> list[str]:
    """The kinds of records (plural verbose names) that refer to `instance` through a foreign key,
    one-to-one or many-to-many field of any installed app, so that modules added later (stock moves,
    order lines, ...) count without this app knowing them. One small query per relation."""
    found = []
    for relation in type(instance)._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or not relation.is_relation:
            continue
        related_model = relation.related_model
        if related_model._base_manager.filter(**{relation.field.name: instance}).exists():
            name = str(capfirst(related_model._meta.verbose_name_plural))
            if name not in found:
                found.append(name)
    return found


def check_same_company(instance, names: list[str], message: str | None = None) -> None:
    """Each related record named in `names` (when set) belongs to the instance's company."""
    errors = {}
    for name in names:
        related = getattr(instance, name, None)
        if related is not None and related.company_id != instance.company_id:
            errors[name] = [message or _("Choose one of this company's records.")]
    if errors:
        raise ValidationFailed(fields=errors)


def changed(instance, before: dict, name: str) -> bool:
    """Whether field `name` (its attname value) differs from the snapshot `before` (new records: set)."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    if name not in before:
        return value not in (None, "")
    return value != before[name]


def values_of(instance, names) -> dict:
    return {name: getattr(instance, instance._meta.get_field(name).attname) for name in names}


def save(instance, recheck: Callable[[], None]) -> None:
    """Save; a unique value taken meanwhile by a concurrent request gives the same field error as one
    taken before (`recheck` raises it)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        recheck()
        raise


def delete_unused(instance, message: str) -> None:
    """Delete `instance`; when other records protect it, raise InUse naming what uses it (nothing deleted)."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as error:
        kinds = sorted({str(capfirst(obj._meta.verbose_name_plural)) for obj in error.args[1]})
        raise InUse(f"{message} ({_('used by: %(kinds)s') % {'kinds': ', '.join(kinds)}})") from error

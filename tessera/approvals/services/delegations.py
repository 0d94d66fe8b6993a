"""Delegations: "away from ... to ..., my approvals go to ...".

Everyone manages their own delegations; whoever manages approval rules (approvals.change_approvalrule)
may also set one up for a colleague who is away unexpectedly. A delegate decides on the absent
person's behalf (the decision says so) and never their own documents.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import check, require
from tessera.core.services.base import validate

from ..models import Delegation
from .rules import is_company_user

User = get_user_model()
FIELDS = {"user", "delegate", "starts_on", "ends_on", "reason", "is_active"}


def may_manage_others(actor, company) -> bool:
    return bool(check(actor, "approvals.change_approvalrule", company))


def _guard(actor, company, user_id) -> None:
    if user_id != actor.pk and not may_manage_others(actor, company):
        raise PermissionDenied(_("You may set up delegations for your own approvals only."))


def _assign(delegation: Delegation, data: dict) -> dict:
    errors = {name: [_("This field cannot be set.")] for name in sorted(set(data) - FIELDS)}
    for name in set(data) & FIELDS:
        value = data[name]
        if name in ("user", "delegate"):
            setattr(delegation, f"{name}_id", value.pk if hasattr(value, "pk") else value)
        else:
            setattr(delegation, name, value)
    return errors


def _errors(delegation: Delegation, company: Company) -> dict:
    errors = {}
    for name in ("user", "delegate"):
        pk = getattr(delegation, f"{name}_id")
        person = User.objects.filter(pk=pk).first() if pk else None
        if pk and (person is None or not is_company_user(person, company)):
            errors[name] = [_("Choose an active user of this company.")]
    if delegation.user_id and delegation.user_id == delegation.delegate_id:
        errors["delegate"] = [_("Delegate to someone else.")]
    return errors


def _check(delegation: Delegation, company: Company, errors: dict) -> None:
    errors.update({k: v for k, v in _errors(delegation, company).items() if k not in errors})
    try:
        validate(delegation, exclude=["company", *errors])
    except ValidationFailed as error:
        errors.update({k: v for k, v in error.fields.items() if k not in errors})
        if not error.fields:
            errors["non_field_errors"] = [str(error.message)]
    if errors:
        raise ValidationFailed(fields=errors)


def delegation_create(*, actor, company: Company, data: dict) -> Delegation:
    """A delegation of `data["user"]` (default: the actor) to `data["delegate"]` from `starts_on` to
    `ends_on`. Raises PermissionDenied (someone else's approvals), ValidationFailed."""
    require(actor, "approvals.add_delegation", company)
    delegation = Delegation(company=company, user_id=actor.pk)
    errors = _assign(delegation, data)
    _guard(actor, company, delegation.user_id)
    _check(delegation, company, errors)
    with transaction.atomic():
        delegation.save()
    return delegation


def delegation_update(*, actor, delegation: Delegation, data: dict) -> Delegation:
    """Change a delegation (dates, delegate, reason; `is_active` false ends it early)."""
    require(actor, "approvals.change_delegation", delegation.company)
    _guard(actor, delegation.company, delegation.user_id)
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().select_related("company").get(pk=delegation.pk)
        errors = _assign(delegation, data)
        _guard(actor, delegation.company, delegation.user_id)
        _check(delegation, delegation.company, errors)
        delegation.save()
    return delegation


def delegation_delete(*, actor, delegation: Delegation) -> None:
    """Delete a delegation. Decisions already taken under it keep naming whom they were taken for."""
    require(actor, "approvals.delete_delegation", delegation.company)
    _guard(actor, delegation.company, delegation.user_id)
    with transaction.atomic():
        Delegation.objects.filter(pk=delegation.pk).delete()

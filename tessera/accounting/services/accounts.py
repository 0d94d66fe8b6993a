"""The chart of accounts: create, change and delete accounts while keeping the tree and the ledger sound.

Rules: a parent belongs to the same company and never makes a cycle; an account with postings keeps
its type, takes no sub-accounts (only leaves take postings) and is never deleted (deactivate it).
"""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from tessera.core.errors import InvalidState, NotFound, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate

from ..models import Account, JournalEntryLine

ACCOUNT_FIELDS = {"code", "name", "name_en", "parent", "type", "role", "is_reconcilable", "currency",
                  "cash_flow_category", "is_active"}


def account_has_postings(account: Account) -> bool:
    """Whether any entry line (draft or posted) uses the account."""
    return JournalEntryLine.objects.filter(account=account).exists()


def _check_parent(account: Account) -> None:
    parent = account.parent
    if parent is None:
        return
    if parent.company_id != account.company_id:
        raise ValidationFailed(fields={"parent": [_("Choose one of this company's accounts.")]})
    ancestor, seen = parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if account.pk is not None and ancestor.pk == account.pk:
            raise ValidationFailed(fields={"parent": [_("An account cannot be placed under itself or one of its "
                                                        "sub-accounts.")]})
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    if account_has_postings(parent):
        raise ValidationFailed(fields={"parent": [
            _("Account %(code)s has postings: it cannot take sub-accounts, since only leaf accounts take postings.")
            % {"code": parent.code}
        ]})


def _check_code(account: Account) -> None:
    taken = Account.objects.filter(company_id=account.company_id, code=account.code)
    if account.pk:
        taken = taken.exclude(pk=account.pk)
    if account.code and taken.exists():
        message = _("Account code %(code)s is in use already.") % {"code": account.code}
        raise ValidationFailed(fields={"code": [message]})


def _save(account: Account) -> None:
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        _check_code(account)  # a concurrent request took the code: the same field error
        raise


def _in_company(account: Account, company: Company | None) -> None:
    if company is not None and account.company_id != company.pk:
        raise NotFound()


def account_create(*, actor, company: Company, data: dict) -> Account:
    """Add an account to `company`'s chart. Raises PermissionDenied, ValidationFailed (bad parent, taken code)."""
    require(actor, "accounting.add_account", company)
    account = Account(company=company)
    assign(account, data, ACCOUNT_FIELDS)
    account.code = (account.code or "").strip()
    _check_code(account)
    validate(account)
    with transaction.atomic():
        if account.parent_id:
            account.parent = Account.objects.select_for_update().get(pk=account.parent_id)
        _check_parent(account)
        _save(account)
    return account


def account_update(*, actor, account: Account, data: dict, company: Company | None = None) -> Account:
    """Change an account under a row lock. An account with postings keeps its type; a new parent must be
    of the same company, without postings, and not below the account itself. Raises NotFound,
    PermissionDenied, ValidationFailed."""
    _in_company(account, company)
    require(actor, "accounting.change_account", account.company)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        old_type, old_parent = locked.type, locked.parent_id
        assign(locked, data, ACCOUNT_FIELDS)
        locked.code = (locked.code or "").strip()
        if locked.type != old_type and account_has_postings(locked):
            raise ValidationFailed(fields={"type": [_("Account %(code)s has postings: its type cannot change.")
                                                    % {"code": locked.code}]})
        _check_code(locked)
        validate(locked)
        if locked.parent_id != old_parent:
            _check_parent(locked)
        _save(locked)
    return locked


def account_delete(*, actor, account: Account, company: Company | None = None) -> None:
    """Delete an account nothing uses. An account with postings raises InvalidState (409; deactivate it
    instead); one with sub-accounts or used by journals or taxes raises ValidationFailed."""
    _in_company(account, company)
    require(actor, "accounting.delete_account", account.company)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if account_has_postings(locked) or locked.balances.exists():
            raise InvalidState(_("Account %(code)s has postings and cannot be deleted: deactivate it instead.")
                               % {"code": locked.code})
        if locked.children.exists():
            raise ValidationFailed(_("Account %(code)s has sub-accounts: delete or move them first.")
                                   % {"code": locked.code})
        try:
            with transaction.atomic():
                locked.delete()
        except (ProtectedError, RestrictedError) as error:
            raise ValidationFailed(_("Account %(code)s is used by journals or taxes and cannot be deleted.")
                                   % {"code": locked.code}) from error

"""Access checks shared by the web UI, the API and the services: one place decides, and says why.

A permission is Django's `app_label.<action>_<model>` where action is view, add, change, delete or
one of the transition actions (approve, post, ...) that a model declares in Meta.permissions.
Company rules: a user acts only in companies listed on their profile (superusers in all).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import PermissionDenied
from .models import Company

ACTIONS = ("view", "add", "change", "delete", "approve", "post")


def perm_name(model: type[Model] | Model, action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


DEFAULT_ACTION_LABELS = {"view": gettext_lazy("view"), "add": gettext_lazy("add"), "change": gettext_lazy("change"),
                         "delete": gettext_lazy("delete")}


def permission_label(perm: str) -> str:
    """A permission's name in the user's language: Django stores the default ones in English."""
    app_label, codename = perm.split(".", 1)
    found = Permission.objects.select_related("content_type").filter(
        content_type__app_label=app_label, codename=codename).first()
    if found is None:
        return perm
    action = codename.rsplit("_", 1)[0]
    model = found.content_type.model_class()
    if action in DEFAULT_ACTION_LABELS and model is not None:
        return _("Can %(action)s %(model)s") % {"action": DEFAULT_ACTION_LABELS[action],
                                                "model": model._meta.verbose_name}
    return _(found.name)  # names declared in Meta.permissions are translatable strings


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def allowed_companies(user):
    """The companies a user may work in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Company.objects.none()
    if user.is_superuser:
        return Company.objects.filter(is_active=True)
    return Company.objects.filter(is_active=True, pk__in=user.profile.companies.values("pk")) if hasattr(
        user, "profile"
    ) else Company.objects.none()


def check_company(user, company) -> Decision:
    if company is None:
        return Decision(True)
    if allowed_companies(user).filter(pk=company.pk).exists():
        return Decision(True)
    return Decision(False, _("You may not work in company %(code)s.") % {"code": company.code})


def check(user, perm: str, company=None) -> Decision:
    """May `user` use permission `perm` (in `company`)? The refusal names what is missing."""
    if not getattr(user, "is_authenticated", False):
        return Decision(False, _("You are not signed in."))
    if not user.is_active:
        return Decision(False, _("Your account is disabled."))
    if not user.has_perm(perm):
        return Decision(
            False,
            _("Your roles do not grant the permission “%(permission)s” (%(code)s).")
            % {"permission": permission_label(perm), "code": perm},
        )
    return check_company(user, company)


# --- Record grants: seeing one record without the model's view permission -----------------------------

# A grant answers "may `user` see this one record although their roles do not let them see its kind?"
# (approvals: the approver a request waits for sees the document). Grants give read access only.
ViewGrant = Callable[[object, Model], bool]
_view_grants: list[ViewGrant] = []


def register_view_grant(grant: ViewGrant) -> ViewGrant:
    """Register a record grant (once; again does nothing). Usable as a decorator."""
    if grant not in _view_grants:
        _view_grants.append(grant)
    return grant


def check_view(user, record: Model, company=None) -> Decision:
    """May `user` see `record`: the view permission on its model in its company (or `company`), or, for an
    active user working in that company, a registered grant for this very record. Read access only:
    changing the record still needs the permissions of each action."""
    company = company if company is not None else getattr(record, "company", None)
    decision = check(user, perm_name(type(record), "view"), company)
    if decision or not _view_grants or not getattr(user, "is_authenticated", False) or not user.is_active:
        return decision
    if not check_company(user, company):
        return decision
    if any(grant(user, record) for grant in _view_grants):
        return Decision(True)
    return decision


def require(user, perm: str, company=None) -> None:
    """Raise PermissionDenied with the reason unless `check` allows."""
    decision = check(user, perm, company)
    if not decision:
        raise PermissionDenied(decision.reason)


def require_model(user, model, action: str, company=None) -> None:
    require(user, perm_name(model, action), company)


def effective_permissions(user) -> dict[str, set[str]]:
    """For 'what can this user see and do?': model label -> actions the user has."""
    result: dict[str, set[str]] = {}
    perms = Permission.objects.select_related("content_type")
    if not user.is_superuser:
        perms = perms.filter(group__user=user).distinct() | perms.filter(user=user).distinct()
    for perm in perms:
        model = perm.content_type.model
        if not perm.codename.endswith("_" + model):
            continue
        action = perm.codename[: -len(model) - 1]
        label = f"{perm.content_type.app_label}.{perm.content_type.model}"
        result.setdefault(label, set()).add(action)
    return result

"""API access: denied by default; views declare the module and permissions they need.

`ActionPermission` maps a view's action to a Django permission (list/retrieve -> view, create ->
add, partial_update -> change, destroy -> delete; custom actions declare theirs) and asks
`core.permissions.check`, so a refusal says which permission or company rule denied it. A GET of one
record the user may not view by role may still be allowed by a record grant (`check_view`), per record.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, permissions

from ..permissions import check, check_company, check_view, perm_name
from ..services.companies import module_is_active

# A declared permission meaning "any signed-in user": the view or its service scopes what they see.
AUTHENTICATED = "authenticated"

STANDARD_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class DenyAll(permissions.BasePermission):
    """The default: a view is open only when it names its own permission classes."""

    def has_permission(self, request, view):
        return False


def required_permission(view, request) -> str | None:
    """The permission a request needs, as `app_label.codename`, AUTHENTICATED, or None (closed).

    Order: the view's `permission_map[action]`, then `required_permission` (a string, or a dict
    keyed by HTTP method; custom actions pass it through `@action(required_permission=...)`),
    then the standard action mapping on the view's model. A bare verb ("post") means that verb
    on the view's model.
    """
    action = getattr(view, "action", None)
    declared = (getattr(view, "permission_map", None) or {}).get(action) or getattr(view, "required_permission", None)
    if isinstance(declared, dict):
        declared = declared.get(request.method)
    if declared is None and action in STANDARD_ACTIONS:
        declared = STANDARD_ACTIONS[action]
    if declared is None or declared == AUTHENTICATED or "." in declared:
        return declared
    model = view.get_model() if hasattr(view, "get_model") else None
    return perm_name(model, declared) if model is not None else None


class ActionPermission(permissions.BasePermission):
    """Signed in, the view's module active for the request's company, and the action's permission granted."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False  # DRF answers 401 (not authenticated) for this
        company = getattr(request, "company", None)
        module = getattr(view, "module", None)
        if not module:
            raise exceptions.PermissionDenied(_("This endpoint declares no module; access is denied by default."))
        if not module_is_active(company, module):
            raise exceptions.PermissionDenied(
                _("The module “%(module)s” is not active for company %(company)s.")
                % {"module": module, "company": company.code if company else "-"}
            )
        perm = required_permission(view, request)
        if perm is None:
            raise exceptions.PermissionDenied(
                _("This endpoint declares no permission; access is denied by default.")
            )
        if perm == AUTHENTICATED:
            return True
        decision = check(user, perm, company)
        if not decision:
            if self._may_grant(request, view, perm, company):
                request.record_grant_refusal = decision.reason  # decided per record, in has_object_permission
                return True
            raise exceptions.PermissionDenied(decision.reason)
        return True

    @staticmethod
    def _may_grant(request, view, perm, company) -> bool:
        """A plain GET of one record without the view permission may still be allowed by a record grant
        (core.permissions.check_view): only for the standard retrieve, which goes through get_object."""
        model = view.get_model() if hasattr(view, "get_model") else None
        return (getattr(view, "action", None) == "retrieve" and request.method in ("GET", "HEAD")
                and model is not None and perm == perm_name(model, "view")
                and getattr(type(view), "retrieve", None) is mixins.RetrieveModelMixin.retrieve
                and bool(check_company(request.user, company)))

    def has_object_permission(self, request, view, obj):
        refusal = getattr(request, "record_grant_refusal", None)
        if refusal is None:
            return True
        if check_view(request.user, obj, getattr(request, "company", None)):
            return True
        raise exceptions.PermissionDenied(refusal)

"""The seeded roles and what each may do.

A rule is (app_label or "app_label.model", actions). Rules are applied to every model the first
time a role meets it (the role remembers which models it has been seeded for), so modules added
later get their defaults while an administrator's edits to known models are kept.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _

ALL = ("view", "add", "change", "delete", "approve", "post", "reverse", "cancel", "close", "reopen", "confirm",
       "reconcile", "submit", "receive", "bill", "convert", "award")
READ = ("view",)
WRITE = ("view", "add", "change", "delete")
BUSINESS_APPS = ("partners", "products", "accounting", "inventory", "purchasing", "sales", "hr",
                 "approvals", "imports", "crm", "manufacturing", "insights")

# code: (name, description, rules)
ROLES: dict[str, tuple] = {
    "administrator": (_("Administrator"), _("Sets up Tessera: companies, users, roles, modules."), [("*", ALL)]),
    "accountant": (
        _("Accountant"), _("Keeps the books: entries, invoices, payments."),
        [("accounting", WRITE + ("post", "reverse", "confirm", "reconcile")), ("partners", WRITE), ("products", READ),
         ("inventory", READ), ("purchasing", READ), ("purchasing.purchaseorder", ("view", "bill")),
         ("purchasing.billline", WRITE), ("purchasing.billmatch", READ),
         ("core.currency", READ), ("core.exchangerate", WRITE)],
    ),
    "accounting_manager": (
        _("Accounting manager"), _("Approves, posts and closes periods; sees every ledger."),
        [("accounting", ALL), ("partners", WRITE), ("products", READ), ("inventory", READ), ("core.currency", WRITE),
         ("core.exchangerate", WRITE), ("core.sequence", READ), ("purchasing", READ),
         ("purchasing.purchaseorder", ("view", "bill")), ("purchasing.billline", WRITE),
         ("purchasing.billmatch", ("view", "approve")), ("purchasing.purchasesettings", WRITE)],
    ),
    "purchaser": (
        _("Purchaser"), _("Raises requisitions, requests for quotation and purchase orders."),
        [("purchasing", WRITE + ("submit", "confirm", "convert", "award", "receive", "bill")), ("partners", WRITE),
         ("products", READ), ("inventory", READ), ("purchasing.billmatch", READ)],
    ),
    "purchasing_manager": (
        _("Purchasing manager"), _("Approves purchases and manages suppliers."),
        [("purchasing", ALL), ("partners", WRITE), ("products", WRITE), ("inventory", READ)],
    ),
    "salesperson": (
        _("Salesperson"), _("Makes quotations and sales orders for customers."),
        [("sales", WRITE + ("confirm",)), ("partners", WRITE), ("products", READ), ("inventory", READ)],
    ),
    "sales_manager": (
        _("Sales manager"), _("Approves discounts and credit, manages price lists."),
        [("sales", ALL), ("partners", WRITE), ("products", WRITE), ("inventory", READ)],
    ),
    "warehouse_clerk": (
        _("Warehouse clerk"), _("Receives, delivers, transfers and counts stock."),
        [("inventory", WRITE + ("post", "confirm", "cancel")), ("products", READ), ("partners", READ),
         ("purchasing.purchaseorder", ("view", "receive")), ("purchasing.purchaseorderline", READ),
         ("purchasing.receipt", READ), ("purchasing.receiptline", READ),
         ("purchasing.supplierreturn", WRITE + ("post",)), ("purchasing.supplierreturnline", WRITE)],
    ),
    "hr_officer": (_("HR officer"), _("Keeps employee records, leave, attendance and payroll."), [("hr", ALL)]),
    "employee": (
        _("Employee (self-service)"), _("Sees their own records and requests leave and expenses."),
        [("hr.leaverequest", ("view", "add")), ("hr.expenseclaim", ("view", "add")),
         ("hr.attendance", ("view", "add")), ("purchasing.requisition", WRITE + ("submit",)),
         ("purchasing.requisitionline", WRITE), ("products", READ), ("inventory.warehouse", READ)],
    ),
    "auditor": (
        _("Auditor"), _("Reads everything, changes nothing; searches the audit trail."),
        [("*", READ)],
    ),
}

# Approvals: the managers keep the approval rules; every role sees approval requests (the selectors show
# only those of documents the user may see or takes part in) and sets up its own delegations.
APPROVAL_RULE_MODELS = ("approvals.approvalrule", "approvals.approvalcondition", "approvals.approvalstep")
APPROVALS_FOR_EVERYONE = [("approvals.approvalrequest", READ), ("approvals.approvalrequeststep", READ),
                          ("approvals.approvaldecision", READ), ("approvals.delegation", WRITE)]
for _code in ("accounting_manager", "purchasing_manager", "sales_manager"):
    ROLES[_code][2].extend((model, WRITE) for model in APPROVAL_RULE_MODELS)
for _code, (_name, _description, _rules) in ROLES.items():
    _rules.extend(APPROVALS_FOR_EVERYONE)

SEEDED_APPS = ("core", "auth") + BUSINESS_APPS
# Bookkeeping tables nobody grants access to by hand: left out of the permission matrix.
# Attachments, comments and followers follow the record they are on (see services.attachments and
# services.comments); notifications and their preferences are each user's own.
INTERNAL_MODELS = {"auth.permission", "core.attachment", "core.idempotencyrecord", "core.roleseededmodel",
                   "core.sequencecounter", "core.userprofile", "core.comment", "core.follower",
                   "core.notification", "core.notificationpreference", "core.eventcursor", "core.webhookattempt"}


def role_label(group) -> str:
    """A role's name in the user's language: a seeded role whose name is still the seeded one is shown
    translated; a renamed or custom role shows its own name."""
    from django.utils import translation

    role = getattr(group, "role", None)
    if role is not None and role.is_seeded and role.code in ROLES:
        seeded_name = ROLES[role.code][0]
        with translation.override("en"):
            unchanged = group.name == str(seeded_name)
        if unchanged:  # translated outside the override: in the user's language
            return str(seeded_name)
    return group.name


def role_description(role) -> str:
    """A seeded role's description in the user's language, unless an administrator rewrote it."""
    from django.utils import translation

    if role.is_seeded and role.code in ROLES:
        seeded = ROLES[role.code][1]
        with translation.override("en"):
            unchanged = role.description == str(seeded)
        if unchanged:
            return str(seeded)
    return role.description


def _rule_matches(rule_target: str, content_type: ContentType) -> bool:
    if rule_target == "*":
        return content_type.app_label in SEEDED_APPS
    if "." in rule_target:
        return rule_target == f"{content_type.app_label}.{content_type.model}"
    return rule_target == content_type.app_label


def seed_roles() -> None:
    """Create the seeded roles and grant their defaults on models they have not yet been seeded for."""
    from .models import Role

    content_types = list(ContentType.objects.filter(app_label__in=SEEDED_APPS))
    permissions = list(Permission.objects.filter(content_type__in=content_types))
    with transaction.atomic():
        for code, (name, description, rules) in ROLES.items():
            role = Role.objects.filter(code=code).select_related("group").first()
            if role is None:
                group, _created = Group.objects.get_or_create(name=str(name))
                role = Role.objects.create(group=group, code=code, description=str(description), is_seeded=True)
            seeded = set(role.group.role_seeded_models.values_list("model_label", flat=True))
            grant = []
            new_labels = []
            for content_type in content_types:
                label = f"{content_type.app_label}.{content_type.model}"
                if label in seeded:
                    continue
                new_labels.append(label)
                actions = {a for target, acts in rules if _rule_matches(target, content_type) for a in acts}
                grant.extend(
                    perm for perm in permissions
                    if perm.content_type_id == content_type.pk and perm.codename.rsplit("_", 1)[0] in actions
                )
            if code == "auditor":
                grant = [perm for perm in grant if perm.codename.startswith("view_")]
            role.group.permissions.add(*grant)
            from .models.security import RoleSeededModel

            RoleSeededModel.objects.bulk_create(
                [RoleSeededModel(group=role.group, model_label=label) for label in new_labels],
                ignore_conflicts=True,
            )

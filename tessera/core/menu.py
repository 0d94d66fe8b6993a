"""The module registry: each business module declares its menu entries and dashboard cards.

A module other than `core` is live for a company only when the company has activated it
(phased go-live): inactive modules are hidden from menus and their API answers 403.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    permission: str  # "app_label.codename": the entry shows only to users who have it
    query: str = ""  # appended to the url: one list screen filtered two ways ("side=customer")


@dataclass
class Module:
    code: str
    name: str
    order: int = 100
    always_on: bool = False
    menu: list[MenuEntry] = field(default_factory=list)
    # Callables (request, company) -> dict|None giving {"title", "value", "url"} for the home dashboard.
    cards: list = field(default_factory=list)


MODULES: dict[str, Module] = {}

# The modules Tessera plans: an implementation can switch each on per company once it is ready.
PLANNED = [
    ("accounting", _("Accounting"), 20),
    ("inventory", _("Inventory"), 30),
    ("purchasing", _("Purchasing"), 40),
    ("sales", _("Sales"), 50),
    ("hr", _("Human resources"), 60),
    ("approvals", _("Approvals"), 70),
    ("imports", _("Implementation"), 80),
]


def register(module: Module) -> Module:
    """Register a module, or extend an already registered one with more menu entries and cards."""
    existing = MODULES.get(module.code)
    if existing:
        existing.menu.extend(entry for entry in module.menu if entry not in existing.menu)
        existing.cards.extend(module.cards)
        return existing
    MODULES[module.code] = module
    return module


def ordered() -> list[Module]:
    return sorted(MODULES.values(), key=lambda module: (module.order, module.code))


def register_core_module() -> None:
    for code, name, order in PLANNED:
        register(Module(code=code, name=name, order=order))
    register(
        Module(
            code="core",
            name=_("Settings"),
            order=900,
            always_on=True,
            menu=[
                MenuEntry(_("Companies"), "core:company_list", "core.view_company"),
                MenuEntry(_("Users"), "core:user_list", "auth.view_user"),
                MenuEntry(_("Roles"), "core:role_list", "core.view_role"),
                MenuEntry(_("Permission matrix"), "core:permission_matrix", "core.view_role"),
                MenuEntry(_("Currencies"), "core:currency_list", "core.view_currency"),
                MenuEntry(_("Exchange rates"), "core:exchangerate_list", "core.view_exchangerate"),
                MenuEntry(_("Numbering"), "core:sequence_list", "core.view_sequence"),
                MenuEntry(_("Modules"), "core:module_list", "core.view_companymodule"),
                MenuEntry(_("Audit trail"), "core:audit_list", "core.view_auditentry"),
                MenuEntry(_("Domain events"), "core:event_list", "core.view_domainevent"),
                MenuEntry(_("Background jobs"), "core:job_list", "core.view_job"),
                MenuEntry(_("Webhooks"), "core:webhooksubscription_list", "core.view_webhooksubscription"),
                MenuEntry(_("Webhook deliveries"), "core:webhookdelivery_list", "core.view_webhookdelivery"),
            ],
        )
    )

"""The demo: two companies, one user per seeded role, exchange rates and numbering (`tessera demo`).

Other apps add their demo records with a builder in their own `demo.py`:

    from tessera.core import demo

    @demo.register(order=20)
    def build_partners(ctx: demo.DemoContext) -> None:
        cn = ctx.companies["CN01"]       # act as ctx.admin through the services; must be idempotent
        ...

Builders run in `order` (core's is 0), inside one transaction, as the demo administrator. Every
builder must be idempotent: running the demo again changes nothing and creates no duplicates.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from . import context
from .menu import MODULES
from .models import Company, Currency, ExchangeRate, Role, Sequence
from .models.numbering import Reset
from .services.base import record_create
from .services.companies import company_create, company_module_set, module_is_active
from .services.currency import exchange_rate_set
from .services.users import user_provision
from .validators import uscc_check_char

DEMO_PASSWORD = "Tessera-demo-2026"
DEFAULT_COMPANY = "CN01"
CN_USCC = "91310115MA1K4TQX3"  # first 17 characters; the check character is computed
COMPANIES = [
    {
        "code": "CN01", "name": "上海示例贸易有限公司", "currency": "CNY", "country": "CN",
        "fiscal_year_start_month": 1, "tax_id": CN_USCC + uscc_check_char(CN_USCC),
        "address": "上海市浦东新区世纪大道100号\n邮编 200120",
    },
    {
        "code": "US01", "name": "Tessera Demo Inc.", "currency": "USD", "country": "US",
        "fiscal_year_start_month": 1, "tax_id": "98-7654321",
        "address": "100 Market Street\nSan Francisco, CA 94105",
    },
]
# username -> role code; every demo user may work in both companies, CN01 by default.
USERS = {
    "admin": "administrator",
    "accountant": "accountant",
    "finance": "accounting_manager",
    "purchaser": "purchaser",
    "purchasing": "purchasing_manager",
    "sales": "salesperson",
    "salesmanager": "sales_manager",
    "warehouse": "warehouse_clerk",
    "hr": "hr_officer",
    "employee": "employee",
    "auditor": "auditor",
}
# (currency, quote currency, rate): units of the quote currency for one unit of the currency.
RATES = [("USD", "CNY", "7.1200"), ("EUR", "CNY", "7.7500"), ("EUR", "USD", "1.0880")]
# company -> (code, name, prefix, padding, reset): the Chinese voucher words 记/收/付/转 for CN01.
SEQUENCES = {
    "CN01": [
        ("journal_entry", "记账凭证", "记-{year}{month}-", 4, Reset.MONTHLY),
        ("receipt_voucher", "收款凭证", "收-{year}{month}-", 4, Reset.MONTHLY),
        ("payment_voucher", "付款凭证", "付-{year}{month}-", 4, Reset.MONTHLY),
        ("transfer_voucher", "转账凭证", "转-{year}{month}-", 4, Reset.MONTHLY),
    ],
    "US01": [("journal_entry", "Journal entry", "JE-{fy}-", 5, Reset.YEARLY)],
}


@dataclass
class DemoContext:
    """What builders share: the administrator they act as, the companies and users by code/username."""

    admin: object
    password: str
    companies: dict[str, Company] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    today: datetime.date = field(default_factory=timezone.localdate)
    out: Callable[[str], None] = print


_BUILDERS: list[tuple[int, int, Callable[[DemoContext], None]]] = []


def register(builder: Callable[[DemoContext], None] | None = None, *, order: int = 100):
    """Add a demo builder (usable as `@register` or `@register(order=20)`); lower orders run first."""

    def add(function):
        if all(existing is not function for _order, _index, existing in _BUILDERS):
            _BUILDERS.append((order, len(_BUILDERS), function))
        return function

    return add(builder) if builder is not None else add


def builders() -> list[Callable[[DemoContext], None]]:
    autodiscover_modules("demo")  # every app's demo.py registers its builders on import
    return [function for _order, _index, function in sorted(_BUILDERS, key=lambda item: item[:2])]


def build(*, password: str = DEMO_PASSWORD, out: Callable[[str], None] = print) -> DemoContext:
    """Build (or complete) the demo. Idempotent; everything in one transaction."""
    with transaction.atomic():
        # The administrator comes first (the builders act as them); an existing one keeps its companies.
        existing = get_user_model().objects.filter(username="admin").select_related("profile").first()
        admin, _created = user_provision(
            username="admin", password=password, roles=[Role.objects.get(code="administrator")],
            companies=list(existing.profile.companies.all()) if existing else [],
            default_company=existing.profile.default_company if existing else None,
        )
        ctx = DemoContext(admin=admin, password=password, out=out)
        with context.acting(user=admin, channel=context.current().channel):
            for builder in builders():
                builder(ctx)
    return ctx


@register(order=0)
def build_core(ctx: DemoContext) -> None:
    """Companies with every module live, one user per role, exchange rates, voucher numbering."""
    for spec in COMPANIES:
        ctx.companies[spec["code"]] = _company(ctx, spec)
    companies = [ctx.companies[spec["code"]] for spec in COMPANIES]
    for username, role_code in USERS.items():
        ctx.users[username], _created = user_provision(
            username=username, password=ctx.password, roles=[Role.objects.get(code=role_code)],
            companies=companies, default_company=ctx.companies[DEFAULT_COMPANY], email=f"{username}@example.com",
        )
    ctx.admin = ctx.users["admin"]
    _rates(ctx)
    _sequences(ctx)


def _company(ctx: DemoContext, spec: dict) -> Company:
    company = Company.objects.filter(code=spec["code"]).first()
    if company is None:
        data = {key: spec[key] for key in ("code", "name", "country", "fiscal_year_start_month", "tax_id", "address")}
        data["base_currency"] = Currency.objects.get(code=spec["currency"])
        company = company_create(actor=ctx.admin, data=data)
        ctx.out(str(_("Created company %(company)s")) % {"company": company})
    for module in MODULES.values():
        if not module.always_on and not module_is_active(company, module.code):
            company_module_set(actor=ctx.admin, company=company, module=module.code, is_active=True)
    return company


def _rates(ctx: DemoContext) -> None:
    first_of_month = ctx.today.replace(day=1)
    days = {(first_of_month - datetime.timedelta(days=1)).replace(day=1), first_of_month, ctx.today}
    for currency_code, quote_code, rate in RATES:
        currency, quote = Currency.objects.get(code=currency_code), Currency.objects.get(code=quote_code)
        for day in sorted(days):
            if not ExchangeRate.objects.filter(currency=currency, quote_currency=quote, rate_on=day).exists():
                exchange_rate_set(actor=ctx.admin, currency=currency, quote=quote, on=day, rate=Decimal(rate))


def _sequences(ctx: DemoContext) -> None:
    fields = {"code", "name", "prefix", "padding", "reset"}
    for company_code, rows in SEQUENCES.items():
        company = ctx.companies[company_code]
        for code, name, prefix, padding, reset in rows:
            if not Sequence.objects.filter(company=company, code=code).exists():
                record_create(
                    actor=ctx.admin, model=Sequence, company=company,
                    data={"code": code, "name": name, "prefix": prefix, "padding": padding, "reset": reset},
                    fields=fields,
                )

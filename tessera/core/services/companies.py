"""Companies and the modules each one has live."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..errors import ValidationFailed
from ..menu import MODULES
from ..models import Company, CompanyModule
from ..permissions import require
from .base import assign, validate

COMPANY_FIELDS = {"code", "name", "base_currency", "country", "fiscal_year_start_month", "tax_id", "address", "logo",
                  "is_active"}


def company_create(*, actor, data: dict, modules: list[str] | None = None) -> Company:
    """Create a company; the creator may work in it at once. Raises ValidationFailed, PermissionDenied."""
    require(actor, "core.add_company")
    company = Company()
    assign(company, data, COMPANY_FIELDS)
    if company.tax_id:
        company.tax_id = company.tax_id.strip().upper()
    validate(company)
    with transaction.atomic():
        company.save()
        if not actor.is_superuser:
            actor.profile.companies.add(company)
            if actor.profile.default_company_id is None:
                actor.profile.default_company = company
                actor.profile.save(update_fields=["default_company"])
        for module in modules or []:
            _module_set(company, module, True)
        events.emit("core.company.created", company=company, obj=company, payload={"code": company.code})
    return company


def company_update(*, actor, company: Company, data: dict) -> Company:
    require(actor, "core.change_company", company)
    data = dict(data)
    if "code" in data and data["code"] != company.code:
        raise ValidationFailed(fields={"code": [_("A company's code cannot change once it exists.")]})
    data.pop("code", None)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        assign(company, data, COMPANY_FIELDS - {"code"})
        if company.tax_id:
            company.tax_id = company.tax_id.strip().upper()
        validate(company)
        company.save()
    return company


def _module_set(company: Company, module: str, is_active: bool) -> CompanyModule:
    if module not in MODULES or MODULES[module].always_on:
        raise ValidationFailed(fields={"module": [_("Unknown module: %(module)s.") % {"module": module}]})
    row, _created = CompanyModule.objects.get_or_create(company=company, module=module)
    row = CompanyModule.objects.select_for_update().get(pk=row.pk)
    if row.is_active != is_active:
        row.is_active = is_active
        row.activated_at = timezone.now() if is_active else row.activated_at
        row.save()
        events.emit(
            "core.module.activated" if is_active else "core.module.deactivated",
            company=company, obj=row, payload={"module": module},
        )
    return row


def company_module_set(*, actor, company: Company, module: str, is_active: bool) -> CompanyModule:
    """Switch a module on or off for a company (phased go-live)."""
    require(actor, "core.change_companymodule", company)
    with transaction.atomic():
        return _module_set(company, module, is_active)


def module_is_active(company: Company | None, module: str) -> bool:
    definition = MODULES.get(module)
    if definition is None:
        return False
    if definition.always_on:
        return True
    if company is None:
        return False
    return CompanyModule.objects.filter(company=company, module=module, is_active=True).exists()


def active_module_codes(company: Company | None) -> set[str]:
    codes = {code for code, module in MODULES.items() if module.always_on}
    if company is not None:
        codes |= set(CompanyModule.objects.filter(company=company, is_active=True).values_list("module", flat=True))
    return codes

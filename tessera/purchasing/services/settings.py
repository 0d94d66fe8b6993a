"""A company's purchase settings: tolerances of receipts and bills, and where price differences go."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tessera.core.errors import ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import validate

from ..models import PurchaseSettings

SETTINGS_FIELDS = {"over_receipt_percent", "price_tolerance_percent", "amount_tolerance",
                   "quantity_tolerance_percent", "price_difference_account",
                   "requisition_needs_approval"}


def purchase_settings(company: Company) -> PurchaseSettings:
    """The company's purchase settings, created with the defaults (no tolerance) on first use."""
    found = PurchaseSettings.objects.filter(company=company).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return PurchaseSettings.objects.create(company=company)
    except IntegrityError:  # created meanwhile by another request
        return PurchaseSettings.objects.get(company=company)


def purchase_settings_update(*, actor, company: Company, data: dict) -> PurchaseSettings:
    """Change the company's purchase settings (fields in SETTINGS_FIELDS; the price difference account must
    be one of the company's accounts). Raises PermissionDenied (purchasing.change_purchasesettings),
    ValidationFailed (nothing written)."""
    require(actor, "purchasing.change_purchasesettings", company)
    unknown = set(data) - SETTINGS_FIELDS
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be set.")] for name in sorted(unknown)})
    from tessera.accounting.models import Account

    purchase_settings(company)
    with transaction.atomic():
        settings = PurchaseSettings.objects.select_for_update().get(company=company)
        for name, value in data.items():
            if name == "price_difference_account":
                if value in (None, ""):
                    settings.price_difference_account = None
                    continue
                account_id = value if isinstance(value, int) else getattr(value, "pk", value)
                account = Account.objects.filter(company=company, pk=account_id).first() \
                    if str(account_id).isdigit() else None
                if account is None:
                    raise ValidationFailed(fields={name: [_("Choose one of this company's accounts.")]})
                settings.price_difference_account = account
            elif name == "requisition_needs_approval":
                settings.requisition_needs_approval = value in (True, "true", "True", "on", "1", 1)
            else:
                setattr(settings, name, value)
        validate(settings)
        settings.save()
    return settings

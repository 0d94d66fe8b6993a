"""Partners and payment terms: create, change, delete; duplicate warnings; default payment terms.

Every service checks the actor's permission in the record's company, fixes the company from the
caller (never from input), validates with `full_clean` and raises domain errors.
"""

from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.errors import Conflict, NotFound, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate

from .models import Partner, PaymentTerm, TermBasis
from .selectors import normalise_tax_id, partner_duplicates, partner_name_key
from .services_details import MAIN_FIELDS, main_values_write, partner_tags_set

PARTNER_FIELDS = {
    "code", "name", "is_customer", "is_supplier", "country", "tax_id", "address", "contact_name", "phone", "email",
    "currency", "payment_term", "credit_limit", "bank_name", "bank_account", "notes", "is_active", "tags",
}
PAYMENT_TERM_FIELDS = {"code", "name", "basis", "days", "discount_percent", "discount_days", "is_active"}


class PossibleDuplicate(Conflict):
    """409 `possible_duplicate`: the partner looks like one that exists (`duplicates`); the caller may
    save it anyway with allow_duplicate."""

    code = "possible_duplicate"

    def __init__(self, message, *, fields: dict, duplicates: list[Partner]):
        super().__init__(message, fields=fields)
        self.duplicates = duplicates


def duplicates_of(error: Exception) -> list[Partner] | None:
    """The likely duplicates a PossibleDuplicate error names (None for any other error): forms list them."""
    return getattr(error, "duplicates", None) if isinstance(error, PossibleDuplicate) else None


def _refuse_duplicates(partner: Partner) -> None:
    duplicates = partner_duplicates(partner.company, partner.name, partner.tax_id, exclude_pk=partner.pk)
    if not duplicates:
        return
    same_tax_id = [p for p in duplicates if partner.tax_id and normalise_tax_id(p.tax_id) == partner.tax_id]
    similar_name = [p for p in duplicates if p not in same_tax_id]
    fields = {}
    if same_tax_id:
        fields["tax_id"] = [_("Same tax id as %(partner)s.") % {"partner": p} for p in same_tax_id]
    if similar_name:
        fields["name"] = [_("Nearly the same name as %(partner)s.") % {"partner": p} for p in similar_name]
    raise PossibleDuplicate(
        _("This partner may exist already: %(partners)s. Check, or send allow_duplicate to save it anyway.")
        % {"partners": ", ".join(str(p) for p in duplicates)},
        fields=fields, duplicates=duplicates,
    )


# --- Shared steps ------------------------------------------------------------------------------


def _in_company(instance, company: Company | None) -> None:
    # A caller working in one company never reaches another company's record, even by id.
    if company is not None and instance.company_id != company.pk:
        raise NotFound()


def _keep_code(instance, data: dict) -> None:
    # Codes name partners and terms in documents and imports, so they never change once given.
    if "code" in data and data["code"] != instance.code:
        raise ValidationFailed(fields={"code": [_("A code cannot change once the record exists.")]})


def _unique_code(model: type[models.Model], instance) -> None:
    taken = model._default_manager.filter(company_id=instance.company_id, code=instance.code)
    if instance.pk:
        taken = taken.exclude(pk=instance.pk)
    if instance.code and taken.exists():
        raise ValidationFailed(fields={"code": [_("The code %(code)s is in use already.") % {"code": instance.code}]})


def _save(model: type[models.Model], instance) -> None:
    """Save; a code taken meanwhile by a concurrent request gives the same field error as a taken one."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        _unique_code(model, instance)
        raise


def _delete(instance, message: str) -> None:
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationFailed(message) from error


# --- Partners ----------------------------------------------------------------------------------


def _clean_partner(partner: Partner) -> None:
    partner.tax_id = normalise_tax_id(partner.tax_id)
    partner.code = (partner.code or "").strip()
    partner.name = (partner.name or "").strip()
    if partner.payment_term_id and partner.payment_term.company_id != partner.company_id:
        raise ValidationFailed(fields={"payment_term": [_("Choose one of this company's payment terms.")]})
    _unique_code(Partner, partner)
    validate(partner)


def _split(data: dict) -> tuple[dict, dict, object]:
    """The partner's own fields, its main values (written through to the default rows), its tags (or None)."""
    data = dict(data)
    unknown = set(data) - PARTNER_FIELDS
    if unknown:
        assign(Partner(), {name: data[name] for name in unknown}, set())  # raises the usual field errors
    main = {name: data.pop(name) for name in list(data) if name in MAIN_FIELDS}
    return data, main, data.pop("tags", None)


def partner_create(*, actor, company: Company, data: dict, allow_duplicate: bool = False) -> Partner:
    """Create a partner in `company`. The tax id is kept upper-case; a Chinese partner's must be a valid
    unified social credit code (统一社会信用代码). Main values sent (`address`, `contact_name`, `phone`,
    `email`, `bank_name`, `bank_account`) become the default invoice address, primary contact and
    default bank account (services_details.main_values_write); `tags` are the company's tags.

    Raises PermissionDenied, ValidationFailed (field errors), and PossibleDuplicate (409) when a partner
    with the same tax id or a near-identical name exists, unless `allow_duplicate`. Nothing is written
    on any error.
    """
    require(actor, "partners.add_partner", company)
    own, main, tags = _split(data)
    partner = Partner(company=company)
    assign(partner, own, PARTNER_FIELDS)
    _clean_partner(partner)
    if not allow_duplicate:
        _refuse_duplicates(partner)
    with transaction.atomic():
        _save(Partner, partner)
        main_values_write(partner=partner, values=main)
        if tags is not None:
            partner_tags_set(partner=partner, tags=tags)
    return partner


def partner_update(*, actor, partner: Partner, data: dict, company: Company | None = None,
                   allow_duplicate: bool = False) -> Partner:
    """Change a partner under a row lock. The code never changes; a new name or tax id is checked for
    duplicates as at creation; changed main values write through to the default rows (see
    partner_create); `tags`, when sent, replace the partner's tags. Raises NotFound (another company's
    partner), PermissionDenied, ValidationFailed, PossibleDuplicate; nothing is written on any error."""
    _in_company(partner, company)
    require(actor, "partners.change_partner", partner.company)
    own, main, tags = _split(data)
    with transaction.atomic():
        locked = Partner.objects.select_for_update().select_related("company").get(pk=partner.pk)
        _keep_code(locked, own)
        before = (partner_name_key(locked.name), locked.tax_id)
        assign(locked, own, PARTNER_FIELDS)
        _clean_partner(locked)
        if not allow_duplicate and (partner_name_key(locked.name), locked.tax_id) != before:
            _refuse_duplicates(locked)
        _save(Partner, locked)
        main_values_write(partner=locked, values=main)
        if tags is not None:
            partner_tags_set(partner=locked, tags=tags)
    return locked


def partner_delete(*, actor, partner: Partner, company: Company | None = None) -> None:
    """Delete a partner nothing refers to. A partner used by entries or documents raises ValidationFailed
    (deactivate it instead); nothing is deleted."""
    _in_company(partner, company)
    require(actor, "partners.delete_partner", partner.company)
    _delete(partner, _("%(partner)s is used by other records and cannot be deleted: deactivate it instead.")
            % {"partner": partner})


# --- Payment terms -----------------------------------------------------------------------------


def _clean_term(term: PaymentTerm) -> None:
    term.code = (term.code or "").strip()
    if term.discount_percent and not term.discount_days:
        raise ValidationFailed(fields={"discount_days": [_("Say within how many days the discount applies.")]})
    if term.discount_days and term.days is not None and term.discount_days > term.days:
        raise ValidationFailed(fields={"discount_days": [_("The discount period cannot be longer than the term.")]})
    _unique_code(PaymentTerm, term)
    validate(term)


def payment_term_create(*, actor, company: Company, data: dict) -> PaymentTerm:
    """Create a payment term in `company`. Raises PermissionDenied, ValidationFailed."""
    require(actor, "partners.add_paymentterm", company)
    term = PaymentTerm(company=company)
    assign(term, data, PAYMENT_TERM_FIELDS)
    _clean_term(term)
    _save(PaymentTerm, term)
    return term


def payment_term_update(*, actor, instance: PaymentTerm, data: dict, company: Company | None = None) -> PaymentTerm:
    """Change a payment term under a row lock; its code never changes. Raises NotFound, PermissionDenied,
    ValidationFailed."""
    _in_company(instance, company)
    require(actor, "partners.change_paymentterm", instance.company)
    with transaction.atomic():
        locked = PaymentTerm.objects.select_for_update().get(pk=instance.pk)
        _keep_code(locked, data)
        assign(locked, data, PAYMENT_TERM_FIELDS)
        _clean_term(locked)
        _save(PaymentTerm, locked)
    return locked


def payment_term_delete(*, actor, instance: PaymentTerm, company: Company | None = None) -> None:
    """Delete a payment term no partner uses; otherwise ValidationFailed and nothing is deleted."""
    _in_company(instance, company)
    require(actor, "partners.delete_paymentterm", instance.company)
    _delete(instance, _("Payment term %(term)s is used by partners and cannot be deleted: deactivate it instead.")
            % {"term": instance})


# code: (name, basis, days, discount percent, discount days)
DEFAULT_PAYMENT_TERMS = {
    "IMMEDIATE": (gettext_lazy("Due immediately"), TermBasis.INVOICE_DATE, 0, "0", 0),
    "NET30": (gettext_lazy("Net 30 days"), TermBasis.INVOICE_DATE, 30, "0", 0),
    "NET60": (gettext_lazy("Net 60 days"), TermBasis.INVOICE_DATE, 60, "0", 0),
    "2-10NET30": (gettext_lazy("2/10, net 30 days"), TermBasis.INVOICE_DATE, 30, "2", 10),
    "EOM30": (gettext_lazy("End of month + 30 days"), TermBasis.END_OF_MONTH, 30, "0", 0),
}


def payment_terms_default(company: Company) -> list[PaymentTerm]:
    """Seed the usual payment terms in `company` (net 30, net 60, 2/10 net 30, end of month + 30, due
    immediately), named in the active language. Idempotent: terms whose code exists are left as the
    company edited them."""
    terms = []
    with transaction.atomic():
        for code, (name, basis, days, percent, discount_days) in DEFAULT_PAYMENT_TERMS.items():
            # get_or_create on the (company, code) constraint: safe when two seeders race, and audited.
            term, _created = PaymentTerm.objects.get_or_create(
                company=company, code=code,
                defaults={"name": str(name), "basis": basis, "days": days, "discount_percent": Decimal(percent),
                          "discount_days": discount_days},
            )
            terms.append(term)
    return terms

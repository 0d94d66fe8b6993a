"""A partner's addresses, contacts and bank accounts, and partner tags: create, change, delete.

Defaults: per partner exactly one bank account is the default and one contact the primary while there
are any, and one address per kind (invoice, delivery, other) is the default. Each service locks the
partner row first (`select_for_update`), so two requests changing one partner's rows queue; it moves
the flag (setting a row as default takes the flag from the other one; the first row of its kind gets
it; deleting the default hands it to the oldest remaining row), then rewrites the partner's main
values (`address`, `contact_name`, `phone`, `email`, `bank_name`, `bank_account`) from the default
rows. Bad input raises ValidationFailed and writes nothing. The partner services call
`main_values_write` so that writing a main value on the partner writes through to its default row.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.errors import NotFound, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate

from .models import (
    AddressKind,
    Partner,
    PartnerAddress,
    PartnerBankAccount,
    PartnerContact,
    PartnerTag,
    normalise_account_number,
)

# The partner's main values, and the rows they come from.
ADDRESS_MAIN = ("address",)
CONTACT_MAIN = ("contact_name", "phone", "email")
BANK_MAIN = ("bank_name", "bank_account")
MAIN_FIELDS = {*ADDRESS_MAIN, *CONTACT_MAIN, *BANK_MAIN}


@dataclass(frozen=True)
class Child:
    """How one kind of row hangs off a partner: its fields, its default flag, what the flag is per."""

    model: type
    fields: frozenset
    flag: str
    group: str | None  # the field the default is per ("kind" of an address), None: per partner
    main: str  # which main values it gives: "address", "contact" or "bank"
    must_keep_default: object  # the message when the only default would be unset


ADDRESS = Child(
    PartnerAddress, frozenset({"kind", "name", "street", "city", "province", "postal_code", "country", "is_default"}),
    "is_default", "kind", "address",
    gettext_lazy("Make another address of this kind the default instead: one of them must be."),
)
CONTACT = Child(
    PartnerContact, frozenset({"name", "job_title", "phone", "mobile", "email", "is_primary", "notes"}),
    "is_primary", None, "contact",
    gettext_lazy("Make another contact the primary one instead: one of them must be."),
)
BANK = Child(
    PartnerBankAccount, frozenset({"bank_name", "branch", "account_number", "account_holder", "swift_bic", "currency",
                                   "is_default"}),
    "is_default", None, "bank",
    gettext_lazy("Make another bank account the default instead: one of them must be."),
)
TAG_FIELDS = {"name", "colour"}


# --- Shared steps --------------------------------------------------------------------------------


def _in_company(instance, company: Company | None) -> None:
    if company is not None and instance.company_id != company.pk:
        raise NotFound()


def _lock_partner(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().select_related("company").get(pk=partner.pk)


def _lock_row(child: Child, row):
    found = child.model.objects.select_for_update().filter(pk=row.pk).first()
    if found is None:
        raise NotFound()
    return found


def _siblings(child: Child, partner: Partner, row, group_value=None):
    rows = child.model.objects.filter(partner=partner).exclude(pk=row.pk) if row.pk else \
        child.model.objects.filter(partner=partner)
    if child.group:
        rows = rows.filter(**{child.group: group_value if group_value is not None else getattr(row, child.group)})
    return rows.order_by("pk")


def _clean_row(child: Child, row) -> None:
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(value, str) and field.name != "street":
            setattr(row, field.attname, value.strip())
    if child is ADDRESS:
        row.street = "\n".join(line.strip() for line in (row.street or "").strip().splitlines() if line.strip())
        row.country = (row.country or "").upper()
    elif child is BANK:
        row.account_number = normalise_account_number(row.account_number)
        row.swift_bic = (row.swift_bic or "").upper()
        taken = PartnerBankAccount.objects.filter(partner_id=row.partner_id, account_number=row.account_number)
        if row.account_number and taken.exclude(pk=row.pk).exists():
            raise ValidationFailed(fields={"account_number": [
                _("This partner has the account %(number)s already.") % {"number": row.account_number}]})
    elif child is CONTACT:
        row.email = (row.email or "").lower()
    # The one-default constraints hold once _store has moved the flag (the database still checks them).
    validate(row, exclude=[child.flag])


def _promote(child: Child, partner: Partner, group_value=None) -> None:
    """Give the flag to the oldest row left (after the default was deleted or moved to another kind)."""
    rows = child.model.objects.filter(partner=partner)
    if child.group:
        rows = rows.filter(**{child.group: group_value})
    if rows.filter(**{child.flag: True}).exists():
        return
    oldest = rows.order_by("pk").first()
    if oldest is not None:
        setattr(oldest, child.flag, True)
        oldest.save(update_fields=[child.flag])


def _main_values(partner: Partner, main: str) -> dict:
    if main == "address":
        default = partner.addresses.filter(kind=AddressKind.INVOICE, is_default=True).first()
        return {"address": default.formatted() if default else ""}
    if main == "contact":
        primary = partner.contacts.filter(is_primary=True).first()
        if primary is None:
            return dict.fromkeys(CONTACT_MAIN, "")
        return {"contact_name": primary.name, "phone": primary.phone or primary.mobile, "email": primary.email}
    default = partner.bank_accounts.filter(is_default=True).first()
    if default is None:
        return dict.fromkeys(BANK_MAIN, "")
    return {"bank_name": default.bank_name, "bank_account": default.account_number}


def _sync_main(partner: Partner, main: str) -> None:
    """Rewrite the partner's main values of one kind from its default row (audited as a partner change)."""
    changed = {name: value for name, value in _main_values(partner, main).items() if getattr(partner, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(partner, name, value)
        partner.save(update_fields=sorted(changed))


def _store(child: Child, partner: Partner, row, data: dict):
    """Assign, check, move the flag, save, re-sync: the caller holds the transaction and the partner's lock."""
    old_group = getattr(row, child.group) if row.pk and child.group else None
    was_flagged = bool(row.pk) and getattr(row, child.flag)
    assign(row, data, set(child.fields))
    row.partner, row.company_id = partner, partner.company_id
    _clean_row(child, row)
    siblings = _siblings(child, partner, row)
    flagged = siblings.filter(**{child.flag: True})
    if getattr(row, child.flag):
        for other in flagged:  # one by one, so that the audit trail shows each flag that moved
            setattr(other, child.flag, False)
            other.save(update_fields=[child.flag])
    elif not flagged.exists():
        same_group = not child.group or old_group == getattr(row, child.group)
        if was_flagged and same_group and siblings.exists():
            raise ValidationFailed(fields={child.flag: [str(child.must_keep_default)]})
        setattr(row, child.flag, True)  # the first (or only) row of its kind is the default
    row.save()
    if was_flagged and child.group and old_group != getattr(row, child.group):
        _promote(child, partner, old_group)
    _sync_main(partner, child.main)
    return row


def _remove(child: Child, partner: Partner, row) -> None:
    group_value = getattr(row, child.group) if child.group else None
    was_flagged = getattr(row, child.flag)
    row.delete()
    if was_flagged:
        _promote(child, partner, group_value)
    _sync_main(partner, child.main)


def _child_save(*, actor, child: Child, partner: Partner | None, row, data: dict, company: Company | None):
    name = child.model._meta.model_name
    owner = partner if row is None else row.partner
    _in_company(owner, company)
    if row is not None:
        _in_company(row, company)
    require(actor, f"partners.{'add' if row is None else 'change'}_{name}", owner.company)
    with transaction.atomic():
        locked = _lock_partner(owner)
        row = child.model(partner=locked, company=locked.company) if row is None else _lock_row(child, row)
        return _store(child, locked, row, dict(data))


def _child_delete(*, actor, child: Child, row, company: Company | None) -> None:
    _in_company(row, company)
    require(actor, f"partners.delete_{child.model._meta.model_name}", row.company)
    with transaction.atomic():
        locked = _lock_partner(row.partner)
        _remove(child, locked, _lock_row(child, row))


# --- Addresses -----------------------------------------------------------------------------------


def partner_address_create(*, actor, partner: Partner, data: dict, company: Company | None = None) -> PartnerAddress:
    """Add an address to `partner` (kind invoice/delivery/other; the country defaults to the partner's).
    The first address of a kind becomes its default; `is_default` takes the flag from the previous one.
    The default invoice address is the partner's main `address`. Raises NotFound (another company's
    partner), PermissionDenied, ValidationFailed."""
    data = {"country": partner.country, **data}
    return _child_save(actor=actor, child=ADDRESS, partner=partner, row=None, data=data, company=company)


def partner_address_update(*, actor, address: PartnerAddress, data: dict,
                           company: Company | None = None) -> PartnerAddress:
    """Change an address under the partner's lock. Unsetting the default of a kind that has other
    addresses raises ValidationFailed (make another one the default); moving the default to another
    kind hands the old kind's flag to its oldest address. Raises NotFound, PermissionDenied, ValidationFailed."""
    return _child_save(actor=actor, child=ADDRESS, partner=None, row=address, data=data, company=company)


def partner_address_delete(*, actor, address: PartnerAddress, company: Company | None = None) -> None:
    """Delete an address; when it was the default, the oldest address of its kind becomes the default."""
    _child_delete(actor=actor, child=ADDRESS, row=address, company=company)


# --- Contacts ------------------------------------------------------------------------------------


def partner_contact_create(*, actor, partner: Partner, data: dict, company: Company | None = None) -> PartnerContact:
    """Add a contact person (a name, a phone, a mobile or an e-mail at least; phones and e-mails checked;
    a Chinese partner's mobile has 11 digits). The first contact, or one sent with `is_primary`, is the
    primary contact: the partner's main contact name, phone and e-mail. Raises NotFound,
    PermissionDenied, ValidationFailed."""
    return _child_save(actor=actor, child=CONTACT, partner=partner, row=None, data=data, company=company)


def partner_contact_update(*, actor, contact: PartnerContact, data: dict,
                           company: Company | None = None) -> PartnerContact:
    """Change a contact under the partner's lock; unsetting the primary flag while other contacts exist
    raises ValidationFailed. Raises NotFound, PermissionDenied, ValidationFailed."""
    return _child_save(actor=actor, child=CONTACT, partner=None, row=contact, data=data, company=company)


def partner_contact_delete(*, actor, contact: PartnerContact, company: Company | None = None) -> None:
    """Delete a contact; when it was the primary one, the oldest remaining contact becomes primary."""
    _child_delete(actor=actor, child=CONTACT, row=contact, company=company)


# --- Bank accounts -------------------------------------------------------------------------------


def partner_bank_account_create(*, actor, partner: Partner, data: dict,
                                company: Company | None = None) -> PartnerBankAccount:
    """Add a bank account. The number is kept without spaces or hyphens, must be new for the partner,
    and for a Chinese partner has 8 to 30 digits; SWIFT/BIC and currency are optional. The first
    account, or one sent with `is_default`, is the default (the partner's main bank and account).
    Raises NotFound, PermissionDenied, ValidationFailed."""
    return _child_save(actor=actor, child=BANK, partner=partner, row=None, data=data, company=company)


def partner_bank_account_update(*, actor, bank_account: PartnerBankAccount, data: dict,
                                company: Company | None = None) -> PartnerBankAccount:
    """Change a bank account under the partner's lock; unsetting the default while other accounts exist
    raises ValidationFailed. Raises NotFound, PermissionDenied, ValidationFailed."""
    return _child_save(actor=actor, child=BANK, partner=None, row=bank_account, data=data, company=company)


def partner_bank_account_delete(*, actor, bank_account: PartnerBankAccount, company: Company | None = None) -> None:
    """Delete a bank account; when it was the default, the oldest remaining account becomes the default."""
    _child_delete(actor=actor, child=BANK, row=bank_account, company=company)


# --- Main values written on the partner ------------------------------------------------------------


def _remap(error: ValidationFailed, names: dict) -> ValidationFailed:
    fields = {names.get(name, name): messages for name, messages in (error.fields or {}).items()}
    return ValidationFailed(error.message, fields=fields)


def _write_through(child: Child, partner: Partner, values: dict, names: dict, *, emptied: bool) -> None:
    default = child.model.objects.filter(partner=partner, **{child.flag: True})
    if child is ADDRESS:
        default = default.filter(kind=AddressKind.INVOICE)
    row = default.first()
    try:
        if emptied:
            if row is not None:
                _remove(child, partner, _lock_row(child, row))
            return
        if row is None:
            row = child.model(partner=partner, company=partner.company)
            if child is ADDRESS:
                row.country = partner.country
        else:
            row = _lock_row(child, row)
        _store(child, partner, row, {**values, child.flag: True})
    except ValidationFailed as error:
        raise _remap(error, names) from error


def main_values_write(*, partner: Partner, values: dict) -> None:
    """Write the partner's main values sent to the partner services through to its default rows, inside
    the caller's transaction (the caller checked the permission and holds the partner's lock).

    A value equal to the current one changes nothing. A new `address` becomes the street lines of the
    default invoice address (its city, province and postal code are cleared: the text is the whole
    address); `contact_name`/`phone`/`email` change the primary contact; `bank_name`/`bank_account` the
    default bank account. Rows are created when missing and deleted when all their main values are
    emptied. Field errors come back under the partner's field names.
    """
    values = {name: (value or "").strip() for name, value in values.items()}
    changed = {name: value for name, value in values.items() if value != (getattr(partner, name) or "").strip()}
    if "address" in changed:
        _write_through(ADDRESS, partner, {"street": changed["address"], "city": "", "province": "",
                                          "postal_code": "", "kind": AddressKind.INVOICE},
                       {"street": "address", "city": "address", "kind": "address", "country": "address"},
                       emptied=not changed["address"])
    if changed.keys() & set(CONTACT_MAIN):
        current = {name: (getattr(partner, name) or "").strip() for name in CONTACT_MAIN}
        merged = {**current, **changed}
        contact = {"name": merged["contact_name"], "email": merged["email"]}
        if "phone" in changed or not partner.contacts.filter(is_primary=True).exists():
            contact["phone"] = merged["phone"]
        _write_through(CONTACT, partner, contact, {"name": "contact_name", "mobile": "phone"},
                       emptied=not any(merged.values()))
    if changed.keys() & set(BANK_MAIN):
        merged = {**{name: (getattr(partner, name) or "").strip() for name in BANK_MAIN}, **changed}
        if merged["bank_name"] and not normalise_account_number(merged["bank_account"]):
            raise ValidationFailed(fields={"bank_account": [_("Enter the account number at this bank.")]})
        if merged["bank_account"] and not merged["bank_name"]:
            raise ValidationFailed(fields={"bank_name": [_("Enter the bank of this account.")]})
        _write_through(BANK, partner, {"bank_name": merged["bank_name"], "account_number": merged["bank_account"]},
                       {"account_number": "bank_account"}, emptied=not merged["bank_account"])


# --- Tags ----------------------------------------------------------------------------------------


def _clean_tag(tag: PartnerTag) -> None:
    tag.name = " ".join((tag.name or "").split())
    taken = PartnerTag.objects.filter(company_id=tag.company_id, name__iexact=tag.name)
    if tag.pk:
        taken = taken.exclude(pk=tag.pk)
    existing = taken.first() if tag.name else None
    if existing is not None:
        raise ValidationFailed(fields={"name": [_("The tag %(name)s exists already.") % {"name": existing.name}]})
    validate(tag)


def partner_tag_create(*, actor, company: Company, data: dict) -> PartnerTag:
    """Create a tag in `company`; names are unique per company whatever their case. Raises
    PermissionDenied, ValidationFailed."""
    require(actor, "partners.add_partnertag", company)
    tag = PartnerTag(company=company)
    assign(tag, data, TAG_FIELDS)
    with transaction.atomic():
        _clean_tag(tag)
        tag.save()
    return tag


def partner_tag_update(*, actor, tag: PartnerTag, data: dict, company: Company | None = None) -> PartnerTag:
    """Rename or recolour a tag under a row lock. Raises NotFound, PermissionDenied, ValidationFailed."""
    _in_company(tag, company)
    require(actor, "partners.change_partnertag", tag.company)
    with transaction.atomic():
        locked = PartnerTag.objects.select_for_update().get(pk=tag.pk)
        assign(locked, data, TAG_FIELDS)
        _clean_tag(locked)
        locked.save()
    return locked


def partner_tag_delete(*, actor, tag: PartnerTag, company: Company | None = None) -> None:
    """Delete a tag; the partners that carried it lose it (each partner's history records that)."""
    _in_company(tag, company)
    require(actor, "partners.delete_partnertag", tag.company)
    with transaction.atomic():
        for partner in Partner.objects.filter(tags=tag).order_by("pk"):
            partner.tags.remove(tag)  # through the relation, so the audit trail sees it
        tag.delete()


def partner_tags_set(*, partner: Partner, tags) -> None:
    """Set the partner's tags (inside the partner service's transaction); every tag must be the company's."""
    tags = list(tags)
    if any(tag.company_id != partner.company_id for tag in tags):
        raise ValidationFailed(fields={"tags": [_("Choose tags of this company.")]})
    partner.tags.set(tags)

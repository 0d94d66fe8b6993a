"""Reads of partners, payment terms and partner tags, scoped to the user's company; likely duplicates of a partner."""

import re
import unicodedata

from django.db.models import QuerySet

from tessera.core.models import Company
from tessera.core.selectors import model_list

from .models import Partner, PartnerBankAccount, PartnerTag, PaymentTerm


def partner_list(user, company: Company | None) -> QuerySet[Partner]:
    """The partners of `company` (PermissionDenied without partners.view_partner there)."""
    return model_list(user, Partner, company).select_related("payment_term", "currency")


def partner_tag_list(user, company: Company | None) -> QuerySet[PartnerTag]:
    """The partner tags of `company` (PermissionDenied without partners.view_partnertag there)."""
    return model_list(user, PartnerTag, company)


def payment_term_list(user, company: Company | None) -> QuerySet[PaymentTerm]:
    """The payment terms of `company` (PermissionDenied without partners.view_paymentterm there)."""
    return model_list(user, PaymentTerm, company)


# Legal-form words that do not tell two companies apart: "Acme Trading Co., Ltd." is "acme trading".
_LATIN_SUFFIXES = {"co", "company", "corp", "corporation", "inc", "incorporated", "llc", "ltd", "limited", "plc",
                   "gmbh", "ag", "sa", "bv", "pte", "pty"}
# Longest first, so that 股份有限公司 goes whole instead of leaving 股份 behind.
_CHINESE_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "公司")


def partner_name_key(name: str) -> str:
    """A partner name reduced to what identifies it: case, full/half width, whitespace, punctuation and
    legal-form suffixes (有限公司, 股份有限公司, Ltd, Inc, Co., ...) do not count."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    words = [word for word in re.split(r"[\W_]+", text) if word]
    while len(words) > 1 and words[-1] in _LATIN_SUFFIXES:
        words.pop()
    key = "".join(words)
    suffix = next((s for s in _CHINESE_SUFFIXES if key.endswith(s) and len(key) > len(s)), None)
    return key[: -len(suffix)] if suffix else key


def normalise_tax_id(tax_id: str | None) -> str:
    """Tax ids are kept upper-case without spaces, so that they compare equal however they were typed."""
    return re.sub(r"\s+", "", tax_id or "").upper()


def partner_duplicates(company: Company, name: str, tax_id: str, exclude_pk: int | None = None) -> list[Partner]:
    """Partners of `company` that are probably the same as one named `name` with `tax_id`: the same tax id
    or a near-identical name (see `partner_name_key`). Inactive partners count too. Ordered by code."""
    partners = Partner.objects.filter(company=company)
    if exclude_pk is not None:
        partners = partners.exclude(pk=exclude_pk)
    matching: set[int] = set()
    tax_id = normalise_tax_id(tax_id)
    if tax_id:
        matching.update(partners.filter(tax_id__iexact=tax_id).values_list("pk", flat=True))
    key = partner_name_key(name)
    if key:
        # The key cannot be indexed by the database: compare names in Python, reading only pk and name.
        matching.update(pk for pk, other in partners.values_list("pk", "name").iterator()
                        if partner_name_key(other) == key)
    return list(partners.filter(pk__in=matching).order_by("code")) if matching else []


def partners_by_bank_account(company_id: int) -> dict[str, list[Partner]]:
    """The company's active partners by the digits of each of their bank account numbers (every
    PartnerBankAccount, and the main `bank_account`), numbers of at least six digits: how a bank
    statement line's counterparty account finds its partner."""
    found: dict[str, list[Partner]] = {}

    def add(number: str, partner: Partner) -> None:
        key = re.sub(r"\D", "", number or "")
        if len(key) >= 6 and partner not in found.setdefault(key, []):
            found[key].append(partner)

    partners = {partner.pk: partner for partner in
                Partner.objects.filter(company_id=company_id, is_active=True).only("pk", "code", "name",
                                                                                   "bank_account")}
    for partner in partners.values():
        add(partner.bank_account, partner)
    for partner_id, number in PartnerBankAccount.objects.filter(partner_id__in=partners).values_list(
            "partner_id", "account_number"):
        add(number, partners[partner_id])
    return found

"""Partner records in the audit trail (imported by the app's `ready`): partners (their tags too, as
relation changes), payment terms, tags, and each address, contact and bank account."""

from tessera.core import audit

from .models import Partner, PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag, PaymentTerm

for model in (Partner, PaymentTerm, PartnerTag, PartnerAddress, PartnerContact, PartnerBankAccount):
    audit.register(model)

"""Copy each partner's single address, contact and bank account into the new rows (as the defaults).

Reversible: going back removes the rows (the partner's own fields were never changed). Batched by pk.
"""

from django.db import migrations

BATCH = 500


def _number(text: str) -> str:
    return "".join(char for char in text or "" if char not in " -\t").upper()


def copy_forward(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    Address = apps.get_model("partners", "PartnerAddress")
    Contact = apps.get_model("partners", "PartnerContact")
    Bank = apps.get_model("partners", "PartnerBankAccount")
    last = 0
    while True:
        batch = list(Partner.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        addresses, contacts, banks = [], [], []
        for partner in batch:
            common = {"partner_id": partner.pk, "company_id": partner.company_id}
            if partner.address.strip():
                addresses.append(Address(**common, kind="invoice", street=partner.address.strip(),
                                         country=partner.country, is_default=True))
            if partner.contact_name.strip() or partner.phone.strip() or partner.email.strip():
                contacts.append(Contact(**common, name=partner.contact_name.strip(), phone=partner.phone.strip(),
                                        email=partner.email.strip(), is_primary=True))
            if _number(partner.bank_account):
                banks.append(Bank(**common, bank_name=partner.bank_name.strip(),
                                  account_number=_number(partner.bank_account)[:50], is_default=True))
        Address.objects.bulk_create(addresses)
        Contact.objects.bulk_create(contacts)
        Bank.objects.bulk_create(banks)
        last = batch[-1].pk


def copy_backward(apps, schema_editor):
    for name in ("PartnerAddress", "PartnerContact", "PartnerBankAccount"):
        apps.get_model("partners", name).objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0002_addresses_contacts_bank_accounts_tags"),
    ]

    operations = [
        migrations.RunPython(copy_forward, copy_backward),
    ]

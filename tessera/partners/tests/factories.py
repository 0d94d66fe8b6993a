"""Factories for partners and payment terms. Seeded fakes; no fixed pks."""

import factory

from tessera.core.validators import uscc_check_char
from tessera.partners.models import Partner, PartnerTag, PaymentTerm


def uscc(first17: str = "91310000MA1FL0001") -> str:
    """A valid unified social credit code built from its first 17 characters."""
    return first17 + uscc_check_char(first17)


class PaymentTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentTerm
        django_get_or_create = ("company", "code")

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Term {o.code}")
    days = 30


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("company", "code")

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"Partner number {n} trading")
    is_customer = True
    country = "CN"


class PartnerTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerTag

    name = factory.Sequence(lambda n: f"Tag {n}")


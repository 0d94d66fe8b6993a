"""factory_boy factories for core records. Seeded fakes; no fixed pks."""

import factory
from django.contrib.auth import get_user_model

from tessera.core.models import Company, CompanyModule, Currency, Role

PASSWORD = "Tessera-test-pw-2026"


def currency(code: str = "CNY") -> Currency:
    """Currencies are seeded by migrate (ISO 4217); tests use them rather than invent new ones."""
    return Currency.objects.get(code=code)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Faker("company")
    base_currency = factory.LazyFunction(lambda: currency("CNY"))
    country = "CN"
    fiscal_year_start_month = 1


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the given `roles` (role codes) and `companies`; the first company is the default."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.set([Role.objects.get(code=code).group for code in extracted])

    @factory.post_generation
    def companies(self, create, extracted, **kwargs):
        if extracted:
            self.profile.companies.set(extracted)
            self.profile.default_company = extracted[0]
            self.profile.save()
        self.save()


def activate(company: Company, *modules: str) -> None:
    for module in modules:
        CompanyModule.objects.update_or_create(company=company, module=module, defaults={"is_active": True})

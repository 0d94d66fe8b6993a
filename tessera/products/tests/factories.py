"""factory_boy factories for units, categories and products. Seeded fakes; no fixed pks.

Accounts and taxes live in the accounting app, which master data does not import: their factories name
the models by label ("accounting.Account").
"""

from decimal import Decimal

import factory

from tessera.products.models import Product, ProductCategory, Uom, UomCategory


class UomCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UomCategory
        django_get_or_create = ("company", "name")

    name = factory.Sequence(lambda n: f"Category {n}")


class UomFactory(factory.django.DjangoModelFactory):
    """A unit; the first of its category should be created with is_reference=True and ratio 1."""

    class Meta:
        model = Uom
        django_get_or_create = ("company", "name")

    category = factory.SubFactory(UomCategoryFactory, company=factory.SelfAttribute("..company"))
    name = factory.Sequence(lambda n: f"unit{n}")
    symbol = factory.LazyAttribute(lambda o: o.name)
    ratio = Decimal("1")
    is_reference = False
    decimal_places = 0


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("company", "parent", "name")

    name = factory.Sequence(lambda n: f"Products {n}")
    parent = None


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("company", "sku")

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"产品{n}")
    name_en = ""  # the name serves every language unless a test gives an English one
    category = factory.SubFactory(ProductCategoryFactory, company=factory.SelfAttribute("..company"))
    uom = factory.SubFactory(UomFactory, company=factory.SelfAttribute("..company"), name="pcs", is_reference=True)
    list_price = Decimal("10")
    standard_cost = Decimal("6")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounting.Account"
        django_get_or_create = ("company", "code")

    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Account {o.code}")
    type = "asset"


class TaxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounting.Tax"
        django_get_or_create = ("company", "kind", "name")

    name = factory.LazyAttribute(lambda o: f"{o.kind} {o.rate}%")
    kind = "sales"
    rate = Decimal("13")

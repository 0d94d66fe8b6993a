"""factory_boy factories of the inventory app: warehouses (with their root and stock locations), locations,
lots. Seeded fakes; no fixed pks. Stock itself is made through the move services (see conftest.receive)."""

import factory

from tessera.inventory.choices import LocationUsage
from tessera.inventory.models import Location, Lot, Warehouse


class WarehouseFactory(factory.django.DjangoModelFactory):
    """A warehouse with its view location "<CODE>" and stock location "<CODE>/Stock" (as warehouse_create)."""

    class Meta:
        model = Warehouse
        django_get_or_create = ("company", "code")
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"W{n}")
    name = factory.LazyAttribute(lambda o: f"Warehouse {o.code}")

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if not create or self.view_location_id:
            return
        view = Location.objects.create(company=self.company, warehouse=self, name=self.code, full_name=self.code,
                                       usage=LocationUsage.VIEW)
        stock = Location.objects.create(company=self.company, warehouse=self, parent=view, name="Stock",
                                        full_name=f"{self.code}/Stock", usage=LocationUsage.INTERNAL)
        self.view_location, self.stock_location = view, stock
        self.save(update_fields=["view_location", "stock_location"])


class LocationFactory(factory.django.DjangoModelFactory):
    """An internal location below `parent` (required), in its warehouse."""

    class Meta:
        model = Location
        django_get_or_create = ("company", "full_name")

    name = factory.Sequence(lambda n: f"L{n:02d}")
    usage = LocationUsage.INTERNAL
    warehouse = factory.LazyAttribute(lambda o: o.parent.warehouse)
    full_name = factory.LazyAttribute(lambda o: f"{o.parent.full_name}/{o.name}")


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot
        django_get_or_create = ("company", "product", "name")

    name = factory.Sequence(lambda n: f"LOT-{n:04d}")

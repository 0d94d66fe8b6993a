import pytest

from tessera.core.models import Role


@pytest.mark.django_db
def test_migrate_seeds_every_role():
    assert set(Role.objects.values_list("code", flat=True)) == {
        "administrator", "accountant", "accounting_manager", "purchaser", "purchasing_manager",
        "salesperson", "sales_manager", "warehouse_clerk", "hr_officer", "employee", "auditor",
    }

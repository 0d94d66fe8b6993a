"""Migration 0003: a partner's single address, contact and bank account become its default rows; back removes them."""

import importlib

import pytest
from django.apps import apps

from tessera.partners.models import PartnerAddress, PartnerBankAccount, PartnerContact
from tessera.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

copy = importlib.import_module("tessera.partners.migrations.0003_copy_main_values_into_rows")


def test_the_single_values_are_copied_into_default_rows_and_back(company):
    full = PartnerFactory(company=company, code="A", address="上海市浦东新区世纪大道100号\n200120", contact_name="王",
                          phone="021-1234 5678", email="w@example.com", bank_name="中国银行",
                          bank_account="1234 5678 9012")
    phone_only = PartnerFactory(company=company, code="B", phone="13912345678")
    PartnerFactory(company=company, code="C")

    copy.copy_forward(apps, None)

    assert list(PartnerAddress.objects.values_list("partner", "kind", "street", "country", "is_default")) == [
        (full.pk, "invoice", "上海市浦东新区世纪大道100号\n200120", "CN", True)]
    assert sorted(PartnerContact.objects.values_list("partner", "name", "phone", "email", "is_primary")) == [
        (full.pk, "王", "021-1234 5678", "w@example.com", True), (phone_only.pk, "", "13912345678", "", True)]
    assert list(PartnerBankAccount.objects.values_list("partner", "bank_name", "account_number", "is_default")) == [
        (full.pk, "中国银行", "123456789012", True)]
    assert PartnerAddress.objects.get().company == company

    copy.copy_backward(apps, None)

    assert [model.objects.count() for model in (PartnerAddress, PartnerContact, PartnerBankAccount)] == [0, 0, 0]
    full.refresh_from_db()
    assert (full.address, full.bank_account) == ("上海市浦东新区世纪大道100号\n200120", "1234 5678 9012")

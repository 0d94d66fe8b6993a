"""The partners demo builder: rows and tags on the demo partners, idempotent."""

import pytest

from tessera.core import demo
from tessera.core.tests.factories import CompanyFactory
from tessera.partners.demo import build_partner_details
from tessera.partners.models import PartnerAddress, PartnerBankAccount, PartnerContact, PartnerTag
from tessera.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

MODELS = (PartnerTag, PartnerAddress, PartnerContact, PartnerBankAccount)


def test_the_demo_partners_get_addresses_contacts_banks_and_tags_once(make_user):
    companies = {code: CompanyFactory(code=code, country=country) for code, country in (("CN01", "CN"),
                                                                                        ("US01", "US"))}
    for code in ("C001", "C002", "C003", "S001", "S002"):
        PartnerFactory(company=companies["CN01"], code=code, country="CN", is_supplier=code.startswith("S"))
    PartnerFactory(company=companies["US01"], code="C001", country="US")
    admin = make_user("administrator", companies=list(companies.values()))
    ctx = demo.DemoContext(admin=admin, password="x", companies=companies)

    build_partner_details(ctx)
    counts = [model.objects.count() for model in MODELS]
    build_partner_details(ctx)

    assert counts == [6, 9, 7, 6]
    assert [model.objects.count() for model in MODELS] == counts
    c001 = PartnerAddress.objects.filter(partner__company=companies["CN01"], partner__code="C001")
    assert sorted(c001.values_list("kind", "is_default")) == [("delivery", True), ("invoice", True)]

import pytest

from tessera.partners.tests.factories import PartnerFactory


@pytest.fixture
def s3(p):
    """A third supplier in the company's currency."""
    return PartnerFactory(company=p.company, code="S3", name="深圳供应商", is_customer=False, is_supplier=True)

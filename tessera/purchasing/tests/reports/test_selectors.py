"""The purchasing selectors: the company's records only, what the user may view, own requisitions."""

import pytest

from tessera.core import errors
from tessera.purchasing import selectors
from tessera.purchasing.models import Requisition

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_order_list_is_the_companys_and_needs_the_view_permission(p, docs, other_company):
    assert set(selectors.order_list(p.clerk, p.company).values_list("pk", flat=True)) == {
        docs.a.pk, docs.b.pk, docs.c.pk, docs.d.pk, docs.e.pk, docs.f.pk}
    for user, company in ((p.employee, p.company), (p.manager, other_company)):
        with pytest.raises(errors.PermissionDenied):
            selectors.order_list(user, company)
    with pytest.raises(errors.NotFound):
        selectors.order_get(p.manager, p.company, 0)


def test_employees_see_their_own_requisitions_managers_all(p, make_user):
    other = make_user("employee", username="staff2")
    for user in (p.employee, other):
        Requisition.objects.create(company=p.company, requested_by=user, date=DAY, warehouse=p.warehouse)
    assert list(selectors.requisition_list(p.employee, p.company).values_list("requested_by", flat=True)) == [
        p.employee.pk]
    assert selectors.requisition_list(p.manager, p.company).count() == 2


def test_pending_and_unbilled_lines(p, docs):
    assert sorted((line.order.number, line.product.sku) for line in selectors.pending_lines(p.company)) == [
        ("PO-A", "TEA"), ("PO-A", "W-1"), ("PO-C", "W-1")]
    assert sorted(line.order.number for line in selectors.unbilled_lines(p.company)) == ["PO-A", "PO-B"]
    assert [match.invoice_id for match in selectors.mismatched_bills(p.company)] == [docs.bill.pk]

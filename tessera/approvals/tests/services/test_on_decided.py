"""A document type's `on_decided` hears how its request ended, in the deciding transaction."""

import pytest

from tessera.approvals.registry import document_type, register
from tessera.approvals.services import approval_approve, approval_reject, approval_submit, approval_withdraw

from ..factories import DOCUMENT_TYPE

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(purchase_requests):
    calls = []
    definition = document_type(DOCUMENT_TYPE)
    fields = {name: (item.label, item.getter, item.type) for name, item in definition.fields.items()}
    register(DOCUMENT_TYPE, label=definition.label, amount=definition.amount, summary=definition.summary,
             url=definition.url, requester=definition.requester, fields=fields, kinds=definition.kinds,
             kind=definition.kind, submittable=definition.submittable,
             submit_permission=definition.submit_permission,
             on_decided=lambda document, state: calls.append((document.pk, state)))
    return calls


def test_the_last_approval_tells_the_document_it_is_approved(rule, people, make_request, heard):
    document = make_request("250000.00")  # two levels: purchasing, then finance
    request = approval_submit(actor=people.purchaser, document=document)

    approval_approve(actor=people.pm1, request=request)
    assert heard == []  # the first level only: the finance level is still to come
    approval_approve(actor=people.fm, request=request)

    assert heard == [(document.pk, "approved")]


def test_a_rejection_and_a_withdrawal_are_told_too(rule, people, make_request, heard):
    first, second = make_request("60000.00"), make_request("70000.00")
    approval_reject(actor=people.pm1, request=approval_submit(actor=people.purchaser, document=first),
                    comment="Too dear")
    approval_withdraw(actor=people.purchaser, request=approval_submit(actor=people.purchaser, document=second))

    assert heard == [(first.pk, "rejected"), (second.pk, "withdrawn")]


def test_a_cancelled_document_withdraws_its_pending_request_whoever_cancels_it(rule, people, make_request, heard):
    from tessera.approvals.services import approval_withdraw_for_cancelled

    document = make_request("60000.00")
    request = approval_submit(actor=people.purchaser, document=document)

    assert approval_withdraw_for_cancelled(actor=people.admin, document=document) == request
    request.refresh_from_db()
    assert (request.state, heard) == ("withdrawn", [(document.pk, "withdrawn")])
    assert approval_withdraw_for_cancelled(actor=people.admin, document=document) is None

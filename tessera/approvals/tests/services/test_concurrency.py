"""Two approvers deciding the last slot of a step at the same time (PostgreSQL): the request row lock
queues them, so exactly one decision completes the step and the other finds the request decided."""

import threading

import pytest
from django.db import connection

from tessera.approvals.models import ApprovalDecision
from tessera.approvals.services import approval_approve, approval_submit

from ..factories import RuleFactory, StepFactory, role

THREADS = 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_on_the_last_slot_complete_the_step_once(company, people, make_request, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite serialises writers (run with DATABASE_URL=postgres)")
    pm3 = make_user("purchasing_manager", username="pm3")
    rule = RuleFactory(company=company)
    StepFactory(rule=rule, role=role("purchasing_manager"), min_approvals=2)
    request = approval_submit(actor=people.purchaser, document=make_request())
    approval_approve(actor=people.pm1, request=request)  # one slot left
    start = threading.Barrier(THREADS)
    outcomes: list = []

    def approve(user) -> None:
        try:
            start.wait()
            outcomes.append(approval_approve(actor=user, request=request))
        except BaseException as error:  # reported to the main thread below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (people.pm2, pm3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    request.refresh_from_db()
    step = request.steps.get()
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ApprovalRequest", "InvalidState"]
    assert (request.state, step.state) == ("approved", "approved")
    assert ApprovalDecision.objects.filter(request=request).count() == 2
    assert step.decisions.count() == step.min_approvals

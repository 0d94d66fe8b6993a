"""My approvals (one-click approve/reject with htmx and without), the requests list and a request's page,
submit and withdraw through the screens, in English and Chinese."""

import pytest
from django.urls import reverse

from tessera.approvals.models import ApprovalDecision, ApprovalRequest
from tessera.approvals.services import approval_approve, approval_submit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def pending(rule, people, make_request):
    return approval_submit(actor=people.purchaser, document=make_request("250000.00"))


def test_the_inbox_lists_what_waits_for_me_with_the_summary_and_a_link(web, pending):
    page = web("pm1").get(reverse("approvals:inbox"))

    html = page.content.decode()
    assert page.status_code == 200
    assert [row.pk for row in page.context["rows"]] == [pending.pk]
    assert "Laptops 250000.00" in html and f'href="/purchase-requests/{pending.object_id}/"' in html
    assert 'data-testid="approve"' in html


def test_the_finance_manager_sees_it_only_when_their_level_comes(web, people, pending):
    assert web("fm").get(reverse("approvals:inbox")).context["rows"] == []

    approval_approve(actor=people.pm1, request=pending)

    assert [row.pk for row in web("fm").get(reverse("approvals:inbox")).context["rows"]] == [pending.pk]


def test_the_requester_has_nothing_in_their_inbox(web, pending):
    page = web("purchaser").get(reverse("approvals:inbox"))

    assert page.context["rows"] == []
    assert 'data-testid="inbox-empty"' in page.content.decode()


def test_one_click_approve_with_htmx_gives_the_row_back(web, pending):
    response = web("pm2").post(reverse("approvals:approvalrequest_approve", args=[pending.pk]),
                               {"comment": "OK"}, **HTMX)

    assert response.status_code == 200
    assert 'data-testid="inbox-row-done"' in response.content.decode()
    pending.refresh_from_db()
    assert (pending.state, pending.current_level) == ("pending", 2)
    assert ApprovalDecision.objects.get().comment == "OK"


def test_reject_without_a_comment_shows_the_error_on_the_row_and_changes_nothing(web, pending):
    response = web("pm2").post(reverse("approvals:approvalrequest_reject", args=[pending.pk]), {"comment": ""},
                               **HTMX)

    assert 'data-testid="inbox-error"' in response.content.decode()
    assert "Say why you reject it" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == "pending"
    assert ApprovalDecision.objects.count() == 0


def test_reject_without_htmx_goes_back_to_next_with_a_message(web, pending):
    response = web("pm1").post(reverse("approvals:approvalrequest_reject", args=[pending.pk]),
                               {"comment": "Over budget", "next": reverse("approvals:inbox")})

    assert response["Location"] == reverse("approvals:inbox")
    pending.refresh_from_db()
    assert pending.state == "rejected"


def test_an_unsafe_next_is_ignored(web, pending):
    response = web("pm1").post(reverse("approvals:approvalrequest_approve", args=[pending.pk]),
                               {"next": "https://evil.example.com/"})

    assert response["Location"] == reverse("approvals:approvalrequest_detail", args=[pending.pk])


def test_approving_ones_own_request_is_refused_with_the_reason(web, pending):
    response = web("purchaser").post(reverse("approvals:approvalrequest_approve", args=[pending.pk]), follow=True)

    assert "segregation of duties" in response.content.decode()
    assert ApprovalDecision.objects.count() == 0


def test_the_request_page_shows_steps_approvers_and_decisions(web, people, pending):
    approval_approve(actor=people.pm1, request=pending, comment="Budgeted")

    page = web("purchaser").get(reverse("approvals:approvalrequest_detail", args=[pending.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert [(step.level, step.state) for step in page.context["steps"]] == [(1, "approved"), (2, "pending")]
    assert "Budgeted" in html and "fm1" in html
    assert page.context["can_decide"] is False
    assert any(action["label"] == "Withdraw" for action in page.context["actions"])


def test_the_approver_decides_on_the_request_page(web, pending):
    page = web("pm1").get(reverse("approvals:approvalrequest_detail", args=[pending.pk]))

    assert page.context["can_decide"] is True
    assert 'data-testid="decide-form"' in page.content.decode()


def test_withdraw_from_the_request_page(web, pending):
    response = web("purchaser").post(reverse("approvals:approvalrequest_withdraw", args=[pending.pk]))

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == "withdrawn"


def test_the_requests_list_filters_by_state(web, people, rule, make_request, pending):
    approved = approval_submit(actor=people.purchaser, document=make_request("60000.00"))
    approval_approve(actor=people.pm2, request=approved)

    page = web("purchaser").get(reverse("approvals:approvalrequest_list") + "?state=approved")

    assert [obj.pk for obj, _cells, _url in page.context["rows"]] == [approved.pk]


def test_someone_neither_involved_nor_allowed_to_see_the_document_sees_no_request(web, make_user, client_for,
                                                                                   pending):
    clerk = make_user("warehouse_clerk", username="clerk")

    page = client_for(clerk).get(reverse("approvals:approvalrequest_list"))
    detail = client_for(clerk).get(reverse("approvals:approvalrequest_detail", args=[pending.pk]))

    assert page.context["rows"] == []
    assert detail.status_code == 404


def test_submit_from_a_document_page_goes_back_to_it(web, rule, make_request):
    document = make_request("60000.00")

    response = web("purchaser").post(reverse("approvals:submit"), {"document": f"core.job:{document.pk}",
                                                                   "next": "/purchase-requests/1/"})

    assert response["Location"] == "/purchase-requests/1/"
    assert ApprovalRequest.objects.get().state == "pending"


def test_submit_refused_shows_why(web, rule, make_request):
    document = make_request("100.00")

    response = web("purchaser").post(reverse("approvals:submit"), {"document": f"core.job:{document.pk}"},
                                     follow=True)

    assert "needs no approval" in response.content.decode()
    assert ApprovalRequest.objects.count() == 0


def test_the_inbox_in_chinese(web, pending):
    client = web("pm1")
    client.cookies["django_language"] = "zh-hans"

    page = client.get(reverse("approvals:inbox"))

    assert page.status_code == 200
    assert '<html lang="zh-hans">' in page.content.decode()


def test_the_screens_need_the_module(web, company, pending):
    from tessera.core.models import CompanyModule

    CompanyModule.objects.filter(company=company, module="approvals").update(is_active=False)

    assert web("pm1").get(reverse("approvals:inbox")).status_code == 403
